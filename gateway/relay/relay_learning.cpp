// The learning loop's live half (issue 22): agents' feedback on the coach (a disputed flag, a
// suggestion used or edited), the numbers it adds up to per rule and template, and the team's
// lessons. Who may do what is relay/access.hpp's and the route table's; the counting is
// coach/coach_stats.hpp's; this file checks the feedback against what the coach really showed,
// and reads and writes the store.
#include <algorithm>
#include <cstdio>
#include <random>

#include "coach_stats.hpp"
#include "json_io.hpp"
#include "obs/log.hpp"
#include "protocol/server_events.hpp"
#include "relay/relay.hpp"

namespace tact::gateway {

using nlohmann::json;

namespace {

// Whether the stored coach event lists `target` as a flag's rule (dispute) or a suggestion's template.
bool coach_showed(const std::string& coach_json, const std::string& kind, const std::string& target) {
  const auto coach = json::parse(coach_json, nullptr, false);
  if (!coach.is_object()) return false;
  const char* list = kind == "dispute" ? "flags" : "suggestions";
  const char* key = kind == "dispute" ? "rule" : "template";
  auto it = coach.find(list);
  if (it == coach.end() || !it->is_array()) return false;
  return std::any_of(it->begin(), it->end(), [&](const json& x) { return x.is_object() && x.value(key, "") == target; });
}

std::string new_lesson_id() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(random()));
  return "l-" + std::string(hex, 12);
}

std::string trimmed(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

}  // namespace

json Relay::lesson_json(const LessonRecord& l) const {
  return {{"id", l.id},         {"cause", l.cause},   {"cause_label", rules().set->causes().label(l.cause)},
          {"text", l.text},     {"conversation", l.conversation}, {"author", l.author_name},
          {"author_sub", l.author}, {"at", l.at}};
}

void Relay::on_feedback(const std::shared_ptr<Peer>& peer, const ClientFrame& f) {
  const json ref = "feedback";
  auto known = facts(f.conversation);
  if (auto d = decide(peer->who(), Access::feedback, f.conversation, known ? &*known : nullptr); !d)
    return refuse(*peer, {d.code, d.message, ref});
  // Checked against the coach event as stored, so the numbers count only what agents really saw.
  std::optional<MessageRecord> shown;
  for (auto& m : store_.messages(f.conversation))
    if (m.id == f.message_id) shown = std::move(m);
  if (!shown)
    return refuse(*peer, {"unknown_message", "conversation \"" + f.conversation + "\" has no message \"" + f.message_id + "\"", ref});
  if (!coach_showed(shown->coach_json, f.kind, f.target)) {
    if (f.kind == "dispute")
      return refuse(*peer, {"not_flagged", "the coach did not flag message \"" + f.message_id + "\" with rule \"" + f.target +
                                               "\"; dispute a flag by the \"rule\" its coach event names", ref});
    return refuse(*peer, {"not_suggested", "the coach event of message \"" + f.message_id + "\" did not offer template \"" + f.target +
                                               "\"; name the \"template\" of one of its suggestions", ref});
  }
  // The reason is the agent's words: stored redacted like the customer's (unless --redact off).
  CoachFeedbackRecord rec{f.conversation, f.message_id, f.kind, f.target,
                          limits_.redact == RedactMode::off ? f.reason : rules().set->redactor().redact_text(f.reason),
                          peer->who().sub, now_()};
  auto frame = make_frame(feedback_noted_event(f.conversation, f.message_id, f.kind, f.target));
  std::weak_ptr<Peer> sender = peer;
  store_.save_feedback(std::move(rec), [this, sender, frame, conversation = f.conversation, kind = f.kind, target = f.target](std::error_code ec) {
    auto p = sender.lock();
    if (ec) {
      log_event("store_failed", {{"what", "coach_feedback"}, {"conversation", conversation}, {"kind", ec.message()}});
      if (p) refuse(*p, {"store_failed", "the feedback could not be stored; send it again", "feedback"});
      return;
    }
    log_event("coach_feedback", {{"conversation", conversation}, {"kind", kind}, {"target", target}});
    metrics_.count_coach_feedback(kind);
    if (p) p->send(frame);
  });
}

