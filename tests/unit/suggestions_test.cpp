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
  // A line no ownership rule recognises.
  for (auto& t : pack["templates"])
    if (t["step"] == "ownership" && t.contains("when"))
      t["variants"] = {"Have a lovely evening, {name}.", "Have a lovely evening."};
  const auto r = coach::compile(pack);
  CHECK_FALSE(r.rules);
  bool named = false;
  for (const auto& p : r.problems)
    if (p.field.find("templates[") == 0 && p.reason.find("not as step \"ownership\"") != std::string::npos &&
        p.reason.find("Have a lovely evening, Dana") != std::string::npos)
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
      const auto text = coach::fill_variant(v.text, d);
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

bool has_reason(const coach::Snapshot& s, const std::string& part) {
  for (const auto& r : s.health.reasons)
    if (r.text.find(part) != std::string::npos) return true;
  return false;
}

bool has_flag(const std::vector<coach::Flag>& flags, const std::string& kind) {
  return std::any_of(flags.begin(), flags.end(), [&](const coach::Flag& f) { return f.kind == kind; });
}

TEST_CASE("no refund offer after the agent said it can't be done", "[unit][suggestions]") {
  coach::Conversation c;
  c.apply(rules(), {Role::customer, "my order #4411 still hasn't arrived", t0, "1"});
  c.apply(rules(), {Role::agent, "I'm sorry your order hasn't arrived. I'll look into it.", t0 + 30 * sec, "2"});
  CHECK(any_suggestion_has(after(c, t0 + 30 * sec), "refund"));
  c.apply(rules(), {Role::agent, "Unfortunately we can't refund or replace that order.", t0 + 60 * sec, "3"});
  c.apply(rules(), {Role::customer, "so what now?", t0 + 90 * sec, "4"});
  const auto s = after(c, t0 + 90 * sec);
  CHECK_FALSE(any_suggestion_has(s, "refund"));
  CHECK_FALSE(any_suggestion_has(s, "replacement"));
  bool offers_solution = false;
  for (const auto& sug : s.suggestions) offers_solution |= sug.step == "solution";
  CHECK(offers_solution);  // another kind of fix is still offered
}

TEST_CASE("a template condition that names no act or step refuses the pack", "[unit][suggestions]") {
  auto pack = test::default_pack();
  pack["templates"][0]["variants"][0] = {{"text", "I see {problem}."}, {"unless", {"agent:refund_denied"}}};
  pack["templates"][1]["variants"][0] = {{"text", "I hear you."}, {"when", {"sometimes"}}};
  const auto r = coach::compile(pack);
  CHECK_FALSE(r.rules);
  CHECK(has_problem(r, "templates[0].variants[0]", "\"refund_denied\" is not an agent act"));
  CHECK(has_problem(r, "templates[1].variants[0]", "is not a condition"));
}

TEST_CASE("the customer continuing the same complaint stays in the round; the fix is refused", "[unit][health]") {
  coach::Conversation c;
  c.apply(rules(), {Role::customer, "my laptop will not turn on", t0, "1"});
  c.apply(rules(), {Role::agent, "I'm so sorry your laptop won't start. Please try holding the power button for 30 seconds.",
                    t0 + 30 * sec, "2"});
  auto s = after(c, t0 + 30 * sec);
  REQUIRE(s.round == 1);
  c.apply(rules(), {Role::customer, "tried that, it still won't turn on", t0 + 90 * sec, "3"});
  s = after(c, t0 + 90 * sec);
  CHECK(s.round == 1);  // the same problem: no new round, the checklist is kept
  for (const auto& st : s.checklist)
    if (st.step == "apology") CHECK(st.status == coach::StepStatus::done);
    else if (st.step == "solution") {
      CHECK(st.status == coach::StepStatus::missing);
      CHECK(st.why.find("isn't solved yet") != std::string::npos);
    }
  CHECK(any_suggestion_has(s, "didn't fix it"));
}

TEST_CASE("a clearly different problem, or one after a confirmed fix, opens a new round", "[unit][health]") {
  coach::Conversation c;
  c.apply(rules(), {Role::customer, "my laptop will not turn on", t0, "1"});
  c.apply(rules(), {Role::customer, "and my account has been locked too", t0 + 10 * sec, "2"});
  CHECK(after(c, t0 + 10 * sec).round == 2);

  coach::Conversation d;
  d.apply(rules(), {Role::customer, "my app keeps crashing", t0, "1"});
  d.apply(rules(), {Role::agent, "So sorry! Please try reinstalling the app.", t0 + 30 * sec, "2"});
  d.apply(rules(), {Role::customer, "that worked, thanks!", t0 + 60 * sec, "3"});
  d.apply(rules(), {Role::customer, "oh and it keeps logging me out", t0 + 90 * sec, "4"});
  CHECK(after(d, t0 + 90 * sec).round == 2);
}

