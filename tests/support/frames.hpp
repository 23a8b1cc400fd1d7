#pragma once
// Reading and writing the protocol's JSON frames in tests (docs/protocol.md).
#include <string>

#include <nlohmann/json.hpp>

namespace tact::test {

// A `message` client frame; `conversation` is left out when empty (a customer's first message).
nlohmann::json message_frame(const std::string& text, const std::string& client_id, const std::string& conversation = "");

// The status of `step` in a coach event's checklist ("done", "missing", "spoiled"), or "absent".
std::string step_status(const nlohmann::json& coach, const std::string& step);

// Whether a coach event's (or annotation's) `acts` holds `act`.
bool has_act(const nlohmann::json& event, const std::string& act);

// Whether `flags` (a coach or draft_check event's) holds one of `kind`.
bool has_flag(const nlohmann::json& event, const std::string& kind);

}  // namespace tact::test
