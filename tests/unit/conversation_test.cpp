// Scripted conversations walked through the coach's state, asserted at each step.
#include <catch2/catch.hpp>

#include <regex>

#include "conversation.hpp"
#include "support/packs.hpp"

using namespace tact;
using coach::Role;
using coach::StepStatus;

namespace {

const coach::RuleSet& rules() {
  static auto set = test::compile_or_fail(test::default_pack());
  REQUIRE(set);
  return *set;
}

constexpr std::int64_t t0 = 1'700'000'000'000;  // 22:13 UTC
constexpr std::int64_t sec = 1000;

StepStatus status(const coach::Snapshot& s, const std::string& step) {
  for (const auto& st : s.checklist)
    if (st.step == step) return st.status;
  FAIL("no step " << step);
  return StepStatus::missing;
}

bool has_reason(const coach::Snapshot& s, const std::string& part) {
  for (const auto& r : s.health.reasons)
    if (r.text.find(part) != std::string::npos) return true;
  return false;
}

bool has_flag(const std::vector<coach::Flag>& flags, const std::string& kind) {
  return std::any_of(flags.begin(), flags.end(), [&](const coach::Flag& f) { return f.kind == kind; });
}

void no_placeholders(const coach::Snapshot& s) {
  for (const auto& sug : s.suggestions) {
    INFO(sug.text);
    CHECK(sug.text.find('{') == std::string::npos);
    CHECK(sug.text.find('}') == std::string::npos);
    CHECK_FALSE(sug.text.empty());
  }
}

}  // namespace

TEST_CASE("complaint, an apology spoiled by blame, then a fix", "[conversation]") {
  coach::Conversation c;
  // Before any complaint nothing is expected of the agent.
  c.apply(rules(), {Role::customer, "Hi there, a question about opening hours", t0, "1"});
  auto s = c.snapshot(rules(), t0);
  CHECK(s.checklist.empty());
  CHECK(s.health.score == 100);

  c.apply(rules(), {Role::customer, "@Acme my order #4411 still hasn't arrived and this is ridiculous. - Dana", t0 + 10 * sec, "2"});
  s = c.snapshot(rules(), t0 + 20 * sec);
  REQUIRE(s.checklist.size() == 7);
  CHECK(s.round == 1);
  CHECK(status(s, "apology") == StepStatus::missing);
  CHECK(status(s, "acknowledge") == StepStatus::missing);
  CHECK(s.details.name == "Dana");
  CHECK(s.details.order == "#4411");
  CHECK(s.details.problem == "your order hasn't arrived");
  CHECK_FALSE(has_reason(s, "Still to do"));  // the agent has not had a chance yet
  // The opening question bears no sentiment, so there is no trend yet to fall.
  CHECK_FALSE(has_reason(s, "mood is falling"));
  CHECK(s.health.score == 100);
  REQUIRE(s.suggestions.size() == 3);
  CHECK(s.suggestions[0].step == "acknowledge");
  no_placeholders(s);
  // Suggestions are filled with the details.
  bool mentions_order = false;
  for (const auto& sug : s.suggestions) mentions_order |= sug.text.find("#4411") != std::string::npos;
  CHECK(mentions_order);

  // The agent apologizes but blames the customer.
  auto r = c.apply(rules(), {Role::agent, "Sorry about that, but you should have checked the tracking page.", t0 + 40 * sec, "3"});
  CHECK(has_flag(r.flags, "blame"));
  for (const auto& f : r.flags)
    if (f.kind == "blame") {
      REQUIRE(f.span);
      CHECK_FALSE(f.why.empty());
      CHECK_FALSE(f.try_instead.empty());
    }
  s = c.snapshot(rules(), t0 + 40 * sec);
  CHECK(status(s, "ownership") == StepStatus::spoiled);
  CHECK(has_reason(s, "You blamed the customer at 22:14: 'you should have checked"));
  CHECK(has_reason(s, "Still to do for the complaint at 22:13 (your order hasn't arrived): acknowledge the problem"));
  const int after_blame = s.health.score;
  CHECK(after_blame < 80);
  no_placeholders(s);

  // Then a proper fix.
  r = c.apply(rules(), {Role::agent,
                        "I'm so sorry your order is late, Dana. I'll take care of this myself: I can refund you or "
                        "send a replacement today. Does that work for you?",
                        t0 + 90 * sec, "4"});
  CHECK(r.flags.empty());
  s = c.snapshot(rules(), t0 + 90 * sec);
  CHECK(status(s, "apology") == StepStatus::done);
  CHECK(status(s, "acknowledge") == StepStatus::done);
  CHECK(status(s, "ownership") == StepStatus::done);
  CHECK(status(s, "solution") == StepStatus::done);
  CHECK(status(s, "follow_up") == StepStatus::done);
  CHECK(s.checklist[1].message_id == "4");
  CHECK(s.health.score > after_blame);
  CHECK(has_reason(s, "You blamed the customer at 22:14"));  // what happened stays on the record
  no_placeholders(s);
}

