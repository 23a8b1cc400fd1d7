#include "conversation.hpp"

#include <algorithm>
#include <cstdio>

#include "details.hpp"
#include "normalize.hpp"
#include "sentiment.hpp"
#include "suggest.hpp"
#include "tone.hpp"

namespace tact::coach {
namespace {

constexpr std::size_t kSentimentHistory = 10;
constexpr std::size_t kMaxPenalties = 32;  // keeps a long conversation's state bounded

bool has_any(const std::vector<std::string>& acts, const std::vector<std::string>& wanted) {
  return std::any_of(wanted.begin(), wanted.end(),
                     [&](const std::string& w) { return std::find(acts.begin(), acts.end(), w) != acts.end(); });
}

// "10:02" (UTC) for reasons a supervisor reads.
std::string clock_time(std::int64_t at_ms) {
  const std::int64_t minutes = (at_ms / 60000) % (24 * 60);
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>(minutes / 60), static_cast<int>(minutes % 60));
  return buf;
}

std::string minutes_text(std::int64_t ms) {
  const auto min = ms / 60000;
  if (min >= 1) return std::to_string(min) + " min";
  return std::to_string(ms / 1000) + " s";
}

std::string lower_label(const PlaybookStep& s) {
  std::string out = s.step;
  std::replace(out.begin(), out.end(), '_', ' ');
  return out;
}

const FlagText* flag_text(const CoachingConfig& c, std::string_view kind) {
  auto it = c.flags.find(kind);
  return it == c.flags.end() ? nullptr : &it->second;
}

std::vector<Flag> message_flags(const RuleSet& rules, const Annotation& a, std::string_view original,
                                std::string_view normalized, bool complaint_open) {
  const auto& c = rules.coaching();
  std::vector<Flag> flags;
  for (const auto& act : c.flagged_acts) {
    if (!a.has(act)) continue;
    Flag f{act, std::nullopt, "", ""};
    for (const auto& s : a.spans)
      if (s.act == act) {
        f.span = ByteRange{s.begin, s.end};
        break;
      }
    if (const auto* t = flag_text(c, act)) {
      f.why = t->why;
      f.try_instead = t->try_instead;
    }
    flags.push_back(std::move(f));
  }
  for (const auto& check : c.tone.checks) {
    auto span = tone_check(check, original, normalized, complaint_open);
    if (!span) continue;
    const auto* t = flag_text(c, check.flag);
    flags.push_back({check.flag, span, t ? t->why : "The tone of this message: " + check.flag + ".", t ? t->try_instead : ""});
  }
  return flags;
}

}  // namespace

std::string_view to_string(StepStatus s) noexcept {
  switch (s) {
    case StepStatus::missing: return "missing";
    case StepStatus::done: return "done";
    case StepStatus::spoiled: return "spoiled";
  }
  return "missing";
}

void Conversation::open_round(const RuleSet& rules, const Event& e) {
  ++round_;
  round_opened_at_ = e.at_ms;
  agent_turns_in_round_ = 0;
  escalated_ = false;
  details_.problem.clear();  // a new complaint, a new problem; who the customer is stays known
  steps_.clear();
  for (const auto& s : rules.coaching().steps) steps_.push_back({s.step, StepStatus::missing, "", ""});
}

MessageResult Conversation::apply(const RuleSet& rules, const Event& e) {
  MessageResult out;
  const auto normalized = normalize(e.text);
  out.annotation = annotate(rules, e.role, normalized);
  ++messages_;
  if (e.role == Role::customer) apply_customer(rules, e, normalized.text, out);
  else apply_agent(rules, e, normalized.text, out);
  extract_details(rules.coaching(), e, normalized, out.annotation, details_);
  if (penalties_.size() > kMaxPenalties) penalties_.erase(penalties_.begin(), penalties_.end() - kMaxPenalties);
  return out;
}

