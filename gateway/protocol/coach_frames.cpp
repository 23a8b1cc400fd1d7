#include "protocol/coach_frames.hpp"

#include <algorithm>

#include "json_io.hpp"

namespace tact::gateway {

using coach::JsonWriter;

namespace {
void sentiment_of(JsonWriter& w, const coach::Snapshot& snap) {
  if (snap.sentiment.empty()) w.null();
  else w.value(snap.sentiment.back());
}
}  // namespace

std::string coach_payload(const std::string& conversation, const std::string& message_id, coach::Role role,
                          const coach::MessageResult& result, const coach::Snapshot& snap, const std::string& rules_version) {
  JsonWriter w(4096);
  w.begin_object().key("conversation").value(conversation).key("message_id").value(message_id);
  w.key("role").value(coach::to_string(role));
  coach::write_field(w, "acts", result.annotation.acts);
  coach::write_field(w, "spans", result.annotation.spans);
  coach::write_field(w, "flags", result.flags);
  coach::write_field(w, "checklist", snap.checklist);
  coach::write_field(w, "health", snap.health);
  coach::write_field(w, "suggestions", snap.suggestions);
  coach::write_field(w, "details", snap.details);
  w.key("sentiment");
  sentiment_of(w, snap);
  w.key("trend").value(snap.trend).key("waiting_ms").value(snap.waiting_ms).key("round").value(snap.round);
  w.key("escalated").value(snap.escalated).key("cause");
  coach::write_cause(w, snap);
  w.key("rules_version").value(rules_version).end_object();
  return w.take();
}

std::string coach_event(const std::string& payload) {
  std::string out;
  out.reserve(payload.size() + 16);
  out += "{\"type\":\"coach\",";
  out.append(payload, 1);
  return out;
}

std::string message_event(const std::string& conversation, const std::string& id, std::int64_t seq, coach::Role role,
                          const std::string& from, const std::string& text, std::int64_t at) {
  JsonWriter w(text.size() + 160);
  w.begin_object().key("type").value("message").key("conversation").value(conversation).key("id").value(id);
  w.key("seq").value(seq).key("role").value(coach::to_string(role)).key("from").value(from).key("text").value(text);
  w.key("at").value(at).end_object();
  return w.take();
}

std::string ack_event(const std::string& client_id, const std::string& conversation, const std::string& id, std::int64_t seq) {
  JsonWriter w(128);
  w.begin_object().key("type").value("ack").key("client_id").value(client_id).key("conversation").value(conversation);
  w.key("id").value(id).key("seq").value(seq).end_object();
  return w.take();
}

std::string health_event(const std::string& conversation, const coach::Snapshot& snap, const std::string& agent, bool open) {
  JsonWriter w(512);
  w.begin_object().key("type").value("health").key("conversation").value(conversation);
  w.key("score").value(snap.health.score);
  coach::write_field(w, "reasons", snap.health.reasons);
  w.key("sentiment");
  sentiment_of(w, snap);
  w.key("trend").value(snap.trend).key("waiting_ms").value(snap.waiting_ms).key("agent").value(agent);
  w.key("open").value(open).end_object();
  return w.take();
}

std::vector<std::shared_ptr<const std::string>> health_pages(const std::vector<std::string>& events, std::size_t per_page) {
  std::vector<std::shared_ptr<const std::string>> pages;
  per_page = std::max<std::size_t>(per_page, 1);
  for (std::size_t i = 0; i < events.size(); i += per_page) {
    std::string page = R"({"type":"health_page","events":[)";
    for (std::size_t j = i; j < std::min(events.size(), i + per_page); ++j) {
      if (j > i) page += ',';
      page += events[j];
    }
    page += "]}";
    pages.push_back(std::make_shared<const std::string>(std::move(page)));
  }
  return pages;
}

std::string draft_check_event(const std::string& conversation, const std::vector<coach::Flag>& flags) {
  JsonWriter w(512);
  w.begin_object().key("type").value("draft_check").key("conversation").value(conversation);
  coach::write_field(w, "flags", flags);
  w.end_object();
  return w.take();
}

}  // namespace tact::gateway