TEST_CASE("health reasons are plain words with the time and a quote; thanks raise the score", "[unit][health]") {
  coach::Conversation c;
  c.apply(rules(), {Role::customer, "my order #4411 still hasn't arrived", t0, "1"});
  c.apply(rules(), {Role::agent, "You should have checked the tracking page first.", t0 + 30 * sec, "2"});
  auto s = after(c, t0 + 30 * sec);
  CHECK(has_reason(s, "You blamed the customer at 22:13: 'You should have checked"));
  CHECK_FALSE(has_reason(s, "in message"));
  c.apply(rules(), {Role::agent, "I'm so sorry your order hasn't arrived - I can see it's stuck. I'll send a replacement today.",
                    t0 + 60 * sec, "3"});
  const int before = after(c, t0 + 60 * sec).health.score;
  c.apply(rules(), {Role::customer, "great, thank you so much!", t0 + 90 * sec, "4"});
  s = after(c, t0 + 90 * sec);
  CHECK(s.health.score > before);
  CHECK(has_reason(s, "The customer thanked you at 22:14: 'thank you"));
}

TEST_CASE("one message costs at most the pack's message cap", "[unit][health]") {
  coach::Conversation c;
  c.apply(rules(), {Role::customer, "my data is gone, I can't get it back", t0, "1"});
  c.apply(rules(), {Role::agent, "Sorry, but unfortunately we can't recover that. Here's the backup guide: https://x.example/backup",
                    t0 + 30 * sec, "2"});
  const auto s = after(c, t0 + 30 * sec);
  int from_message = 0;
  for (const auto& r : s.health.reasons)
    // The checklist's state (steps still to do or spoiled) is not a penalty of the message.
    if (r.text.rfind("Still to do", 0) != 0 && r.text.find(": spoiled at") == std::string::npos) from_message += r.delta;
  CHECK(from_message >= -rules().coaching().health.message_cap);
  CHECK(s.health.score >= 40);
}

TEST_CASE("a polite \"I'm afraid\" costs nothing", "[unit][health]") {
  coach::Conversation c;
  c.apply(rules(), {Role::customer, "when does the store close?", t0, "1"});
  auto r = c.apply(rules(), {Role::agent, "I'm afraid the store closes at 6, but the online shop is open all night.", t0 + 30 * sec, "2"});
  CHECK(r.flags.empty());
  CHECK(after(c, t0 + 30 * sec).health.score == 100);
}

TEST_CASE("neutral information gives no falling sentiment", "[unit][health]") {
  coach::Conversation c;
  c.apply(rules(), {Role::customer, "thanks for getting back to me, my printer still won't print", t0, "1"});
  c.apply(rules(), {Role::agent, "Sorry about that! Which Windows version and where did you buy it?", t0 + 30 * sec, "2"});
  c.apply(rules(), {Role::customer, "Windows 10, bought online", t0 + 60 * sec, "3"});
  const auto s = after(c, t0 + 60 * sec);
  CHECK(s.trend != "falling");
  CHECK_FALSE(has_reason(s, "mood is falling"));
}

TEST_CASE("a message with only frustration opens a complaint", "[unit][health]") {
  coach::Conversation c;
  c.apply(rules(), {Role::customer, "wtf is going on with my ps4", t0, "1"});
  const auto s = after(c, t0);
  CHECK(s.round == 1);
  CHECK_FALSE(s.checklist.empty());
  CHECK_FALSE(s.suggestions.empty());
}

TEST_CASE("a draft gets every flag the same text gets when sent", "[unit][draft]") {
  const char* drafts[] = {
      "Here's the fix: restart the app.",           // solution before acknowledging: order
      "Thanks for reaching out, what's your email?",  // no acknowledgement in the first reply: deadline
      "You should have checked the tracking page.",  // blame
      "OK",                                          // curt
  };
  for (const auto* text : drafts) {
    INFO(text);
    coach::Conversation c;
    c.apply(rules(), {Role::customer, "my order #4411 still hasn't arrived", t0, "1"});
    const auto draft = c.check_draft(rules(), text, t0 + 5 * 60 * sec);
    const auto sent = c.apply(rules(), {Role::agent, text, t0 + 5 * 60 * sec, "2"}).flags;
    std::vector<std::string> a, b;
    for (const auto& f : draft) a.push_back(f.kind + ": " + f.why);
    for (const auto& f : sent) b.push_back(f.kind + ": " + f.why);
    CHECK(a == b);
    CHECK_FALSE(b.empty());
  }
}

TEST_CASE("a late step costs its points once, though both its deadline and the order flag it", "[unit][health]") {
  coach::Conversation c;
  c.apply(rules(), {Role::customer, "my order #4411 still hasn't arrived", t0, "1"});
  c.apply(rules(), {Role::agent, "Could you tell us the email on the account?", t0 + 30 * sec, "2"});
  const auto r = c.apply(rules(), {Role::agent, "Here's the fix: please try restarting the app.", t0 + 60 * sec, "3"});
  CHECK(has_flag(r.flags, "order"));  // the agent still sees it
  const auto s = after(c, t0 + 60 * sec);
  int late = 0;
  for (const auto& reason : s.health.reasons)
    if (reason.text.find("acknowledge the problem") != std::string::npos && reason.text.rfind("Still to do", 0) != 0) ++late;
  for (const auto& reason : s.health.reasons)
    if (reason.text.find("Acknowledge the problem before") != std::string::npos) ++late;
  CHECK(late == 1);
}
