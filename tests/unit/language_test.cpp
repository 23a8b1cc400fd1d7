// The rule language beyond plain patterns: lexicons, clause scope and vetoes, negation, implications.
#include <catch2/catch.hpp>

#include "annotator.hpp"
#include "clauses.hpp"
#include "support/packs.hpp"
#include "rule_examples.hpp"
#include "rule_set.hpp"

using namespace tact;
using coach::Role;
using nlohmann::json;

namespace {

const coach::Problem* find_problem(const coach::CompileResult& r, const std::string& rule, const std::string& field) {
  for (const auto& p : r.problems)
    if (p.rule_id == rule && p.field == field) return &p;
  return nullptr;
}

// The minimal pack with one more rule.
json pack_with(json rule) {
  auto pack = test::minimal_pack();
  pack["rules"].push_back(std::move(rule));
  return pack;
}

json solution_rule(json patterns) {
  return test::rule_json("solution.refund", "solution", "agent", std::move(patterns),
                         {"We will refund you today", "A refund is on its way", "You'll get your money back"},
                         {"hello", "we will look into it", "thanks for waiting"});
}

std::string span_text(const std::string& text, const coach::Span& s) { return text.substr(s.begin, s.end - s.begin); }

std::vector<std::string> clause_texts(const std::string& text) {
  std::vector<std::string> out;
  for (const auto& c : coach::split_clauses(text).clauses) out.push_back(text.substr(c.begin, c.end - c.begin));
  return out;
}

}  // namespace

// ---- lexicons

TEST_CASE("a lexicon reference matches any of its entries, multi-word ones too, with exact spans", "[language][lexicon]") {
  auto pack = pack_with(solution_rule({"\\b{refund_word}\\b"}));
  pack["lexicons"] = {{"refund_word", {"refund", "money back", "store credit"}}};
  auto rules = test::compile_or_fail(pack);
  REQUIRE(rules);
  const std::string text = "Good news: you'll get your money back by Friday.";
  auto a = coach::annotate(*rules, Role::agent, text);
  REQUIRE(a.has("solution"));
  REQUIRE(a.spans.size() == 1);
  CHECK(span_text(text, a.spans[0]) == "money back");
  CHECK(coach::annotate(*rules, Role::agent, "We can issue STORE CREDIT").has("solution"));
  CHECK_FALSE(coach::annotate(*rules, Role::agent, "your money is safe").has("solution"));
}

TEST_CASE("lexicon entries are literal text, not regular expressions", "[language][lexicon]") {
  auto pack = pack_with(solution_rule({"\\b{code}\\b"}));
  pack["lexicons"] = {{"code", {"r.e.f", "a+b"}}};
  auto rules = test::compile_or_fail(pack);
  REQUIRE(rules);
  CHECK(coach::annotate(*rules, Role::agent, "use code r.e.f today").has("solution"));
  CHECK_FALSE(coach::annotate(*rules, Role::agent, "use code rxeyf today").has("solution"));
  CHECK_FALSE(coach::annotate(*rules, Role::agent, "grade aab").has("solution"));
  CHECK(coach::annotate(*rules, Role::agent, "grade a+b work").has("solution"));
}

TEST_CASE("RE2's own braces are not lexicon references", "[language][lexicon]") {
  auto rules = test::compile_or_fail(pack_with(solution_rule({"\\bre{2}fund\\b", "\\bcredit[s]{0,1}\\b"})));
  REQUIRE(rules);
  CHECK(coach::annotate(*rules, Role::agent, "a reefund").has("solution"));
  CHECK(coach::annotate(*rules, Role::agent, "two credits").has("solution"));
}

TEST_CASE("an unknown lexicon is refused with the rule id, the field and the name", "[language][lexicon]") {
  auto pack = pack_with(solution_rule({"\\brefund\\b", "\\b{refund_words}\\b"}));
  pack["lexicons"] = {{"refund_word", {"refund"}}};
  pack["rules"][0]["unless"] = {"{nope} if you"};
  auto r = coach::compile(pack);
  CHECK_FALSE(r.rules);
  auto* p = find_problem(r, "solution.refund", "patterns[1]");
  REQUIRE(p);
  CHECK_THAT(p->reason, Catch::Contains("unknown lexicon {refund_words}"));
  CHECK(find_problem(r, "apology.sorry", "unless[0]"));
}