void Conversation::apply_customer(const RuleSet& rules, const Event& e, std::string_view normalized,
                                  MessageResult& out) {
  const auto& c = rules.coaching();
  const auto& acts = out.annotation.acts;
  const double s = score_sentiment(c.sentiment, normalized);
  out.sentiment = s;
  sentiment_.push_back(s);
  if (sentiment_.size() > kSentimentHistory) sentiment_.erase(sentiment_.begin());
  // A complaint opens a round when none is open, or when the last one is settled (the pack's
  // settled_by step, e.g. a solution, is done): that is a new problem, or the old one back.
  if (has_any(acts, c.opens_round)) {
    const auto settler =
        std::find_if(steps_.begin(), steps_.end(), [&](const Step& st) { return st.name == c.settled_by; });
    const bool settled = settler != steps_.end() && settler->status == StepStatus::done;
    if (steps_.empty() || settled) open_round(rules, e);
  }
  if (std::find(acts.begin(), acts.end(), "escalation") != acts.end() && !escalated_ && !steps_.empty()) {
    escalated_ = true;
    penalties_.push_back({c.health.escalation, "customer escalated at " + clock_time(e.at_ms)});
  }
  if (!unanswered_since_) unanswered_since_ = e.at_ms;
  last_customer_acts_ = acts;
}

void Conversation::apply_agent(const RuleSet& rules, const Event& e, std::string_view normalized,
                               MessageResult& out) {
  const auto& c = rules.coaching();
  const auto& acts = out.annotation.acts;
  const bool round_open = !steps_.empty();
  out.flags = message_flags(rules, out.annotation, e.text, normalized, round_open);
  for (const auto& f : out.flags) {
    const bool is_act = std::find(c.flagged_acts.begin(), c.flagged_acts.end(), f.kind) != c.flagged_acts.end();
    const auto* t = flag_text(c, f.kind);
    const auto& label = t && !t->label.empty() ? t->label : f.kind;
    penalties_.push_back({is_act ? c.health.bad_act : c.health.tone, label + " in message " + e.message_id});
  }
  if (round_open && agent_turns_in_round_ == 0) {
    for (const auto& d : c.deadlines)
      if (d.kind == "first_reply" && e.at_ms - round_opened_at_ > d.within_ms) {
        penalties_.push_back({c.health.deadline_missed,
                              "first reply after " + minutes_text(e.at_ms - round_opened_at_) + " (complaint at " +
                                  clock_time(round_opened_at_) + ")"});
        out.flags.push_back({"deadline", std::nullopt, d.flag, ""});
      }
  }
  unanswered_since_.reset();
  if (!round_open) return;
  ++agent_turns_in_round_;
  // Which steps this message does, before judging order, so that doing both at once is fine.
  std::vector<std::string> done_now;
  for (auto& st : steps_) {
    const auto* def = c.find_step(st.name);
    if (!def) continue;
    if (has_any(acts, def->acts)) {
      st.status = StepStatus::done;
      st.message_id = e.message_id;
      st.spoiled_by.clear();
      done_now.push_back(st.name);
    }
  }
  for (const auto& o : c.order) {
    const auto first = std::find_if(steps_.begin(), steps_.end(), [&](const Step& st) { return st.name == o.first; });
    const bool then_now = std::find(done_now.begin(), done_now.end(), o.then) != done_now.end();
    if (then_now && first != steps_.end() && first->status != StepStatus::done) {
      out.flags.push_back({"order", std::nullopt, o.flag, ""});
      penalties_.push_back({c.health.deadline_missed, o.then + " before " + o.first + " in message " + e.message_id});
    }
  }
  for (auto& st : steps_) {
    const auto* def = c.find_step(st.name);
    if (!def) continue;
    for (const auto& spoiler : def->spoiled_by)
      if (std::find(acts.begin(), acts.end(), spoiler) != acts.end()) {
        st.status = StepStatus::spoiled;
        st.message_id = e.message_id;
        st.spoiled_by = spoiler;
        break;
      }
  }
  for (const auto& d : c.deadlines) {
    if (d.kind != "step" || agent_turns_in_round_ != d.within_agent_turns) continue;
    const auto st = std::find_if(steps_.begin(), steps_.end(), [&](const Step& s) { return s.name == d.step; });
    if (st == steps_.end() || st->status == StepStatus::done) continue;
    out.flags.push_back({"deadline", std::nullopt, d.flag, ""});
    penalties_.push_back({c.health.deadline_missed, "no " + d.step + " within " + std::to_string(d.within_agent_turns) +
                                                        (d.within_agent_turns == 1 ? " reply" : " replies") +
                                                        " to the complaint at " + clock_time(round_opened_at_)});
  }
}

