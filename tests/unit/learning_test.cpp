// The learning loop's pure half (issue 22): the coach names what it showed (a flag's rule, a
// suggestion's template, the open complaint's cause), and feedback on it adds up per rule and
// template. No server, no store.
#include <catch2/catch.hpp>

#include <algorithm>

#include "coach_stats.hpp"
#include "conversation.hpp"
#include "json_io.hpp"
#include "rule_set.hpp"
#include "support/packs.hpp"

using namespace tact;
using coach::Role;
using nlohmann::json;

namespace {

constexpr std::int64_t t0 = 1'700'000'000'000;
const coach::RuleSet& rules() { return test::default_rules(); }

json rule_row(const json& stats, const std::string& id) {
  for (const auto& r : stats["rules"])
    if (r["rule"] == id) return r;
  FAIL("no rule " << id << " in " << stats.dump());
  return {};
}

json template_row(const json& stats, const std::string& id) {
  for (const auto& t : stats["templates"])
    if (t["template"] == id) return t;
  FAIL("no template " << id << " in " << stats.dump());
  return {};
}

coach::CoachShown shown(const std::string& conv, const std::string& msg, json flags, json suggestions) {
  return {conv, msg, {{"flags", std::move(flags)}, {"suggestions", std::move(suggestions)}}};
}

json flag(const std::string& rule, const std::string& kind = "blame") { return {{"kind", kind}, {"rule", rule}}; }
json offer(const std::string& tpl, const std::string& step = "apology") { return {{"step", step}, {"text", "x"}, {"template", tpl}}; }

}  // namespace

TEST_CASE("the coach names the rule of each flag, the template of each suggestion and the open complaint's cause", "[learning]") {
  coach::Conversation conv;
  conv.apply(rules(), {Role::customer, "My parcel never arrived, the tracking says delivered but nothing is here", t0, "c1-1", "Dana"});
  auto snap = conv.snapshot(rules(), t0 + 1000);
  CHECK(snap.cause == "delivery");
  CHECK(snap.cause_label == "Delivery");
  REQUIRE_FALSE(snap.suggestions.empty());
  for (const auto& s : snap.suggestions) {
    INFO(s.text);
    CHECK(s.template_id.rfind(s.step + ".", 0) == 0);  // "<step>.<n>" when the pack gives no id
  }
  const auto agent = conv.apply(rules(), {Role::agent, "You should have checked the tracking page before writing.", t0 + 5000, "c1-2", ""});
  const auto blame = std::find_if(agent.flags.begin(), agent.flags.end(), [](const coach::Flag& f) { return f.kind == "blame"; });
  REQUIRE(blame != agent.flags.end());
  CHECK(blame->rule.rfind("blame.", 0) == 0);  // a pattern rule of the pack, not the act again
  const auto j = coach::to_json_value(conv.snapshot(rules(), t0 + 6000));
  CHECK(j["cause"] == json{{"id", "delivery"}, {"label", "Delivery"}});
  CHECK(coach::to_json_value(*blame)["rule"] == blame->rule);
}

TEST_CASE("no cause while no complaint is open; 'other' for a complaint no cause matches", "[learning]") {
  coach::Conversation conv;
  conv.apply(rules(), {Role::customer, "hi there, quick question about opening hours", t0, "c2-1", ""});
  CHECK(conv.snapshot(rules(), t0).cause.empty());
  CHECK(coach::to_json_value(conv.snapshot(rules(), t0))["cause"].is_null());
  coach::Conversation other;
  other.apply(rules(), {Role::customer, "this is ridiculous, I am so annoyed with you people", t0, "c3-1", ""});
  const auto snap = other.snapshot(rules(), t0);
  REQUIRE_FALSE(snap.checklist.empty());
  CHECK(snap.cause == "other");
  CHECK(snap.cause_label == "Other");
}

