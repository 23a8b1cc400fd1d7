#pragma once
// The server -> client events of docs/protocol.md that carry coaching, built from the coach's
// values. No state, no I/O.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "conversation.hpp"

namespace tact::gateway {

// The `coach` event without "type": what is stored with the message.
nlohmann::json coach_payload(const std::string& conversation, const std::string& message_id, coach::Role role,
                             const coach::MessageResult& result, const coach::Snapshot& snap,
                             const std::string& rules_version);

// {"type":"health",...}
nlohmann::json health_event(const std::string& conversation, const coach::Snapshot& snap, const std::string& agent,
                            bool open);

// The part of a health event whose change is announced: score and reasons.
std::string health_key(const coach::Snapshot& snap);

nlohmann::json draft_check_event(const std::string& conversation, const std::vector<coach::Flag>& flags);

}  // namespace tact::gateway