std::vector<Flag> Conversation::check_draft(const RuleSet& rules, std::string_view text) const {
  const auto normalized = normalize(text);
  return message_flags(rules, annotate(rules, Role::agent, normalized), text, normalized.text, !steps_.empty());
}

Snapshot Conversation::snapshot(const RuleSet& rules, std::int64_t now_ms) const {
  const auto& c = rules.coaching();
  Snapshot s;
  s.round = round_;
  s.details = details_;
  s.sentiment = sentiment_;
  s.trend = std::string(sentiment_trend(sentiment_));
  s.escalated = escalated_;
  if (unanswered_since_) s.waiting_ms = std::max<std::int64_t>(0, now_ms - *unanswered_since_);

  std::vector<OpenStep> open;
  for (const auto& st : steps_) {
    const auto* def = c.find_step(st.name);
    if (!def) continue;  // a step the live pack no longer has
    StepState state{st.name, st.status, st.message_id, ""};
    const auto after = def->after.empty()
                           ? steps_.end()
                           : std::find_if(steps_.begin(), steps_.end(), [&](const Step& x) { return x.name == def->after; });
    const bool expected = def->after.empty() || (after != steps_.end() && after->status == StepStatus::done);
    if (st.status == StepStatus::spoiled) {
      state.why = "spoiled by " + st.spoiled_by + " in message " + st.message_id + ": " + def->why;
    } else if (st.status == StepStatus::missing) {
      state.why = def->why;
    }
    if (st.status != StepStatus::done && expected) {
      open.push_back({st.name, st.status == StepStatus::spoiled});
      // Only the core steps cost points; later ones (with "after") are shown, not charged.
      if (agent_turns_in_round_ > 0 && def->after.empty()) {
        const auto text = st.status == StepStatus::spoiled
                              ? lower_label(*def) + " spoiled by " + st.spoiled_by + " in message " + st.message_id
                              : "no " + lower_label(*def) + " after complaint at " + clock_time(round_opened_at_);
        s.health.reasons.push_back({-c.health.missing_step, text});
      }
    }
    s.checklist.push_back(std::move(state));
  }
  for (const auto& p : penalties_) s.health.reasons.push_back({-p.delta, p.text});
  if (s.waiting_ms > c.health.wait_grace_ms) {
    const auto minutes = (s.waiting_ms - c.health.wait_grace_ms) / 60000 + 1;
    const int delta = static_cast<int>(std::min<std::int64_t>(c.health.wait_max, minutes * c.health.wait_per_minute));
    s.health.reasons.push_back({-delta, "customer waiting " + minutes_text(s.waiting_ms)});
  }
  if (s.trend == "falling") s.health.reasons.push_back({-c.health.sentiment_falling, "sentiment falling"});
  int score = 100;
  for (const auto& r : s.health.reasons) score += r.delta;
  s.health.score = std::clamp(score, 0, 100);
  s.suggestions = suggest(c, open, last_customer_acts_, details_);
  return s;
}

std::size_t Conversation::memory_bytes() const {
  auto str = [](const std::string& x) { return x.capacity() > 15 ? x.capacity() + 1 : 0; };
  std::size_t n = sizeof(*this);
  for (const auto& st : steps_) n += sizeof(st) + str(st.name) + str(st.message_id) + str(st.spoiled_by);
  for (const auto& p : penalties_) n += sizeof(p) + str(p.text);
  for (const auto& a : last_customer_acts_) n += sizeof(a) + str(a);
  n += sentiment_.capacity() * sizeof(double);
  n += str(details_.name) + str(details_.order) + str(details_.product) + str(details_.problem);
  for (const auto& [k, v] : details_.sources) n += 64 + str(k) + str(v.from) + str(v.message_id);
  for (const auto& k : details_.withheld) n += sizeof(k) + str(k);
  return n;
}

}  // namespace tact::coach
