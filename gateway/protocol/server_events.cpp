#include "protocol/server_events.hpp"

#include <nlohmann/json.hpp>

#include "json_io.hpp"

namespace tact::gateway {

using nlohmann::json;

std::string hello_event(const Identity& who, const std::string& rules_version, std::size_t max_message,
                        const std::vector<std::string>& conversations) {
  return coach::dump(json{{"type", "hello"},
                          {"role", to_string(who.role)},
                          {"sub", who.sub},
                          {"name", who.name},
                          {"rules_version", rules_version},
                          {"max_message", max_message},
                          {"conversations", conversations}});
}

std::string assigned_event(const std::string& conversation, const std::string& customer) {
  return coach::dump(json{{"type", "assigned"}, {"conversation", conversation}, {"customer", customer}});
}

std::string closed_event(const std::string& conversation, std::int64_t at) {
  return coach::dump(json{{"type", "closed"}, {"conversation", conversation}, {"at", at}});
}

std::string rated_event(const std::string& conversation, int score, const std::string& comment, std::int64_t at, bool replaced) {
  return coach::dump(json{{"type", "rated"}, {"conversation", conversation}, {"score", score}, {"comment", comment}, {"at", at},
                          {"replaced", replaced}});
}

std::string feedback_noted_event(const std::string& conversation, const std::string& message_id, const std::string& kind,
                                 const std::string& target) {
  return coach::dump(json{{"type", "feedback_noted"}, {"conversation", conversation}, {"message_id", message_id}, {"kind", kind},
                          {kind == "dispute" ? "rule" : "template", target}});
}

std::string whisper_event(const std::string& conversation, const std::string& id, const std::string& from,
                          const std::string& text, std::int64_t at) {
  return coach::dump(
      json{{"type", "whisper"}, {"conversation", conversation}, {"id", id}, {"from", from}, {"text", text}, {"at", at}});
}

}  // namespace tact::gateway
