#include <catch2/catch.hpp>

#include "annotator.hpp"
#include "support/packs.hpp"
#include "rule_set.hpp"

using namespace tact;
using nlohmann::json;

namespace {

// The one problem about `rule` and `field`, or a failed check.
const coach::Problem* find_problem(const coach::CompileResult& r, const std::string& rule, const std::string& field) {
  for (const auto& p : r.problems)
    if (p.rule_id == rule && p.field == field) return &p;
  return nullptr;
}

}  // namespace

TEST_CASE("a valid pack compiles into a shared immutable rule set", "[compiler]") {
  auto r = coach::compile(test::minimal_pack());
  REQUIRE(r.problems.empty());
  REQUIRE(r.rules);
  CHECK(r.rules->rules().size() == 2);
  CHECK(r.rules->pattern_count() == 4);  // 1 + 1 veto for the agent, 2 for the customer
}

TEST_CASE("a bad regex is refused with the rule id, the field, RE2's message and the position", "[compiler]") {
  auto pack = test::minimal_pack();
  pack["rules"][1]["patterns"][1] = "not (working";
  auto r = coach::compile(pack);
  CHECK_FALSE(r.rules);
  auto* p = find_problem(r, "complaint.broken", "patterns[1]");
  REQUIRE(p);
  CHECK_THAT(p->reason, Catch::Contains("missing )"));
  REQUIRE(p->position);
  CHECK(*p->position == 4);
  CHECK_THAT(p->to_string(), Catch::Contains("rule \"complaint.broken\": patterns[1]"));
}

TEST_CASE("an unknown act or role is refused and the known ones are named", "[compiler]") {
  auto pack = test::minimal_pack();
  pack["rules"][0]["act"] = "apologise";
  pack["rules"][1]["role"] = "client";
  auto r = coach::compile(pack);
  CHECK_FALSE(r.rules);
  auto* act = find_problem(r, "apology.sorry", "act");
  REQUIRE(act);
  CHECK_THAT(act->reason, Catch::Contains("\"apologise\" is not a agent act") && Catch::Contains("apology"));
  auto* role = find_problem(r, "complaint.broken", "role");
  REQUIRE(role);
  CHECK_THAT(role->reason, Catch::Contains("\"customer\" or \"agent\""));
}

TEST_CASE("a customer act on an agent rule is refused", "[compiler]") {
  auto pack = test::minimal_pack();
  pack["rules"][0]["act"] = "complaint";
  auto r = coach::compile(pack);
  CHECK_FALSE(r.rules);
  CHECK(find_problem(r, "apology.sorry", "act"));
}

TEST_CASE("duplicate ids are refused", "[compiler]") {
  auto pack = test::minimal_pack();
  pack["rules"][1]["id"] = "apology.sorry";
  auto r = coach::compile(pack);
  CHECK_FALSE(r.rules);
  auto* p = find_problem(r, "apology.sorry", "id");
  REQUIRE(p);
  CHECK_THAT(p->reason, Catch::Contains("duplicate"));
}

TEST_CASE("a rule needs three examples of each kind", "[compiler]") {
  auto pack = test::minimal_pack();
  pack["rules"][0]["examples"]["match"] = {"sorry"};
  pack["rules"][0]["examples"]["no_match"].erase(0);
  auto r = coach::compile(pack);
  CHECK_FALSE(r.rules);
  auto* m = find_problem(r, "apology.sorry", "examples.match");
  REQUIRE(m);
  CHECK_THAT(m->reason, Catch::Contains("has 1 texts") && Catch::Contains("at least 3"));
  CHECK(find_problem(r, "apology.sorry", "examples.no_match"));
}

TEST_CASE("every problem of a pack is listed at once, and nothing is half-loaded", "[compiler]") {
  auto pack = test::minimal_pack();
  pack["rules"][0]["patterns"][0] = "(";
  pack["rules"][1]["patterns"] = json::array();
  pack["rules"][1]["examples"] = "none";
  pack["templates"][0]["variants"] = {"Hello {nmae}"};
  auto r = coach::compile(pack);
  CHECK_FALSE(r.rules);
  CHECK(find_problem(r, "apology.sorry", "patterns[0]"));
  CHECK(find_problem(r, "complaint.broken", "patterns"));
  CHECK(find_problem(r, "complaint.broken", "examples"));
  CHECK(find_problem(r, "", "templates[0].variants[0]"));
  CHECK(find_problem(r, "", "templates[0].variants"));  // the fallback needs no placeholder
  CHECK(r.problems.size() >= 5);
}

