#include "json_io.hpp"

namespace tact::coach {

void write_json(JsonWriter& w, const Span& s) {
  w.begin_object().key("begin").value(s.begin).key("end").value(s.end).key("act").value(s.act).key("rule").value(s.rule).end_object();
}

namespace {
void annotation_fields(JsonWriter& w, const Annotation& a) {
  write_field(w, "acts", a.acts);
  write_field(w, "rules", a.rules);
  write_field(w, "spans", a.spans);
}
}  // namespace

void write_json(JsonWriter& w, const Annotation& a) {
  w.begin_object();
  annotation_fields(w, a);
  w.end_object();
}

void write_json(JsonWriter& w, const Flag& f) {
  w.begin_object().key("kind").value(f.kind).key("rule").value(f.rule);
  if (f.span) w.key("begin").value(f.span->begin).key("end").value(f.span->end);
  w.key("why").value(f.why).key("try_instead").value(f.try_instead).end_object();
}

void write_json(JsonWriter& w, const StepState& s) {
  w.begin_object().key("step").value(s.step).key("status").value(to_string(s.status));
  if (!s.message_id.empty()) w.key("message_id").value(s.message_id);
  if (!s.why.empty()) w.key("why").value(s.why);
  w.end_object();
}

void write_json(JsonWriter& w, const HealthReason& r) {
  w.begin_object().key("delta").value(r.delta).key("text").value(r.text).end_object();
}

void write_json(JsonWriter& w, const Health& h) {
  w.begin_object().key("score").value(h.score);
  write_field(w, "reasons", h.reasons);
  w.end_object();
}

void write_json(JsonWriter& w, const Suggestion& s) {
  w.begin_object().key("step").value(s.step).key("text").value(s.text).key("template").value(s.template_id).end_object();
}

void write_json(JsonWriter& w, const Details& d) {
  w.begin_object();
  if (!d.name.empty()) w.key("name").value(d.name);
  if (!d.order.empty()) w.key("order").value(d.order);
  if (!d.product.empty()) w.key("product").value(d.product);
  if (!d.problem.empty()) w.key("problem").value(d.problem);
  if (!d.sources.empty()) {
    w.key("sources").begin_object();
    for (const auto& [kind, src] : d.sources) {
      w.key(kind).begin_object().key("from").value(src.from);
      if (!src.message_id.empty()) w.key("message_id").value(src.message_id);
      if (src.span) w.key("begin").value(src.span->begin).key("end").value(src.span->end);
      w.end_object();
    }
    w.end_object();
  }
  if (!d.withheld.empty()) write_field(w, "withheld", d.withheld);
  w.end_object();
}

void write_json(JsonWriter& w, const MessageResult& m) {
  w.begin_object();
  annotation_fields(w, m.annotation);
  write_field(w, "flags", m.flags);
  if (m.sentiment) w.key("sentiment").value(*m.sentiment);
  w.end_object();
}

void write_json(JsonWriter& w, const Snapshot& s) {
  w.begin_object().key("checklist").begin_object();
  for (const auto& st : s.checklist) w.key(st.step).value(to_string(st.status));
  w.end_object();
  write_field(w, "steps", s.checklist);
  w.key("round").value(s.round);
  write_field(w, "details", s.details);
  w.key("sentiment");
  if (s.sentiment.empty()) w.null();
  else w.value(s.sentiment.back());
  write_field(w, "sentiment_history", s.sentiment);
  w.key("trend").value(s.trend).key("escalated").value(s.escalated).key("waiting_ms").value(s.waiting_ms);
  write_field(w, "health", s.health);
  write_field(w, "suggestions", s.suggestions);
  w.key("cause");
  write_cause(w, s);
  w.end_object();
}

void write_cause(JsonWriter& w, const Snapshot& s) {
  if (s.cause.empty()) w.null();
  else w.begin_object().key("id").value(s.cause).key("label").value(s.cause_label).end_object();
}

void to_json(nlohmann::json& j, const Span& s) { j = to_json_value(s); }
void to_json(nlohmann::json& j, const Annotation& a) { j = to_json_value(a); }
void to_json(nlohmann::json& j, const Flag& f) { j = to_json_value(f); }
void to_json(nlohmann::json& j, const StepState& s) { j = to_json_value(s); }
void to_json(nlohmann::json& j, const HealthReason& r) { j = to_json_value(r); }
void to_json(nlohmann::json& j, const Health& h) { j = to_json_value(h); }
void to_json(nlohmann::json& j, const Suggestion& s) { j = to_json_value(s); }
void to_json(nlohmann::json& j, const Details& d) { j = to_json_value(d); }
void to_json(nlohmann::json& j, const MessageResult& m) { j = to_json_value(m); }
void to_json(nlohmann::json& j, const Snapshot& s) { j = to_json_value(s); }

std::string dump(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

}  // namespace tact::coach
