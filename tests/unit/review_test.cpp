// After the close (issue 22): root causes as pack data, the review of a closed conversation, and
// the insights aggregated over stored reviews. All pure: no server, no store.
#include <catch2/catch.hpp>

#include <algorithm>

#include "insights.hpp"
#include "review.hpp"
#include "rule_examples.hpp"
#include "support/packs.hpp"

using namespace tact;
using coach::Role;
using nlohmann::json;

namespace {

constexpr std::int64_t t0 = 1'700'000'000'000;  // 2023-11-14 22:13:20 UTC
constexpr std::int64_t sec = 1000;

const coach::RuleSet& rules() { return test::default_rules(); }

json cause(const std::string& id, json patterns) {
  return {{"id", id}, {"label", "A label"}, {"patterns", std::move(patterns)},
          {"examples", {{"match", {"parcel late", "parcel lost", "parcel gone"}}, {"no_match", {"a", "b", "c"}}}}};
}

std::vector<coach::Problem> problems_of(json causes) {
  auto pack = test::minimal_pack();
  pack["causes"] = std::move(causes);
  return coach::compile(pack).problems;
}

bool has_problem(const std::vector<coach::Problem>& ps, const std::string& rule, const std::string& field, const std::string& words) {
  return std::any_of(ps.begin(), ps.end(), [&](const coach::Problem& p) {
    return p.rule_id == rule && p.field == field && p.reason.find(words) != std::string::npos;
  });
}

const coach::ReviewStep& step(const coach::Review& r, const std::string& name) {
  for (const auto& s : r.steps)
    if (s.step == name) return s;
  FAIL("no step " << name);
  return r.steps.front();
}

// A late parcel; the agent acknowledges and offers a replacement but never apologizes.
std::vector<coach::Event> no_apology() {
  return {
      {Role::customer, "@Acme my order #4411 still hasn't arrived and this is ridiculous. - Dana", t0, "c1-1", ""},
      {Role::agent, "I see your order #4411 hasn't arrived. I'll take care of this myself: I can send a replacement today.",
       t0 + 30 * sec, "c1-2", ""},
      {Role::customer, "ok, the tracking page still shows nothing", t0 + 60 * sec, "c1-3", ""},
      {Role::agent, "The replacement ships today. Is there anything else I can help with?", t0 + 90 * sec, "c1-4", ""},
  };
}

}  // namespace

TEST_CASE("the default pack's causes compile and their examples run with the rules'", "[causes]") {
  const auto& causes = rules().causes().causes();
  REQUIRE(causes.size() >= 7);
  std::size_t cause_examples = 0, failed = 0;
  for (const auto& r : coach::run_examples(rules()))
    if (r.rule_id.starts_with("cause:")) {
      ++cause_examples;
      if (!r.passed) {
        ++failed;
        UNSCOPED_INFO(r.rule_id << (r.must_match ? " should match: " : " should not match: ") << r.text);
      }
    }
  CHECK(cause_examples >= causes.size() * 6);
  CHECK(failed == 0);
}

TEST_CASE("a bad cause refuses the whole pack with its id, the field and why", "[causes]") {
  auto ps = problems_of(json::array({cause("delivery", {"\\bparcel("})}));
  CHECK(has_problem(ps, "delivery", "causes[0].patterns[0]", "invalid regular expression"));
  ps = problems_of(json::array({cause("other", {"parcel"})}));
  CHECK(has_problem(ps, "other", "causes[0].id", "reserved"));
  ps = problems_of(json::array({cause("delivery", {"parcel"}), cause("delivery", {"parcel"})}));
  CHECK(has_problem(ps, "delivery", "causes[1].id", "duplicate"));
  auto few = cause("billing", {"refund"});
  few["examples"]["no_match"] = {"a"};
  ps = problems_of(json::array({few}));
  CHECK(has_problem(ps, "billing", "causes[0].examples.no_match", "at least 3"));
  ps = problems_of(json::array({cause("Billing!", {"refund"})}));
  CHECK(has_problem(ps, "Billing!", "causes[0].id", "lower-case"));
  ps = problems_of(json::array({cause("delivery", {"{no_such_list}"})}));
  CHECK(has_problem(ps, "delivery", "causes[0].patterns[0]", "unknown lexicon"));
  // Refused, not half-loaded.
  auto pack = test::minimal_pack();
  pack["causes"] = json::array({cause("delivery", {"\\bparcel("})});
  CHECK_FALSE(coach::compile(pack).rules);
}

TEST_CASE("a failing cause example is reported like a rule's", "[causes]") {
  auto pack = test::minimal_pack();
  auto c = cause("delivery", {"\\bparcel\\b"});
  c["examples"]["match"].push_back("my package is late");  // the pattern does not know "package"
  pack["causes"] = json::array({c});
  auto compiled = coach::compile(pack);
  REQUIRE(compiled.rules);
  std::vector<std::string> failing;
  for (const auto& r : coach::run_examples(*compiled.rules))
    if (!r.passed) failing.push_back(r.rule_id + ": " + r.text);
  CHECK(failing == std::vector<std::string>{"cause:delivery: my package is late"});
}

