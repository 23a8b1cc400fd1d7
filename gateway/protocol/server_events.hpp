#pragma once
// The server -> client events of docs/protocol.md that carry no coaching (coach_frames.hpp has
// those): serialized here, so tests/gateway/protocol_doc_test.cpp can hold them to the doc.
// Pure functions, any thread.
#include <cstdint>
#include <string>
#include <vector>

#include "auth/identity.hpp"

namespace tact::gateway {

// {"type":"hello","role","sub","name","rules_version","max_message","conversations"}
std::string hello_event(const Identity& who, const std::string& rules_version, std::size_t max_message,
                        const std::vector<std::string>& conversations);

// {"type":"assigned","conversation","customer"}: `customer` is the customer's display name.
std::string assigned_event(const std::string& conversation, const std::string& customer);

// {"type":"closed","conversation","at"}
std::string closed_event(const std::string& conversation, std::int64_t at);

// {"type":"rated","conversation","score","comment","at","replaced"}: the customer's rating is stored
// (`replaced`: it replaced an earlier one).
std::string rated_event(const std::string& conversation, int score, const std::string& comment, std::int64_t at, bool replaced);

// {"type":"feedback_noted","conversation","message_id","kind","rule"|"template"}: feedback on the
// coach is stored ("rule" for a dispute, "template" for used or edited).
std::string feedback_noted_event(const std::string& conversation, const std::string& message_id, const std::string& kind,
                                 const std::string& target);

// {"type":"whisper","conversation","id","from","text","at"}
std::string whisper_event(const std::string& conversation, const std::string& id, const std::string& from,
                          const std::string& text, std::int64_t at);

}  // namespace tact::gateway