TEST_CASE("a second complaint after a solution opens a new round", "[conversation]") {
  coach::Conversation c;
  c.apply(rules(), {Role::customer, "My app keeps crashing", t0, "1"});
  c.apply(rules(), {Role::agent, "Sorry to hear that! Try reinstalling the app, then let us know if that helps.", t0 + 30 * sec, "2"});
  auto s = c.snapshot(rules(), t0 + 30 * sec);
  CHECK(s.round == 1);
  CHECK(status(s, "solution") == StepStatus::done);
  c.apply(rules(), {Role::customer, "Now I was charged twice for my subscription", t0 + 60 * sec, "3"});
  s = c.snapshot(rules(), t0 + 60 * sec);
  CHECK(s.round == 2);
  CHECK(status(s, "solution") == StepStatus::missing);
  CHECK(status(s, "apology") == StepStatus::missing);
}

TEST_CASE("a complaint repeated before any solution stays in the same round", "[conversation]") {
  coach::Conversation c;
  c.apply(rules(), {Role::customer, "My app keeps crashing", t0, "1"});
  c.apply(rules(), {Role::agent, "We're sorry to hear that.", t0 + 30 * sec, "2"});
  c.apply(rules(), {Role::customer, "It still crashes!!!", t0 + 60 * sec, "3"});
  auto s = c.snapshot(rules(), t0 + 60 * sec);
  CHECK(s.round == 1);
  CHECK(status(s, "apology") == StepStatus::done);
}

TEST_CASE("drafts are checked without changing the state", "[conversation]") {
  coach::Conversation c;
  c.apply(rules(), {Role::customer, "My package is missing", t0, "1"});
  const auto before = c.snapshot(rules(), t0 + 5 * sec);
  auto flags = c.check_draft(rules(), "Calm down, it's not a big deal");
  CHECK(has_flag(flags, "dismissive"));
  CHECK(has_flag(c.check_draft(rules(), "WE ARE LOOKING INTO YOUR PACKAGE NOW"), "all_caps"));
  CHECK(has_flag(c.check_draft(rules(), "ok"), "curt"));
  const auto after = c.snapshot(rules(), t0 + 5 * sec);
  CHECK(after.health.score == before.health.score);
  CHECK(after.health.reasons.size() == before.health.reasons.size());
  CHECK(c.message_count() == 1);
  for (std::size_t i = 0; i < before.checklist.size(); ++i) CHECK(after.checklist[i].status == before.checklist[i].status);
}

TEST_CASE("waiting time counts from the oldest unanswered customer message", "[conversation]") {
  coach::Conversation c;
  c.apply(rules(), {Role::customer, "My order is late", t0, "1"});
  c.apply(rules(), {Role::customer, "hello??", t0 + 60 * sec, "2"});
  auto s = c.snapshot(rules(), t0 + 4 * 60 * sec);
  CHECK(s.waiting_ms == 4 * 60 * sec);
  CHECK(has_reason(s, "The customer has waited 4 min for a reply"));
  c.apply(rules(), {Role::agent, "So sorry for the wait! Let me check your order.", t0 + 5 * 60 * sec, "3"});
  s = c.snapshot(rules(), t0 + 6 * 60 * sec);
  CHECK(s.waiting_ms == 0);
  CHECK_FALSE(has_reason(s, "has waited"));
  CHECK(has_reason(s, "You first replied 5 min after the complaint at 22:13"));
}

TEST_CASE("escalation and falling sentiment lower the score with their reasons", "[conversation]") {
  coach::Conversation c;
  c.apply(rules(), {Role::customer, "Thanks, my order is late though", t0, "1"});
  c.apply(rules(), {Role::customer, "This is the worst service, I want to speak to a manager. Terrible!", t0 + 20 * sec, "2"});
  auto s = c.snapshot(rules(), t0 + 20 * sec);
  CHECK(s.escalated);
  CHECK(s.trend == "falling");
  CHECK(has_reason(s, "The customer escalated at 22:13: 'speak to a manager'"));
  CHECK(has_reason(s, "The customer's mood is falling, last at 22:13: 'This is the worst service"));
  CHECK(s.sentiment.back() < 0);
}