TEST_CASE("a bad lexicon is refused whole", "[language][lexicon]") {
  auto pack = test::minimal_pack();
  pack["lexicons"] = {{"9lives", {"cat"}}, {"empty", json::array()}, {"blank", {"ok", ""}}, {"twice", {"a", "A "}}};
  auto r = coach::compile(pack);
  CHECK_FALSE(r.rules);
  CHECK(find_problem(r, "", "lexicons.9lives"));
  CHECK(find_problem(r, "", "lexicons.empty"));
  CHECK(find_problem(r, "", "lexicons.blank[1]"));
  CHECK_FALSE(find_problem(r, "", "lexicons.twice[1]"));  // "A " normalizes to "A", not "a": case is the matcher's
}

TEST_CASE("lint names lexicons no pattern uses and entries no example exercises", "[language][lexicon][lint]") {
  auto pack = pack_with(solution_rule({"\\b{refund_word}\\b"}));
  pack["lexicons"] = {{"refund_word", {"refund", "money back", "rebate"}}, {"spare", {"x"}}};
  auto rules = test::compile_or_fail(pack);
  REQUIRE(rules);
  const auto findings = coach::lint(*rules);
  auto has = [&](const std::string& field, const std::string& words) {
    return std::any_of(findings.begin(), findings.end(), [&](const coach::LintFinding& f) {
      return f.field == field && f.message.find(words) != std::string::npos;
    });
  };
  CHECK(has("lexicons.spare", "no pattern or veto uses {spare}"));
  CHECK(has("lexicons.refund_word[2]", "\"rebate\""));
  CHECK_FALSE(has("lexicons.refund_word[0]", "refund"));
  CHECK_FALSE(has("lexicons.refund_word[1]", "money back"));
}

// ---- clauses

TEST_CASE("text splits into sentences at . ! ? and into clauses at ; and after contrast words", "[language][clause]") {
  CHECK(clause_texts("I'm sorry, but we can't refund it. Anything else?? Thanks; bye") ==
        std::vector<std::string>{"I'm sorry, but", "we can't refund it.", "Anything else??", "Thanks;", "bye"});
  CHECK(clause_texts("It works, although, slowly. However it crashed") ==
        std::vector<std::string>{"It works, although,", "slowly.", "However it crashed"});
  const auto seg = coach::split_clauses("One. Two, but three!");
  REQUIRE(seg.sentences.size() == 2);
  REQUIRE(seg.clauses.size() == 3);
  CHECK(seg.clauses[2].sentence == 1);
}

TEST_CASE("abbreviations, decimals and ellipses do not end a sentence", "[language][clause]") {
  CHECK(clause_texts("Try e.g. a restart. It costs 3.50 in the U.S. today") ==
        std::vector<std::string>{"Try e.g. a restart.", "It costs 3.50 in the U.S. today"});
  CHECK(clause_texts("well... it broke") == std::vector<std::string>{"well... it broke"});
  CHECK(clause_texts("  ").empty());
  CHECK(clause_texts("butter is fine, though") == std::vector<std::string>{"butter is fine, though"});
  CHECK(clause_texts("grant access &amp; restart, it&#39;s quick; done") ==
        std::vector<std::string>{"grant access &amp; restart, it&#39;s quick;", "done"});
}

TEST_CASE("a match lies in one clause: a pattern cannot reach across sentences", "[language][clause]") {
  auto rules = test::compile_or_fail(pack_with(solution_rule({"\\bsorry\\b.*\\brefund\\b"})));
  REQUIRE(rules);
  CHECK(coach::annotate(*rules, Role::agent, "so sorry, we will refund you").has("solution"));
  CHECK_FALSE(coach::annotate(*rules, Role::agent, "So sorry. We will refund you").has("solution"));
  CHECK_FALSE(coach::annotate(*rules, Role::agent, "so sorry, but a refund is coming").has("solution"));
}

TEST_CASE("a rule's veto cancels only the matches of its own clause", "[language][clause]") {
  auto rules = test::compile_or_fail(test::minimal_pack());  // apology vetoed by "sorry if you"
  REQUIRE(rules);
  CHECK_FALSE(coach::annotate(*rules, Role::agent, "Sorry if you feel that way.").has("apology"));
  const std::string text = "Sorry if you feel that way. I am truly sorry the order is late.";
  auto a = coach::annotate(*rules, Role::agent, text);
  REQUIRE(a.has("apology"));
  REQUIRE(a.spans.size() == 1);
  CHECK(a.spans[0].begin == text.rfind("sorry"));
}

TEST_CASE("a pattern's own veto cancels that pattern alone", "[language][clause]") {
  auto rule = test::rule_json("gratitude.thanks", "gratitude", "customer",
                              {{{"pattern", "\\bthanks\\b"}, {"unless", {"\\bthanks for nothing\\b"}}}, "\\bappreciate\\b"},
                              {"thanks", "I appreciate it", "thanks for nothing. I appreciate you though"},
                              {"thanks for nothing", "hello", "ok"});
  auto rules = test::compile_or_fail(pack_with(rule));
  REQUIRE(rules);
  CHECK_FALSE(coach::annotate(*rules, Role::customer, "well thanks for nothing").has("gratitude"));
  CHECK(coach::annotate(*rules, Role::customer, "Thanks for nothing. Thanks for the fix though").has("gratitude"));
  CHECK(coach::annotate(*rules, Role::customer, "thanks for nothing, appreciate it").has("gratitude"));
}