TEST_CASE("a review lists the missed apology, the first response, the root cause and the outcome", "[review]") {
  const auto r = coach::review_conversation(rules(), no_apology(), t0 + 120 * sec);
  CHECK(r.complaint);
  CHECK(r.customer_messages == 2);
  CHECK(r.agent_messages == 2);
  REQUIRE(r.first_response_ms);
  CHECK(*r.first_response_ms == 30 * sec);
  CHECK(step(r, "apology").status == "missed");
  CHECK(step(r, "apology").message_id.empty());
  CHECK_FALSE(step(r, "apology").why.empty());
  CHECK(step(r, "acknowledge").status == "done");
  CHECK(step(r, "acknowledge").message_id == "c1-2");
  CHECK(step(r, "acknowledge").at == t0 + 30 * sec);
  CHECK(r.root_cause.id == "delivery");
  CHECK(r.root_cause.message_id == "c1-1");
  CHECK(r.root_cause.counts.at("delivery") == 2);  // the order and the tracking page
  CHECK(r.outcome.result == "unresolved");
  CHECK_FALSE(r.outcome.abandoned);
  REQUIRE(r.timeline.size() == 4);
  CHECK(r.timeline[0].message_id == "c1-1");
  CHECK(r.timeline[0].score == 100);
  CHECK(r.final_health.score < 100);  // the missing apology costs points

  const auto j = coach::review_json(r);
  CHECK(j["missed"] == json::array({"apology", "empathy", "feedback_request"}));
  CHECK(j["root_cause"]["id"] == "delivery");
  CHECK(j["outcome"]["result"] == "unresolved");
  CHECK(j["first_response_ms"] == 30000);
  CHECK(j["health"]["timeline"].size() == 4);
}

TEST_CASE("flags in a review name the message, the rule and the act", "[review]") {
  auto events = no_apology();
  events[3] = {Role::agent, "You should have checked the tracking page before writing.", t0 + 90 * sec, "c1-4", ""};
  const auto r = coach::review_conversation(rules(), events, t0 + 120 * sec);
  const auto blame = std::find_if(r.flags.begin(), r.flags.end(), [](const coach::ReviewFlag& f) { return f.kind == "blame"; });
  REQUIRE(blame != r.flags.end());
  CHECK(blame->message_id == "c1-4");
  CHECK(blame->at == t0 + 90 * sec);
  CHECK_FALSE(blame->rule.empty());
  CHECK(blame->rule != "blame");  // the rule's id, not the act again
  CHECK(step(r, "ownership").status == "spoiled");
  CHECK(step(r, "ownership").message_id == "c1-4");
}

TEST_CASE("outcomes: abandoned, resolved, escalated; no cause is 'other'", "[review]") {
  auto events = no_apology();
  events.push_back({Role::customer, "hello? are you still there??", t0 + 200 * sec, "c1-5", ""});
  auto r = coach::review_conversation(rules(), events, t0 + 300 * sec);
  CHECK(r.outcome.result == "abandoned");
  CHECK(r.outcome.abandoned);

  // A last word that only thanks leaves nothing to answer: thanked, not abandoned; "thanks, but
  // it is still broken" is still waiting for an answer.
  events = no_apology();
  events.push_back({Role::customer, "Thank you, that's great", t0 + 200 * sec, "c1-5", ""});
  r = coach::review_conversation(rules(), events, t0 + 300 * sec);
  CHECK_FALSE(r.outcome.abandoned);
  CHECK(r.outcome.result == "thanked");
  events.back().text = "Thanks, but it still hasn't arrived!";
  r = coach::review_conversation(rules(), events, t0 + 300 * sec);
  CHECK(r.outcome.result == "abandoned");

  events = no_apology();
  events.push_back({Role::customer, "It arrived just now, problem solved. Thanks!", t0 + 200 * sec, "c1-5", ""});
  events.push_back({Role::agent, "Glad to hear it!", t0 + 210 * sec, "c1-6", ""});
  r = coach::review_conversation(rules(), events, t0 + 300 * sec);
  CHECK(r.outcome.result == "resolved");
  CHECK(r.outcome.thanked);

  events = no_apology();
  events.push_back({Role::customer, "I want to speak to a manager right now", t0 + 200 * sec, "c1-5", ""});
  events.push_back({Role::agent, "I'll get my manager.", t0 + 210 * sec, "c1-6", ""});
  r = coach::review_conversation(rules(), events, t0 + 300 * sec);
  CHECK(r.outcome.result == "escalated");

  r = coach::review_conversation(rules(), {{Role::customer, "What are your opening hours?", t0, "c2-1", ""},
                                           {Role::agent, "We open at nine.", t0 + 5 * sec, "c2-2", ""}},
                                 t0 + 60 * sec);
  CHECK_FALSE(r.complaint);
  CHECK(r.steps.empty());
  CHECK(r.root_cause.id == "other");
  CHECK(r.root_cause.message_id.empty());
}

