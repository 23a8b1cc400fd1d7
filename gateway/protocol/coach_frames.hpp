#pragma once
// The server -> client events of docs/protocol.md that carry coaching, written straight to JSON
// text from the coach's values (they go out with every message). No state, no I/O.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "conversation.hpp"

namespace tact::gateway {

// The `coach` event without "type": what is stored with the message.
std::string coach_payload(const std::string& conversation, const std::string& message_id, coach::Role role,
                          const coach::MessageResult& result, const coach::Snapshot& snap, const std::string& rules_version);
// {"type":"coach",...} from the payload above.
std::string coach_event(const std::string& payload);

// {"type":"message","conversation","id","seq","role","from","text","at"}
std::string message_event(const std::string& conversation, const std::string& id, std::int64_t seq, coach::Role role,
                          const std::string& from, const std::string& text, std::int64_t at);

// {"type":"ack","client_id","conversation","id","seq"}
std::string ack_event(const std::string& client_id, const std::string& conversation, const std::string& id, std::int64_t seq);

// {"type":"health",...}
std::string health_event(const std::string& conversation, const coach::Snapshot& snap, const std::string& agent, bool open);

// {"type":"health_page","events":[health events]}: `events` (each a health event's JSON) in frames
// of at most `per_page` events. Empty input gives no frame.
std::vector<std::shared_ptr<const std::string>> health_pages(const std::vector<std::string>& events, std::size_t per_page);

// {"type":"draft_check","conversation","flags"}
std::string draft_check_event(const std::string& conversation, const std::vector<coach::Flag>& flags);

}  // namespace tact::gateway