TEST_CASE("scope sentence reaches across clauses; scope message vetoes anywhere", "[language][clause]") {
  auto sentence = solution_rule({"\\bbut we\\b"});
  sentence["scope"] = "sentence";
  auto message = test::rule_json("apology.whole", "apology", "agent", {"\\bapologi[sz]e\\b"}, {"we apologize", "I apologise", "apologize"},
                                 {"hi", "ok", "we apologize. sorry if you feel bad"});
  message["scope"] = "message";
  message["unless"] = {"\\bsorry if you\\b"};
  auto pack = pack_with(sentence);
  pack["rules"].push_back(message);
  auto rules = test::compile_or_fail(pack);
  REQUIRE(rules);
  CHECK(coach::annotate(*rules, Role::agent, "I'm sorry, but we can't").has("solution"));
  CHECK_FALSE(coach::annotate(*rules, Role::agent, "Sorry, but! We can't").has("solution"));
  CHECK(coach::annotate(*rules, Role::agent, "We apologize for the delay").has("apology"));
  CHECK_FALSE(coach::annotate(*rules, Role::agent, "We apologize. Sorry if you feel that way").has("apology"));
  auto bad = pack_with(solution_rule({"x"}));
  bad["rules"][2]["scope"] = "paragraph";
  CHECK(find_problem(coach::compile(bad), "solution.refund", "scope"));
}

// ---- negation

namespace {
json negation_pack(json rule) {
  auto pack = pack_with(std::move(rule));
  pack["negation"] = {{"negators", {"not", "can't", "cannot", "unable to", "no", "isn't", "don't"}},
                      {"after", {"isn't possible", "is not available"}},
                      {"except", {"no problem", "not only", "if you don't"}},
                      {"window_words", 4}};
  return pack;
}
}  // namespace

TEST_CASE("a negator before a negatable match in its clause cancels it", "[language][negation]") {
  auto rule = solution_rule({"\\brefund\\b", "\\breplacement\\b"});
  rule["negatable"] = true;
  auto rules = test::compile_or_fail(negation_pack(rule));
  REQUIRE(rules);
  auto sol = [&](const std::string& t) { return coach::annotate(*rules, Role::agent, t).has("solution"); };
  CHECK(sol("We can offer a refund"));
  CHECK_FALSE(sol("We can't offer a refund"));
  CHECK_FALSE(sol("we are unable to refund it"));
  CHECK_FALSE(sol("A replacement isn't possible, and no refund either"));  // a negator after the match
  CHECK_FALSE(sol("sadly a refund is not available for this"));
  CHECK(sol("A refund is possible, the replacement isn't possible"));
  CHECK(sol("No problem, a refund is on its way"));               // an exception is no negator
  CHECK(sol("We can't change the date, but a refund is possible"));  // another clause
  CHECK(sol("I cannot say how sorry we are for all of this mess; a refund is yours"));
  CHECK(sol("It isn't what you hoped to hear after all this, here's a refund"));  // beyond the window
  CHECK(sol("No refund for the fee. A replacement ships today"));  // one match survives
  // An exception that starts before the window still covers its negator.
  CHECK(sol("If you don't see the refund by Friday, tell us"));
  CHECK(sol("and if you don't receive the refund by Friday, tell us"));
  CHECK_FALSE(sol("and then you don't get the refund"));
}

TEST_CASE("negation can be set per pattern, and spans show the surviving match", "[language][negation]") {
  auto rule = solution_rule({{{"pattern", "\\bsorry\\b"}, {"negatable", true}}, "\\bregret\\b"});
  auto rules = test::compile_or_fail(negation_pack(rule));
  REQUIRE(rules);
  CHECK_FALSE(coach::annotate(*rules, Role::agent, "I am not sorry").has("solution"));
  CHECK(coach::annotate(*rules, Role::agent, "I do not regret it").has("solution"));
  const std::string text = "not sorry at all, well, sorry";
  auto a = coach::annotate(*rules, Role::agent, text);
  auto span = std::find_if(a.spans.begin(), a.spans.end(), [](const coach::Span& s) { return s.act == "solution"; });
  REQUIRE(span != a.spans.end());
  CHECK(span->begin == text.rfind("sorry"));
  CHECK(coach::annotate(*rules, Role::agent, text, coach::Spans::no).has("solution"));
}

