#include "review.hpp"

#include <algorithm>

#include "annotator.hpp"
#include "json_io.hpp"

namespace tact::coach {
namespace {

using nlohmann::json;

bool has(const std::vector<std::string>& acts, std::string_view a) { return std::find(acts.begin(), acts.end(), a) != acts.end(); }


json optional_time(const std::optional<std::int64_t>& t) { return t ? json(*t) : json(nullptr); }

}  // namespace

RootCause find_root_cause(const RuleSet& rules, const std::vector<Event>& events) {
  RootCause out;
  CauseTally tally;
  for (std::size_t i = 0; i < events.size(); ++i)
    if (events[i].role == Role::customer) tally.add(rules.causes().match(events[i].text), i);
  out.counts = tally.counts();
  const auto* best = tally.best();
  if (!best) return out;
  const auto& e = events[tally.first_index(*best)];
  out.id = *best;
  out.label = rules.causes().label(*best);
  out.message_id = e.message_id;
  out.at = e.at_ms;
  return out;
}

Review review_conversation(const RuleSet& rules, const std::vector<Event>& events, std::int64_t closed_at) {
  Review r;
  r.closed_at = closed_at;
  Conversation conv;
  std::map<std::string, std::int64_t> times;
  std::optional<std::int64_t> first_customer;
  bool agent_replied = false;
  bool last_says_goodbye = false;  // the customer's last message only thanks or confirms: nothing left to answer
  for (const auto& e : events) {
    if (!r.started_at) r.started_at = e.at_ms;
    times[e.message_id] = e.at_ms;
    const auto result = conv.apply(rules, e);
    const auto& acts = result.annotation.acts;
    if (e.role == Role::customer) {
      ++r.customer_messages;
      if (!first_customer) first_customer = e.at_ms;
      r.outcome.resolved = r.outcome.resolved || has(acts, "resolved");
      r.outcome.escalated = r.outcome.escalated || has(acts, "escalation");
      r.outcome.thanked = r.outcome.thanked || (agent_replied && has(acts, "gratitude"));
      last_says_goodbye = agent_replied && (has(acts, "gratitude") || has(acts, "resolved")) && !has(acts, "complaint") &&
                          !has(acts, "frustration") && !has(acts, "escalation");
    } else {
      ++r.agent_messages;
      if (first_customer && !r.first_response_ms) r.first_response_ms = std::max<std::int64_t>(0, e.at_ms - *first_customer);
      agent_replied = true;
      for (const auto& f : result.flags)
        r.flags.push_back({e.message_id, e.at_ms, f.kind, f.rule, f.why});
    }
    r.timeline.push_back({e.message_id, e.at_ms, conv.snapshot(rules, e.at_ms).health.score});
  }
  r.outcome.abandoned = !events.empty() && events.back().role == Role::customer && !last_says_goodbye;
  r.outcome.result = r.outcome.abandoned   ? "abandoned"
                     : r.outcome.resolved  ? "resolved"
                     : r.outcome.escalated ? "escalated"
                     : r.outcome.thanked   ? "thanked"
                                           : "unresolved";
  const auto snap = conv.snapshot(rules, std::max(closed_at, r.started_at.value_or(closed_at)));
  r.final_health = snap.health;
  r.rounds = snap.round;
  r.complaint = snap.round > 0;
  for (const auto& st : snap.checklist) {
    const auto* def = rules.coaching().find_step(st.step);
    ReviewStep step{st.step, def ? def->label : st.step,
                    st.status == StepStatus::done ? "done" : st.status == StepStatus::spoiled ? "spoiled" : "missed",
                    st.message_id, std::nullopt, st.why};
    if (auto it = times.find(st.message_id); !st.message_id.empty() && it != times.end()) step.at = it->second;
    r.steps.push_back(std::move(step));
  }
  r.root_cause = find_root_cause(rules, events);
  return r;
}

json review_json(const Review& r) {
  json steps = json::array(), missed = json::array(), spoiled = json::array();
  for (const auto& s : r.steps) {
    steps.push_back({{"step", s.step}, {"label", s.label}, {"status", s.status}, {"message_id", s.message_id},
                     {"at", optional_time(s.at)}, {"why", s.why}});
    if (s.status == "missed") missed.push_back(s.step);
    if (s.status == "spoiled") spoiled.push_back(s.step);
  }
  json timeline = json::array();
  for (const auto& p : r.timeline) timeline.push_back({{"message_id", p.message_id}, {"at", p.at}, {"score", p.score}});
  json flags = json::array();
  for (const auto& f : r.flags)
    flags.push_back({{"message_id", f.message_id}, {"at", f.at}, {"kind", f.kind}, {"rule", f.rule}, {"why", f.why}});
  json counts = json::object();
  for (const auto& [id, n] : r.root_cause.counts) counts[id] = n;
  return json{
      {"complaint", r.complaint},
      {"rounds", r.rounds},
      {"messages", {{"customer", r.customer_messages}, {"agent", r.agent_messages}}},
      {"started_at", optional_time(r.started_at)},
      {"closed_at", r.closed_at},
      {"first_response_ms", optional_time(r.first_response_ms)},
      {"steps", std::move(steps)},
      {"missed", std::move(missed)},
      {"spoiled", std::move(spoiled)},
      {"health", {{"final", r.final_health.score}, {"reasons", r.final_health.reasons}, {"timeline", std::move(timeline)}}},
      {"flags", std::move(flags)},
      {"outcome",
       {{"result", r.outcome.result},
        {"resolved", r.outcome.resolved},
        {"thanked", r.outcome.thanked},
        {"escalated", r.outcome.escalated},
        {"abandoned", r.outcome.abandoned}}},
      {"root_cause",
       {{"id", r.root_cause.id},
        {"label", r.root_cause.label},
        {"message_id", r.root_cause.message_id},
        {"at", optional_time(r.root_cause.at)},
        {"counts", std::move(counts)}}},
  };
}

}  // namespace tact::coach