TEST_CASE("pack-level shape errors are refused, not thrown", "[compiler]") {
  CHECK_FALSE(coach::compile(json::array()).rules);
  CHECK_FALSE(coach::compile(json{{"rules", 3}}).rules);
  auto pack = test::minimal_pack();
  pack["rules"][0] = 7;
  auto r = coach::compile(pack);
  CHECK_FALSE(r.rules);
  CHECK(find_problem(r, "", "rules[0]"));
}

TEST_CASE("limits on rules and pattern length are refused with the limit named", "[compiler]") {
  auto pack = test::minimal_pack();
  pack["rules"][0]["patterns"][0] = std::string(3000, 'a');
  coach::CompileLimits limits;
  auto r = coach::compile(pack, limits);
  auto* p = find_problem(r, "apology.sorry", "patterns[0]");
  REQUIRE(p);
  CHECK_THAT(p->reason, Catch::Contains("the limit is 2000"));
  limits.pack.max_rules = 1;
  auto r2 = coach::compile(test::minimal_pack(), limits);
  CHECK_FALSE(r2.rules);
  CHECK(find_problem(r2, "", "rules"));
}

// Issue 16, finding 9: 150 patterns of \pL{300} took 22 s and 465 MB to compile at de50cd2.
TEST_CASE("compile-heavy patterns are refused by their program size, with the rule and field", "[compiler]") {
  auto pack = test::minimal_pack();
  pack["rules"][0]["patterns"] = json::array({"\\bsorry\\b", "\\pL{300}"});
  auto r = coach::compile(pack);
  CHECK_FALSE(r.rules);
  const auto rule = pack["rules"][0]["id"].get<std::string>();
  auto* p = find_problem(r, rule, "patterns[1]");
  REQUIRE(p);
  CHECK_THAT(p->reason, Catch::Contains("memory allows"));
  // Many mid-sized patterns add up: every RE2 counts against the pack's budget.
  json many = json::array({"\\bsorry\\b"});  // the apology template still needs its rule
  for (int i = 0; i < 60; ++i) many.push_back("[a-z]{200}x" + std::to_string(i));
  pack["rules"][0]["patterns"] = many;
  coach::CompileLimits budget;
  budget.programs_max_mem = 256 << 10;
  auto over = coach::compile(pack, budget);
  CHECK_FALSE(over.rules);
  bool named = false;
  for (const auto& q : over.problems) named = named || (q.rule_id == rule && q.reason.find("memory budget") != std::string::npos);
  CHECK(named);
  CHECK(coach::compile(pack).rules);  // the same patterns fit the default budget
}

TEST_CASE("a scan that runs out of DFA memory falls back and still finds every act", "[compiler]") {
  // Many alternations make the set's DFA large; a tiny budget forces RE2::Set to give up.
  auto pack = test::minimal_pack();
  json patterns = json::array();
  for (int i = 0; i < 40; ++i) patterns.push_back("[a-z]{" + std::to_string(i % 7 + 1) + "}x" + std::to_string(i) + ".*y");
  patterns.push_back("\\bsorry\\b");
  pack["rules"][0]["patterns"] = patterns;
  coach::CompileLimits tiny;
  tiny.set_max_mem = 8 << 10;
  auto small = coach::compile(pack, tiny);
  auto normal = coach::compile(pack);
  REQUIRE(normal.rules);
  if (!small.rules) {
    // RE2 may refuse to even build the set with this budget: that is a clear refusal, also fine.
    CHECK_THAT(small.problems.at(0).reason, Catch::Contains("memory budget"));
    return;
  }
  std::string text = "well I am so sorry about this, truly sorry ";
  for (int i = 0; i < 200; ++i) text += "abcx" + std::to_string(i % 40) + " ";
  auto a = coach::annotate(*small.rules, coach::Role::agent, text);
  auto b = coach::annotate(*normal.rules, coach::Role::agent, text);
  CHECK(a.scan_fallback);
  CHECK_FALSE(b.scan_fallback);
  CHECK(a.acts == b.acts);
  CHECK(a.rules == b.rules);
  CHECK(a.acts == std::vector<std::string>{"apology"});
}