TEST_CASE("a negatable rule needs the pack's negators", "[language][negation]") {
  auto rule = solution_rule({"\\brefund\\b"});
  rule["negatable"] = true;
  auto r = coach::compile(pack_with(rule));
  CHECK_FALSE(r.rules);
  CHECK(find_problem(r, "solution.refund", "negatable"));
}

// ---- implications

namespace {
json implication_pack() {
  auto pack = pack_with(test::rule_json("frustration.words", "frustration", "customer", {"\\bridiculous\\b"},
                                        {"ridiculous", "so ridiculous", "RIDICULOUS"}, {"fine", "ok", "hello"}));
  pack["rules"].push_back(test::rule_json("gratitude.thanks", "gratitude", "customer", {"\\bthanks\\b"},
                                          {"thanks", "thanks!", "ok thanks"}, {"fine", "ok", "hello"}));
  pack["implies"] = json::array(
      {{{"id", "implies.frustration-complaint"},
        {"if", {"frustration"}},
        {"and_not", {"gratitude"}},
        {"then", "complaint"},
        {"examples", {{"match", {"this is ridiculous", "RIDICULOUS", "ridiculous wait"}},
                      {"no_match", {"ridiculous how fast, thanks", "all fine", "thanks"}}}}}});
  return pack;
}
}  // namespace

TEST_CASE("an implication adds its act when its conditions hold, and names itself", "[language][implies]") {
  auto rules = test::compile_or_fail(implication_pack());
  REQUIRE(rules);
  const std::string text = "This is ridiculous";
  auto a = coach::annotate(*rules, Role::customer, text);
  CHECK(a.acts == std::vector<std::string>{"complaint", "frustration"});
  CHECK(a.rules == std::vector<std::string>{"frustration.words", "implies.frustration-complaint"});
  REQUIRE(a.spans.size() == 2);
  CHECK(span_text(text, a.spans[0]) == "ridiculous");
  CHECK(a.spans[0].begin == a.spans[1].begin);
  auto thanked = coach::annotate(*rules, Role::customer, "ridiculous how fast that was, thanks");
  CHECK(thanked.acts == std::vector<std::string>{"frustration", "gratitude"});
  CHECK(coach::annotate(*rules, Role::agent, "This is ridiculous").acts.empty());
}

TEST_CASE("implications run in order, each seeing the ones before", "[language][implies]") {
  auto pack = implication_pack();
  pack["implies"].push_back({{"id", "implies.complaint-escalation"},
                             {"if", {"complaint", "frustration"}},
                             {"then", "escalation"},
                             {"examples", {{"match", {"ridiculous", "so ridiculous", "RIDICULOUS!"}},
                                           {"no_match", {"fine", "thanks", "ridiculous, thanks"}}}}});
  auto rules = test::compile_or_fail(pack);
  REQUIRE(rules);
  CHECK(coach::annotate(*rules, Role::customer, "ridiculous").has("escalation"));
  for (const auto& r : coach::run_examples(*rules)) CHECK(r.passed);
}

TEST_CASE("rules test runs an implication's examples and reports its id", "[language][implies]") {
  auto pack = implication_pack();
  pack["implies"][0]["examples"]["match"].push_back("all good here");
  auto rules = test::compile_or_fail(pack);
  REQUIRE(rules);
  std::vector<std::string> failed;
  for (const auto& r : coach::run_examples(*rules))
    if (!r.passed) failed.push_back(r.rule_id + ": " + r.text);
  CHECK(failed == std::vector<std::string>{"implies.frustration-complaint: all good here"});
}

TEST_CASE("a bad implication is refused with its id, field and reason", "[language][implies]") {
  auto pack = implication_pack();
  pack["implies"][0]["and_not"] = {"apology"};
  pack["implies"].push_back({{"id", "implies.bad"}, {"if", {"gratitude"}}, {"then", "happiness"}, {"examples", {{"match", {"a"}}, {"no_match", json::array()}}}});
  pack["implies"].push_back({{"id", "frustration.words"}, {"if", {"frustration"}}, {"then", "complaint"},
                             {"examples", {{"match", {"a", "b", "c"}}, {"no_match", {"d", "e", "f"}}}}});
  auto r = coach::compile(pack);
  CHECK_FALSE(r.rules);
  auto* role = find_problem(r, "implies.frustration-complaint", "and_not[0]");
  REQUIRE(role);
  CHECK_THAT(role->reason, Catch::Contains("not a customer act"));
  CHECK(find_problem(r, "implies.bad", "then"));
  CHECK(find_problem(r, "implies.bad", "examples.match"));
  CHECK(find_problem(r, "frustration.words", "id"));
}