EventResult Relay::rule_stats(std::int64_t from, std::int64_t to) {
  std::vector<coach::CoachShown> shown;
  for (auto& s : store_.coach_outputs(from, to)) {
    auto coach = json::parse(s.coach_json, nullptr, false);
    if (coach.is_object()) shown.push_back({std::move(s.conversation), std::move(s.message_id), std::move(coach)});
  }
  std::vector<coach::CoachFeedback> feedback;
  for (auto& f : store_.feedback(from))
    feedback.push_back({std::move(f.conversation), std::move(f.message_id), std::move(f.kind), std::move(f.target), std::move(f.reason), f.at});
  auto out = coach::coach_stats(shown, feedback);
  out["from"] = from;
  out["to"] = to;
  out["low_precision"] = {{"below", coach::kLowPrecision}, {"shown_at_least", coach::kLowPrecisionShown}};
  return {200, std::move(out)};
}

EventResult Relay::lessons(const std::string& cause) {
  json list = json::array();
  for (const auto& l : store_.lessons(cause)) list.push_back(lesson_json(l));
  return {200, {{"lessons", std::move(list)}}};
}

void Relay::add_lesson(const Identity& who, const std::string& conversation, const std::string& text, std::optional<std::string> cause,
                       std::function<void(EventResult)> done) {
  auto known = facts(conversation);
  if (auto d = decide(who, Access::lesson, conversation, known ? &*known : nullptr); !d) return done(refusal(d));
  const auto review = store_.review(conversation);
  if (!review)
    return done({404, {{"error", "no_review"}, {"message", "conversation \"" + conversation + "\" has no stored review to learn from"}}});
  auto bad = [&](const std::string& message) { done({400, {{"error", "bad_field"}, {"message", message}}}); };
  const auto lesson_text = trimmed(text);
  if (lesson_text.empty()) return bad("\"text\" must say the lesson, e.g. \"When a parcel shows delivered but isn't, offer the replacement first.\"");
  if (lesson_text.size() > kMaxLessonBytes)
    return bad("\"text\" is " + std::to_string(lesson_text.size()) + " bytes; shorten it to at most " + std::to_string(kMaxLessonBytes));
  if (lesson_text.find('\0') != std::string::npos) return bad("\"text\" must not contain U+0000 (NUL)");
  const auto rules = this->rules();
  std::string tag;
  if (cause) {
    tag = *cause;
    std::string known_ids = std::string(coach::kOtherCause);
    bool found = tag == coach::kOtherCause;
    for (const auto& c : rules.set->causes().causes()) {
      known_ids += ", " + c.spec.id;
      found = found || c.spec.id == tag;
    }
    if (!found) return bad("\"cause\" must be one of the live rules' causes: " + known_ids);
  } else {
    const auto stored = json::parse(review->review_json, nullptr, false);
    tag = stored.is_object() ? stored.value("/root_cause/id"_json_pointer, std::string(coach::kOtherCause)) : std::string(coach::kOtherCause);
  }
  LessonRecord rec{new_lesson_id(), tag,
                   limits_.redact == RedactMode::off ? lesson_text : rules.set->redactor().redact_text(lesson_text),
                   conversation, who.sub, who.name.empty() ? who.sub : who.name, now_()};
  auto body = lesson_json(rec);
  store_.save_lesson(std::move(rec), [body = std::move(body), done = std::move(done)](std::error_code ec) {
    if (ec) {
      log_event("store_failed", {{"what", "lesson"}, {"kind", ec.message()}});
      return done({503, {{"error", "store_failed"}, {"message", "the lesson could not be stored; send it again"}}});
    }
    log_event("lesson_written", {{"lesson", body["id"]}, {"cause", body["cause"]}, {"conversation", body["conversation"]}});
    done({201, body});
  });
}

void Relay::delete_lesson(const std::string& id, std::function<void(EventResult)> done) {
  if (!store_.lesson(id)) return done({404, {{"error", "unknown_lesson"}, {"message", "no lesson \"" + id.substr(0, 64) + "\""}}});
  store_.delete_lesson(id, [id, done = std::move(done)](std::error_code ec) {
    if (ec) return done({503, {{"error", "store_failed"}, {"message", "the lesson could not be deleted; try again"}}});
    log_event("lesson_deleted", {{"lesson", id}});
    done({200, {{"deleted", id}}});
  });
}

}  // namespace tact::gateway
