#include "json_io.hpp"

namespace tact::coach {

void to_json(nlohmann::json& j, const Span& s) {
  j = nlohmann::json{{"begin", s.begin}, {"end", s.end}, {"act", s.act}, {"rule", s.rule}};
}

void to_json(nlohmann::json& j, const Annotation& a) {
  j = nlohmann::json{{"acts", a.acts}, {"rules", a.rules}, {"spans", a.spans}};
}

std::string dump(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

}  // namespace tact::coach

namespace tact::coach {

void to_json(nlohmann::json& j, const Flag& f) {
  j = nlohmann::json{{"kind", f.kind}, {"why", f.why}, {"try_instead", f.try_instead}};
  if (f.span) {
    j["begin"] = f.span->begin;
    j["end"] = f.span->end;
  }
}

void to_json(nlohmann::json& j, const StepState& s) {
  j = nlohmann::json{{"step", s.step}, {"status", to_string(s.status)}};
  if (!s.message_id.empty()) j["message_id"] = s.message_id;
  if (!s.why.empty()) j["why"] = s.why;
}

void to_json(nlohmann::json& j, const HealthReason& r) { j = nlohmann::json{{"delta", r.delta}, {"text", r.text}}; }

void to_json(nlohmann::json& j, const Health& h) { j = nlohmann::json{{"score", h.score}, {"reasons", h.reasons}}; }

void to_json(nlohmann::json& j, const Suggestion& s) { j = nlohmann::json{{"step", s.step}, {"text", s.text}}; }

void to_json(nlohmann::json& j, const Details& d) {
  j = nlohmann::json::object();
  if (!d.name.empty()) j["name"] = d.name;
  if (!d.order.empty()) j["order"] = d.order;
  if (!d.product.empty()) j["product"] = d.product;
  if (!d.problem.empty()) j["problem"] = d.problem;
}

void to_json(nlohmann::json& j, const MessageResult& m) {
  to_json(j, m.annotation);
  j["flags"] = m.flags;
  if (m.sentiment) j["sentiment"] = *m.sentiment;
}

void to_json(nlohmann::json& j, const Snapshot& s) {
  nlohmann::json checklist = nlohmann::json::object();
  for (const auto& st : s.checklist) checklist[st.step] = to_string(st.status);
  j = nlohmann::json{{"checklist", checklist},
                     {"steps", s.checklist},
                     {"round", s.round},
                     {"details", s.details},
                     {"sentiment", s.sentiment.empty() ? nlohmann::json(nullptr) : nlohmann::json(s.sentiment.back())},
                     {"sentiment_history", s.sentiment},
                     {"trend", s.trend},
                     {"escalated", s.escalated},
                     {"waiting_ms", s.waiting_ms},
                     {"health", s.health},
                     {"suggestions", s.suggestions}};
}

}  // namespace tact::coach