TEST_CASE("the same events give the same state", "[conversation]") {
  auto run = [] {
    coach::Conversation c;
    c.apply(rules(), {Role::customer, "My card was charged twice!! - Sam", t0, "1"});
    c.apply(rules(), {Role::agent, "Unfortunately that's our policy.", t0 + 10 * sec, "2"});
    return c.snapshot(rules(), t0 + 100 * sec);
  };
  const auto a = run(), b = run();
  CHECK(a.health.score == b.health.score);
  REQUIRE(a.health.reasons.size() == b.health.reasons.size());
  for (std::size_t i = 0; i < a.health.reasons.size(); ++i) CHECK(a.health.reasons[i].text == b.health.reasons[i].text);
  REQUIRE(a.suggestions.size() == b.suggestions.size());
  for (std::size_t i = 0; i < a.suggestions.size(); ++i) CHECK(a.suggestions[i].text == b.suggestions[i].text);
}

TEST_CASE("a template whose detail is unknown falls back to a version without it", "[conversation]") {
  coach::Conversation c;
  c.apply(rules(), {Role::customer, "it's broken", t0, "1"});
  const auto s = c.snapshot(rules(), t0);
  CHECK(s.details.name.empty());
  CHECK(s.details.order.empty());
  REQUIRE_FALSE(s.suggestions.empty());
  no_placeholders(s);
}

TEST_CASE("the pack decides which acts are flags and which tone checks run", "[conversation][flags]") {
  coach::Conversation c;
  c.apply(rules(), {Role::customer, "My package is missing", t0, "1"});
  CHECK(has_flag(c.check_draft(rules(), "Unfortunately that is not possible"), "negative_tone"));
  CHECK_FALSE(has_flag(c.check_draft(rules(), "I will check on it now"), "curt"));

  auto pack = test::default_pack();
  pack["flags"].erase("negative_tone");
  pack["tone"]["checks"][1]["max_words"] = 6;
  pack["tone"]["checks"].push_back({{"flag", "shout_lite"}, {"kind", "shouting"}, {"min_letters", 3}, {"ratio", 0.5}});
  pack["flags"]["shout_lite"] = {{"why", "Caps."}, {"try_instead", "Lower case."}, {"label", "Loud words"}};
  auto custom = test::compile_or_fail(pack);
  REQUIRE(custom);
  coach::Conversation d;
  d.apply(*custom, {Role::customer, "My package is missing", t0, "1"});
  CHECK_FALSE(has_flag(d.check_draft(*custom, "Unfortunately that is not possible"), "negative_tone"));
  const auto flags = d.check_draft(*custom, "I will check on it now");
  CHECK(has_flag(flags, "curt"));
  auto r = d.apply(*custom, {Role::agent, "We are SO SORRY", t0 + 10 * sec, "2"});
  CHECK(has_flag(r.flags, "shout_lite"));
  CHECK(has_reason(d.snapshot(*custom, t0 + 20 * sec), "Flagged Loud words at 22:13: 'We are SO SORRY'"));
}

TEST_CASE("a bad tone check or flag is refused with its field", "[conversation][flags]") {
  auto pack = test::default_pack();
  pack["tone"]["checks"].push_back({{"flag", "blame"}, {"kind", "whisper"}});
  pack["flags"]["made_up"] = {{"why", "x"}, {"try_instead", "y"}};
  auto r = coach::compile(pack);
  CHECK_FALSE(r.rules);
  auto has = [&](const std::string& field) {
    return std::any_of(r.problems.begin(), r.problems.end(), [&](const coach::Problem& p) { return p.field == field; });
  };
  CHECK(has("tone.checks[2].kind"));
  CHECK(has("tone.checks[2].flag"));
  CHECK(has("flags.made_up"));
}

TEST_CASE("a pack with the older tone limits still gets both tone checks", "[conversation][flags]") {
  auto pack = test::default_pack();
  pack["tone"] = {{"curt_max_words", 4}, {"caps_min_letters", 8}, {"caps_ratio", 0.8}};
  auto old = test::compile_or_fail(pack);
  REQUIRE(old);
  coach::Conversation c;
  c.apply(*old, {Role::customer, "My package is missing", t0, "1"});
  CHECK(has_flag(c.check_draft(*old, "we will check"), "curt"));
  CHECK(has_flag(c.check_draft(*old, "WE ARE LOOKING INTO YOUR PACKAGE NOW"), "all_caps"));
}
