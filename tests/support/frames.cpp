#include "support/frames.hpp"

namespace tact::test {

using nlohmann::json;

json message_frame(const std::string& text, const std::string& client_id, const std::string& conversation) {
  json j{{"type", "message"}, {"text", text}, {"client_id", client_id}};
  if (!conversation.empty()) j["conversation"] = conversation;
  return j;
}

std::string step_status(const json& coach, const std::string& step) {
  for (const auto& s : coach.at("checklist"))
    if (s.at("step") == step) return s.at("status").get<std::string>();
  return "absent";
}

bool has_act(const json& event, const std::string& act) {
  for (const auto& a : event.at("acts"))
    if (a == act) return true;
  return false;
}

bool has_flag(const json& event, const std::string& kind) {
  for (const auto& f : event.at("flags"))
    if (f.value("kind", "") == kind) return true;
  return false;
}

}  // namespace tact::test
