#include "coach_frames.hpp"

#include "json_io.hpp"

namespace tact::gateway {

using nlohmann::json;

namespace {
json sentiment_of(const coach::Snapshot& snap) {
  return snap.sentiment.empty() ? json(nullptr) : json(snap.sentiment.back());
}
}  // namespace

json coach_payload(const std::string& conversation, const std::string& message_id, coach::Role role,
                   const coach::MessageResult& result, const coach::Snapshot& snap, const std::string& rules_version) {
  return json{{"conversation", conversation},
              {"message_id", message_id},
              {"role", coach::to_string(role)},
              {"acts", result.annotation.acts},
              {"spans", result.annotation.spans},
              {"flags", result.flags},
              {"checklist", snap.checklist},
              {"health", snap.health},
              {"suggestions", snap.suggestions},
              {"details", snap.details},
              {"sentiment", sentiment_of(snap)},
              {"trend", snap.trend},
              {"waiting_ms", snap.waiting_ms},
              {"round", snap.round},
              {"escalated", snap.escalated},
              {"rules_version", rules_version}};
}

json health_event(const std::string& conversation, const coach::Snapshot& snap, const std::string& agent, bool open) {
  return json{{"type", "health"},
              {"conversation", conversation},
              {"score", snap.health.score},
              {"reasons", snap.health.reasons},
              {"sentiment", sentiment_of(snap)},
              {"trend", snap.trend},
              {"waiting_ms", snap.waiting_ms},
              {"agent", agent},
              {"open", open}};
}

std::string health_key(const coach::Snapshot& snap) { return coach::dump(json(snap.health)); }

json draft_check_event(const std::string& conversation, const std::vector<coach::Flag>& flags) {
  return json{{"type", "draft_check"}, {"conversation", conversation}, {"flags", flags}};
}

}  // namespace tact::gateway