TEST_CASE("the root cause is the one most customer messages show, the first on a tie", "[review]") {
  std::vector<coach::Event> events{
      {Role::customer, "I was charged twice for my order", t0, "c3-1", ""},
      {Role::agent, "Let me check.", t0 + 10 * sec, "c3-2", ""},
      {Role::customer, "and the app crashes when I open the invoice", t0 + 20 * sec, "c3-3", ""},
      {Role::customer, "the app keeps crashing", t0 + 30 * sec, "c3-4", ""},
  };
  auto r = coach::review_conversation(rules(), events, t0 + 60 * sec);
  CHECK(r.root_cause.counts.at("billing") == 2);
  CHECK(r.root_cause.counts.at("product_defect") == 2);
  CHECK(r.root_cause.id == "billing");  // a tie: billing showed first
  CHECK(r.root_cause.message_id == "c3-1");
  CHECK(r.root_cause.label == "Billing");
  events.push_back({Role::customer, "it crashed again just now", t0 + 40 * sec, "c3-5", ""});
  r = coach::review_conversation(rules(), events, t0 + 60 * sec);
  CHECK(r.root_cause.id == "product_defect");
  CHECK(r.root_cause.message_id == "c3-3");
}

TEST_CASE("insights aggregate reviews per agent and for the team", "[insights]") {
  const auto day1 = *coach::parse_time_bound("2026-12-01", false);
  const auto day2 = *coach::parse_time_bound("2026-12-02", false);
  auto review = [&](std::int64_t closed_at, const std::vector<coach::Event>& events) {
    return coach::review_json(coach::review_conversation(rules(), events, closed_at));
  };
  std::vector<coach::Event> late;
  for (auto e : no_apology()) {
    e.at_ms = e.at_ms - t0 + day1;
    late.push_back(e);
  }
  std::vector<coach::ReviewRow> rows{
      {"c1", "alice", day1 + 120 * sec, review(day1 + 120 * sec, late), coach::RatingValue{2, "slow", day1 + 200 * sec}},
      {"c2", "alice", day1 + 500 * sec, review(day1 + 500 * sec, late), coach::RatingValue{4, "", day1 + 600 * sec}},
      {"c3", "bob", day2 + 100 * sec, review(day2 + 100 * sec, late), std::nullopt},
      {"c4", "bob", day2 + 86400 * sec, review(day2 + 86400 * sec, late), std::nullopt},  // outside the range
  };
  const auto j = coach::insights(rows, day1, *coach::parse_time_bound("2026-12-02", true));
  const auto& team = j["team"];
  CHECK(team["conversations"] == 3);
  CHECK(team["per_day"] == json{{"2026-12-01", 2}, {"2026-12-02", 1}});
  CHECK(team["median_first_response_ms"] == 30000);
  CHECK(team["steps"]["apology"]["missed"] == 3);
  CHECK(team["steps"]["apology"]["rate"] == 0.0);
  CHECK(team["steps"]["acknowledge"]["rate"] == 1.0);
  CHECK(team["top_causes"][0]["id"] == "delivery");
  CHECK(team["top_causes"][0]["count"] == 3);
  CHECK(team["top_causes"][0]["per_day"] == json{{"2026-12-01", 2}, {"2026-12-02", 1}});
  CHECK(team["ratings"]["count"] == 2);
  CHECK(team["ratings"]["mean"] == 3.0);
  CHECK(team["ratings"]["distribution"] == json{{"1", 0}, {"2", 1}, {"3", 0}, {"4", 1}, {"5", 0}});
  REQUIRE(j["agents"].size() == 2);
  CHECK(j["agents"][0]["agent"] == "alice");
  CHECK(j["agents"][0]["conversations"] == 2);
  CHECK(j["agents"][1]["agent"] == "bob");
  CHECK(j["agents"][1]["ratings"]["mean"].is_null());
  CHECK(j["agents"][1]["conversations"] == 1);
}

TEST_CASE("insight ranges: ISO dates or ms since the epoch", "[insights]") {
  CHECK(coach::parse_time_bound("2026-12-01", false) == 1796083200000);
  CHECK(coach::parse_time_bound("2026-12-01", true) == 1796083200000 + 86400000);
  CHECK(coach::parse_time_bound("1796083200000", false) == 1796083200000);
  CHECK(coach::utc_day(1796083200000) == "2026-12-01");
  CHECK(coach::utc_day(1796083200000 - 1) == "2026-11-30");
  CHECK(coach::parse_time_bound("2026-02-29", false) == std::nullopt);
  CHECK(coach::parse_time_bound("2028-02-29", false).has_value());
  CHECK(coach::parse_time_bound("2026-13-01", false) == std::nullopt);
  CHECK(coach::parse_time_bound("yesterday", false) == std::nullopt);
  CHECK(coach::parse_time_bound("", false) == std::nullopt);
  CHECK(coach::parse_time_bound("-5", false) == std::nullopt);
}
