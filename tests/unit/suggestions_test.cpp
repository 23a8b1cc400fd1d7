// What the agent is offered: suggested replies that count for their step, restate the problem
// only when it is safe, use details that are right, and know what the conversation has said.
#include <catch2/catch.hpp>

#include "conversation.hpp"
#include "packs.hpp"
#include "suggest.hpp"

using namespace tact;
using coach::Role;

namespace {

constexpr std::int64_t t0 = 1'700'000'000'000;  // 22:13 UTC
constexpr std::int64_t sec = 1000;

bool has_problem(const coach::CompileResult& r, const std::string& field, const std::string& part) {
  for (const auto& p : r.problems)
    if (p.field == field && p.reason.find(part) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("a template variant that would not count for its step refuses the pack", "[unit][suggestions]") {
  auto pack = test::default_pack();
  // The escalation ownership line as it was: no ownership rule recognises it.
  for (auto& t : pack["templates"])
    if (t["step"] == "ownership" && t.contains("when"))
      t["variants"] = {"I'm personally taking this on, {name}, and I'll stay with it until it's fixed.",
                       "I'm personally taking this on, and I'll stay with it until it's fixed."};
  const auto r = coach::compile(pack);
  CHECK_FALSE(r.rules);
  bool named = false;
  for (const auto& p : r.problems)
    if (p.field.find("templates[") == 0 && p.reason.find("not as step \"ownership\"") != std::string::npos &&
        p.reason.find("I'm personally taking this on, Dana") != std::string::npos)
      named = true;
  CHECK(named);
}

TEST_CASE("a variant that reads as an act spoiling its step refuses the pack", "[unit][suggestions]") {
  auto pack = test::default_pack();
  pack["templates"][2]["variants"] = {"Sorry, but {problem}.", "Sorry if you feel that way."};
  const auto r = coach::compile(pack);
  CHECK_FALSE(r.rules);
  CHECK(has_problem(r, "templates[2].variants[1]", "non_apology"));
}

TEST_CASE("every variant of the default pack, sent as offered, counts for its step", "[unit][suggestions]") {
  const auto& rules = test::default_rules();
  coach::Details d;
  d.name = "Dana";
  d.order = "#4411";
  d.problem = "your order hasn't arrived";
  for (const auto& t : rules.coaching().templates)
    for (const auto& v : t.variants) {
      const auto text = coach::fill_variant(v, d);
      INFO(t.step << ": " << text);
      coach::Conversation c;
      c.apply(rules, {Role::customer, "my order #4411 still hasn't arrived", t0, "1"});
      c.apply(rules, {Role::agent, text, t0 + 30 * sec, "2"});
      const auto s = c.snapshot(rules, t0 + 30 * sec);
      bool done = false;
      for (const auto& st : s.checklist)
        if (st.step == t.step) done = st.status == coach::StepStatus::done;
      // follow-up and feedback are expected only after a solution, but still recorded as done
      CHECK(done);
      for (const auto& sug : s.suggestions) CHECK(sug.step != t.step);
    }
}

namespace {

const coach::RuleSet& rules() { return test::default_rules(); }

coach::Snapshot after(coach::Conversation& c, std::int64_t at) { return c.snapshot(rules(), at); }

bool any_suggestion_has(const coach::Snapshot& s, const std::string& part) {
  for (const auto& sug : s.suggestions)
    if (sug.text.find(part) != std::string::npos) return true;
  return false;
}

}  // namespace

TEST_CASE("a restated problem comes from a complaint frame, in the agent's words", "[unit][suggestions]") {
  coach::Conversation c;
  c.apply(rules(), {Role::customer, "@Acme my order #4411 still hasn't arrived and I'm fed up", t0, "1"});
  const auto s = after(c, t0);
  CHECK(s.details.problem == "your order hasn't arrived");
  CHECK(any_suggestion_has(s, "your order hasn't arrived"));
  CHECK_FALSE(any_suggestion_has(s, "fed up"));
  REQUIRE(s.details.sources.count("problem"));
  CHECK(s.details.sources.at("problem").from == "customer");
  CHECK(s.details.sources.at("problem").message_id == "1");
}

TEST_CASE("customer text that no frame recognises is never pasted into a suggestion", "[unit][suggestions]") {
  const char* texts[] = {
      "I can't stand your app anymore",
      "I'm so frustrated, this is the third time",
      "Passed the memory test but Hard drive check showing NOT INSTALLED",
      "my order STILL hasn't arrived 😡😡",
      "why does my \"premium\" account not work",
  };
  for (const auto* text : texts) {
    INFO(text);
    coach::Conversation c;
    c.apply(rules(), {Role::customer, text, t0, "1"});
    const auto s = after(c, t0);
    REQUIRE_FALSE(s.suggestions.empty());
    CHECK_FALSE(any_suggestion_has(s, "can't stand"));
    CHECK_FALSE(any_suggestion_has(s, "frustrated that you're"));
    CHECK_FALSE(any_suggestion_has(s, "INSTALLED"));
    CHECK_FALSE(any_suggestion_has(s, "STILL"));
    CHECK_FALSE(any_suggestion_has(s, "😡"));
    CHECK_FALSE(any_suggestion_has(s, "\""));
    CHECK_FALSE(any_suggestion_has(s, "premium"));
  }
}

TEST_CASE("the name comes from the token or the customer, never from the agent's greeting", "[unit][suggestions]") {
  SECTION("the token's name is used, with its source") {
    coach::Conversation c;
    coach::Event e{Role::customer, "my order #4411 still hasn't arrived", t0, "1"};
    e.customer_name = "dana lee";
    c.apply(rules(), e);
    const auto s = after(c, t0);
    CHECK(s.details.name == "Dana");
    REQUIRE(s.details.sources.count("name"));
    CHECK(s.details.sources.at("name").from == "token");
    CHECK(any_suggestion_has(s, "Dana"));
  }
  SECTION("\"Hi, Welcome to HP support\" gives no name") {
    coach::Conversation c;
    c.apply(rules(), {Role::customer, "my laptop will not turn on", t0, "1"});
    c.apply(rules(), {Role::agent, "Hi, Welcome to HP support. Is the charging light on?", t0 + 30 * sec, "2"});
    c.apply(rules(), {Role::customer, "yes it is, still nothing", t0 + 60 * sec, "3"});
    const auto s = after(c, t0 + 60 * sec);
    CHECK(s.details.name.empty());
    CHECK_FALSE(any_suggestion_has(s, "Welcome"));
  }
  SECTION("nor does the agent's \"Hi Tom\"") {
    coach::Conversation c;
    c.apply(rules(), {Role::customer, "my laptop will not turn on", t0, "1"});
    c.apply(rules(), {Role::agent, "Hi Tom. Is the charging light on?", t0 + 30 * sec, "2"});
    CHECK(after(c, t0 + 30 * sec).details.name.empty());
  }
}

TEST_CASE("a hashtag is no order number", "[unit][suggestions]") {
  coach::Conversation c;
  c.apply(rules(), {Role::customer, "what precautions are you taking as a result of #COVID-19? my refund is late", t0, "1"});
  const auto s = after(c, t0);
  CHECK(s.details.order.empty());
  CHECK_FALSE(any_suggestion_has(s, "COVID"));
}

TEST_CASE("an order number the agent asked not to post publicly is not repeated", "[unit][suggestions]") {
  coach::Conversation c;
  c.apply(rules(), {Role::customer, "my order #4411 still hasn't arrived", t0, "1"});
  CHECK(any_suggestion_has(after(c, t0), "#4411"));
  c.apply(rules(), {Role::agent, "I'm sorry your order hasn't arrived. Please don't post order details publicly - send us a DM instead.",
                    t0 + 30 * sec, "2"});
  c.apply(rules(), {Role::customer, "ok, sent. still nothing", t0 + 60 * sec, "3"});
  const auto s = after(c, t0 + 60 * sec);
  CHECK(s.details.withheld == std::vector<std::string>{"order"});
  CHECK_FALSE(any_suggestion_has(s, "#4411"));
  REQUIRE_FALSE(s.suggestions.empty());
}