TEST_CASE("template ids: the pack's own, else <step>.<n>; two alike are refused", "[learning]") {
  auto pack = test::minimal_pack();
  auto step = pack["templates"][0]["step"].get<std::string>();
  pack["templates"].push_back(pack["templates"][0]);
  pack["templates"].back()["id"] = "kind-words";
  auto compiled = coach::compile(pack);
  REQUIRE(compiled.problems.empty());
  const auto& tpls = compiled.rules->coaching().templates;
  CHECK(tpls[0].id == step + ".1");
  CHECK(tpls.back().id == "kind-words");
  pack["templates"].back()["id"] = step + ".1";
  const auto refused = coach::compile(pack).problems;
  CHECK(std::any_of(refused.begin(), refused.end(), [](const coach::Problem& p) { return p.reason.find("already the id") != std::string::npos; }));
}

TEST_CASE("a disputed flag lowers its rule's precision; feedback on what was not shown is not counted", "[learning]") {
  std::vector<coach::CoachShown> coach{
      shown("c1", "c1-2", {flag("blame.a")}, json::array()),
      shown("c1", "c1-4", {flag("blame.a"), flag("tone.all_caps", "all_caps")}, json::array()),
      shown("c2", "c2-2", {flag("blame.a")}, json::array()),
  };
  auto before = coach::coach_stats(coach, {});
  CHECK(rule_row(before, "blame.a")["shown"] == 3);
  CHECK(rule_row(before, "blame.a")["precision"] == 1.0);
  CHECK(rule_row(before, "tone.all_caps")["kind"] == "all_caps");
  std::vector<coach::CoachFeedback> feedback{
      {"c1", "c1-2", "dispute", "blame.a", "it was advice", t0},
      {"c2", "c2-2", "dispute", "blame.zzz", "", t0},      // that message showed no such flag
      {"c9", "c9-1", "dispute", "blame.a", "", t0},        // not in the range
  };
  auto after = coach::coach_stats(coach, feedback);
  const auto row = rule_row(after, "blame.a");
  CHECK(row["disputed"] == 1);
  CHECK(row["precision"].get<double>() == Approx(2.0 / 3));
  CHECK(row["reasons"] == json{"it was advice"});
  CHECK(row["low"] == false);  // fewer than kLowPrecisionShown flags shown
  CHECK(rule_row(after, "tone.all_caps")["disputed"] == 0);
}

TEST_CASE("a rule is of low precision once enough of its flags were shown and too many disputed", "[learning]") {
  std::vector<coach::CoachShown> coach;
  std::vector<coach::CoachFeedback> feedback;
  for (int i = 0; i < coach::kLowPrecisionShown; ++i) {
    const auto id = "c1-" + std::to_string(i);
    coach.push_back(shown("c1", id, {flag("blame.b")}, json::array()));
    if (i < 2) feedback.push_back({"c1", id, "dispute", "blame.b", "", t0 + i});
  }
  const auto row = rule_row(coach::coach_stats(coach, feedback), "blame.b");
  CHECK(row["precision"].get<double>() == Approx(0.6));
  CHECK(row["low"] == true);
}

TEST_CASE("a template offered across several coach events counts once until it goes away; used, edited, ignored", "[learning]") {
  std::vector<coach::CoachShown> coach{
      shown("c1", "c1-1", json::array(), {offer("apology.1"), offer("ownership.1", "ownership")}),
      shown("c1", "c1-2", json::array(), {offer("apology.1")}),  // still the same offer
      shown("c1", "c1-3", json::array(), {offer("ownership.1", "ownership")}),  // offered again after a gap
      shown("c2", "c2-1", json::array(), {offer("apology.1")}),
  };
  std::vector<coach::CoachFeedback> feedback{
      {"c1", "c1-2", "used", "apology.1", "", t0},
      {"c2", "c2-1", "edited", "apology.1", "", t0},
      {"c1", "c1-1", "used", "solution.1", "", t0},  // not offered there
  };
  const auto stats = coach::coach_stats(coach, feedback);
  const auto apology = template_row(stats, "apology.1");
  CHECK(apology["shown"] == 2);
  CHECK(apology["used"] == 1);
  CHECK(apology["edited"] == 1);
  CHECK(apology["ignored"] == 0);
  const auto ownership = template_row(stats, "ownership.1");
  CHECK(ownership["shown"] == 2);
  CHECK(ownership["ignored"] == 2);
  CHECK(ownership["step"] == "ownership");
}
