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
constexpr std::size_t kQuoteBytes = 48;

bool has(const std::vector<std::string>& acts, std::string_view a) { return std::find(acts.begin(), acts.end(), a) != acts.end(); }

bool has_any(const std::vector<std::string>& acts, const std::vector<std::string>& wanted) {
  return std::any_of(wanted.begin(), wanted.end(), [&](const std::string& w) { return has(acts, w); });
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

// The words a reason quotes: on one line, at most kQuoteBytes (whole UTF-8 characters), in quotes.
std::string quote(std::string_view text, std::optional<ByteRange> span = std::nullopt) {
  if (span && span->begin < span->end && span->end <= text.size()) text = text.substr(span->begin, span->end - span->begin);
  std::string out;
  for (char c : text) out += (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.size() > kQuoteBytes) {
    auto cut = kQuoteBytes;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out = out.substr(0, cut) + "…";
  }
  return "'" + out + "'";
}

const FlagText* flag_text(const CoachingConfig& c, std::string_view kind) {
  auto it = c.flags.find(kind);
  return it == c.flags.end() ? nullptr : &it->second;
}

std::string reason_words(const CoachingConfig& c, const std::string& kind) {
  const auto* t = flag_text(c, kind);
  if (t && !t->reason.empty()) return t->reason;
  return "Flagged " + (t && !t->label.empty() ? t->label : kind);
}

std::string lower_first(std::string s) {
  if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z') s[0] = static_cast<char>(s[0] - 'A' + 'a');
  return s;
}

std::vector<Flag> message_flags(const RuleSet& rules, const Annotation& a, std::string_view original,
                                std::string_view normalized, bool complaint_open) {
  const auto& c = rules.coaching();
  std::vector<Flag> flags;
  for (const auto& act : c.flagged_acts) {
    if (!a.has(act)) continue;
    Flag f{act, act, std::nullopt, "", ""};
    for (const auto& s : a.spans)
      if (s.act == act) {
        f.span = ByteRange{s.begin, s.end};
        if (!s.rule.empty()) f.rule = s.rule;
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
    flags.push_back({check.flag, "tone." + check.flag, span, t ? t->why : "The tone of this message: " + check.flag + ".", t ? t->try_instead : ""});
  }
  return flags;
}

std::optional<ByteRange> span_of(const Annotation& a, std::string_view act) {
  for (const auto& s : a.spans)
    if (s.act == act) return ByteRange{s.begin, s.end};
  return std::nullopt;
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

Conversation::Step* Conversation::find_step(std::string_view name) {
  auto it = std::find_if(steps_.begin(), steps_.end(), [&](const Step& st) { return st.name == name; });
  return it == steps_.end() ? nullptr : &*it;
}

void Conversation::note(std::vector<std::string>& seen, const std::vector<std::string>& acts) {
  for (const auto& a : acts)
    if (!has(seen, a)) seen.push_back(a);
}

void Conversation::open_round(const RuleSet& rules, const Event& e) {
  ++round_;
  round_opened_at_ = e.at_ms;
  agent_turns_in_round_ = 0;
  escalated_ = thanked_ = resolved_ = false;
  problem_key_.clear();
  round_agent_acts_.clear();
  round_customer_acts_.clear();
  refused_.clear();
  late_steps_.clear();
  details_.problem.clear();  // a new complaint, a new problem; who the customer is stays known
  details_.sources.erase("problem");
  steps_.clear();
  for (const auto& s : rules.coaching().steps) steps_.push_back({s.step, StepStatus::missing, "", "", ""});
}

MessageResult Conversation::apply(const RuleSet& rules, const Event& e) {
  MessageResult out;
  const auto normalized = normalize(e.text);
  out.annotation = annotate(rules, e.role, normalized);
  ++messages_;
  if (e.role == Role::customer) {
    apply_customer(rules, e, normalized, out);
  } else {
    apply_agent(rules, e, normalized.text, out);
    extract_details(rules.coaching(), e, normalized, out.annotation, details_);
  }
  if (penalties_.size() > kMaxPenalties) penalties_.erase(penalties_.begin(), penalties_.end() - kMaxPenalties);
  return out;
}

void Conversation::apply_customer(const RuleSet& rules, const Event& e, const NormalizedText& normalized, MessageResult& out) {
  const auto& c = rules.coaching();
  const auto& acts = out.annotation.acts;
  const double s = score_sentiment(c.sentiment, normalized.text);
  out.sentiment = s;
  // Only messages with a word of the list make the trend: "Windows 10, bought online" is no mood.
  if (bears_sentiment(c.sentiment, normalized.text)) {
    sentiment_.push_back(s);
    if (sentiment_.size() > kSentimentHistory) sentiment_.erase(sentiment_.begin());
    last_sentiment_quote_ = "at " + clock_time(e.at_ms) + ": " + quote(e.text);
  }
  causes_.add(rules.causes().match_normalized(normalized.text), messages_);
  // Where a complaint frame restates the problem, before the round decision: a clearly different
  // problem opens a new round.
  const auto restated = extract_details(c, e, normalized, out.annotation, details_);
  if (has_any(acts, c.opens_round)) {
    const bool different = restated && !problem_key_.empty() && restated->key != problem_key_;
    if (steps_.empty() || resolved_ || different) {
      open_round(rules, e);
      if (restated) {
        details_.problem = restated->phrase;
        details_.sources["problem"] = {"customer", e.message_id, restated->span};
      }
    } else if (auto* settler = find_step(c.settled_by); settler && settler->status == StepStatus::done) {
      // The same problem after a fix: the fix did not work. Another one is expected.
      if (!has(refused_, settler->name)) refused_.push_back(settler->name);
      settler->status = StepStatus::missing;
      settler->message_id.clear();
    }
    if (restated && problem_key_.empty()) problem_key_ = restated->key;
  }
  if (!steps_.empty()) {
    note(round_customer_acts_, acts);
    const auto* settler = c.settled_by.empty() ? nullptr : find_step(c.settled_by);
    const bool settled = settler && settler->status == StepStatus::done;
    if (has(acts, "resolved") && !resolved_) {
      resolved_ = true;
      penalties_.push_back({c.health.resolved, "The customer confirmed it's solved at " + clock_time(e.at_ms) + ": " +
                                                   quote(e.text, span_of(out.annotation, "resolved"))});
    }
    // Thanks count for the agent once they have replied, and not as the preface of a complaint.
    if (has(acts, "gratitude") && !thanked_ && agent_turns_in_round_ > 0 && !has_any(acts, c.opens_round)) {
      thanked_ = true;
      if (settled) resolved_ = true;
      penalties_.push_back({c.health.gratitude, "The customer thanked you at " + clock_time(e.at_ms) + ": " +
                                                    quote(e.text, span_of(out.annotation, "gratitude"))});
    }
    if (has(acts, "escalation") && !escalated_) {
      escalated_ = true;
      penalties_.push_back({-c.health.escalation, "The customer escalated at " + clock_time(e.at_ms) + ": " +
                                                      quote(e.text, span_of(out.annotation, "escalation"))});
    }
  }
  if (!unanswered_since_) unanswered_since_ = e.at_ms;
  last_customer_acts_ = acts;
}

Conversation::AgentJudgement Conversation::judge_agent(const RuleSet& rules, const Event& e, const Annotation& a,
                                                       std::string_view normalized, bool with_time) const {
  const auto& c = rules.coaching();
  AgentJudgement j;
  const bool round_open = !steps_.empty();
  const auto when = " at " + clock_time(e.at_ms);
  j.flags = message_flags(rules, a, e.text, normalized, round_open);
  for (const auto& f : j.flags) {
    const bool is_act = has(c.flagged_acts, f.kind);
    j.penalties.push_back({-(is_act ? c.health.bad_act : c.health.tone),
                           reason_words(c, f.kind) + (with_time ? when : "") + ": " + quote(e.text, f.span)});
  }
  if (!round_open) return j;
  if (agent_turns_in_round_ == 0 && with_time) {
    for (const auto& d : c.deadlines)
      if (d.kind == "first_reply" && e.at_ms - round_opened_at_ > d.within_ms) {
        j.penalties.push_back({-c.health.deadline_missed, "You first replied " + minutes_text(e.at_ms - round_opened_at_) +
                                                              " after the complaint at " + clock_time(round_opened_at_)});
        j.flags.push_back({"deadline", "deadline", std::nullopt, d.flag, ""});
      }
  }
  for (const auto& st : steps_) {
    const auto* def = c.find_step(st.name);
    if (def && has_any(a.acts, def->acts)) j.done_now.push_back(st.name);
  }
  const auto done_by_now = [&](const std::string& step) {
    const auto it = std::find_if(steps_.begin(), steps_.end(), [&](const Step& s) { return s.name == step; });
    return it == steps_.end() || it->status == StepStatus::done || has(j.done_now, step);
  };
  // A step that is late costs its points once a round, whether by a deadline or by the order.
  const auto charged = [&](const std::string& step) { return has(late_steps_, step) || has(j.late, step); };
  for (const auto& d : c.deadlines) {
    if (d.kind != "step" || agent_turns_in_round_ + 1 != d.within_agent_turns || done_by_now(d.step)) continue;
    const auto* def = c.find_step(d.step);
    j.flags.push_back({"deadline", "deadline", std::nullopt, d.flag, ""});
    if (charged(d.step)) continue;
    j.late.push_back(d.step);
    j.penalties.push_back({-c.health.deadline_missed,
                           "Not done in your first " + (d.within_agent_turns == 1 ? std::string("reply") : std::to_string(d.within_agent_turns) + " replies") +
                               " to the complaint at " + clock_time(round_opened_at_) + ": " +
                               lower_first(def ? def->label : d.step)});
  }
  for (const auto& o : c.order) {
    if (!has(j.done_now, o.then) || done_by_now(o.first)) continue;
    j.flags.push_back({"order", "order", std::nullopt, o.flag, ""});
    if (charged(o.first)) continue;
    j.late.push_back(o.first);
    j.penalties.push_back({-c.health.deadline_missed, (with_time ? "At " + clock_time(e.at_ms) + ": " : std::string()) + o.flag});
  }
  // One message costs at most message_cap points, however many things are wrong with it.
  int budget = c.health.message_cap;
  for (auto& p : j.penalties) {
    p.delta = -std::min(-p.delta, budget);
    budget += p.delta;
  }
  j.penalties.erase(std::remove_if(j.penalties.begin(), j.penalties.end(), [](const Penalty& p) { return p.delta == 0; }),
                    j.penalties.end());
  return j;
}

void Conversation::apply_agent(const RuleSet& rules, const Event& e, std::string_view normalized, MessageResult& out) {
  const auto& c = rules.coaching();
  const auto& acts = out.annotation.acts;
  auto j = judge_agent(rules, e, out.annotation, normalized, true);
  out.flags = std::move(j.flags);
  for (auto& p : j.penalties) penalties_.push_back(std::move(p));
  for (auto& l : j.late) late_steps_.push_back(std::move(l));
  unanswered_since_.reset();
  if (steps_.empty()) return;
  ++agent_turns_in_round_;
  note(round_agent_acts_, acts);
  for (auto& st : steps_)
    if (has(j.done_now, st.name)) {
      st.status = StepStatus::done;
      st.message_id = e.message_id;
      st.spoiled_by.clear();
    }
  for (auto& st : steps_) {
    const auto* def = c.find_step(st.name);
    if (!def) continue;
    for (const auto& spoiler : def->spoiled_by)
      if (has(acts, spoiler)) {
        st.status = StepStatus::spoiled;
        st.message_id = e.message_id;
        st.spoiled_by = spoiler;
        st.spoiled_how = "at " + clock_time(e.at_ms) + ": " + quote(e.text, span_of(out.annotation, spoiler));
        break;
      }
  }
}

std::vector<Flag> Conversation::check_draft(const RuleSet& rules, std::string_view text, std::optional<std::int64_t> now_ms) const {
  const auto normalized = normalize(text);
  const Event e{Role::agent, std::string(text), now_ms.value_or(0), "draft", ""};
  return judge_agent(rules, e, annotate(rules, Role::agent, normalized), normalized.text, now_ms.has_value()).flags;
}

std::vector<std::string> Conversation::facts() const {
  std::vector<std::string> f;
  for (const auto& a : round_agent_acts_) f.push_back("agent:" + a);
  for (const auto& a : round_customer_acts_) f.push_back("customer:" + a);
  for (const auto& a : last_customer_acts_) f.push_back("last:" + a);
  for (const auto& st : steps_)
    if (st.status != StepStatus::missing) f.push_back(std::string(st.status == StepStatus::done ? "done:" : "spoiled:") + st.name);
  for (const auto& r : refused_) f.push_back("refused:" + r);
  return f;
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

  const std::string complaint = "the complaint at " + clock_time(round_opened_at_) +
                                (details_.problem.empty() ? "" : " (" + details_.problem + ")");
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
      state.why = "Spoiled " + st.spoiled_how + ". " + def->why;
    } else if (st.status == StepStatus::missing) {
      state.why = has(refused_, st.name) ? "The customer says it isn't solved yet. " + def->why : def->why;
    }
    if (st.status != StepStatus::done && expected) {
      open.push_back({st.name, st.status == StepStatus::spoiled});
      // Only the core steps cost points, once the agent has replied, and not once it is resolved.
      if (agent_turns_in_round_ > 0 && def->after.empty() && !resolved_) {
        const auto text = st.status == StepStatus::spoiled
                              ? def->label + ": spoiled " + st.spoiled_how
                              : "Still to do for " + complaint + ": " + lower_first(def->label);
        s.health.reasons.push_back({-c.health.missing_step, text});
      }
    }
    s.checklist.push_back(std::move(state));
  }
  for (const auto& p : penalties_) s.health.reasons.push_back({p.delta, p.text});
  if (s.waiting_ms > c.health.wait_grace_ms) {
    const auto minutes = (s.waiting_ms - c.health.wait_grace_ms) / 60000 + 1;
    const int delta = static_cast<int>(std::min<std::int64_t>(c.health.wait_max, minutes * c.health.wait_per_minute));
    s.health.reasons.push_back({-delta, "The customer has waited " + minutes_text(s.waiting_ms) + " for a reply"});
  }
  if (s.trend == "falling")
    s.health.reasons.push_back({-c.health.sentiment_falling, "The customer's mood is falling, last " + last_sentiment_quote_});
  int score = 100;
  for (const auto& r : s.health.reasons) score += r.delta;
  s.health.score = std::clamp(score, 0, 100);
  s.suggestions = suggest(c, open, last_customer_acts_, details_, facts());
  if (!s.checklist.empty()) {
    const auto* best = causes_.best();
    s.cause = best ? *best : std::string(kOtherCause);
    s.cause_label = rules.causes().label(s.cause);
  }
  return s;
}

std::size_t Conversation::memory_bytes() const {
  auto str = [](const std::string& x) { return x.capacity() > 15 ? x.capacity() + 1 : 0; };
  std::size_t n = sizeof(*this);
  for (const auto& st : steps_) n += sizeof(st) + str(st.name) + str(st.message_id) + str(st.spoiled_by) + str(st.spoiled_how);
  for (const auto& p : penalties_) n += sizeof(p) + str(p.text);
  for (const auto* list : {&last_customer_acts_, &round_agent_acts_, &round_customer_acts_, &refused_, &late_steps_})
    for (const auto& a : *list) n += sizeof(a) + str(a);
  n += sentiment_.capacity() * sizeof(double) + str(last_sentiment_quote_) + str(problem_key_);
  n += str(details_.name) + str(details_.order) + str(details_.product) + str(details_.problem);
  for (const auto& [k, v] : details_.sources) n += 64 + str(k) + str(v.from) + str(v.message_id);
  for (const auto& k : details_.withheld) n += sizeof(k) + str(k);
  n += causes_.memory_bytes() - sizeof(causes_);
  return n;
}

}  // namespace tact::coach
