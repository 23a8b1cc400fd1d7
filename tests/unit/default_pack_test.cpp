// The default pack: every act has rules whose own examples pass, and the hard cases of the
// playbook are labeled as a support lead would label them.
#include <catch2/catch.hpp>

#include <set>

#include "annotator.hpp"
#include "support/packs.hpp"
#include "rule_examples.hpp"

using namespace tact;
using coach::Role;

namespace {
const coach::RuleSet& rules() {
  return test::default_rules();
}
std::vector<std::string> acts(Role role, const std::string& text) { return coach::annotate(rules(), role, text).acts; }
bool has(const std::vector<std::string>& v, const char* act) { return std::find(v.begin(), v.end(), act) != v.end(); }
}  // namespace

TEST_CASE("the default pack compiles and every example of every rule passes", "[default]") {
  const auto results = coach::run_examples(rules());
  for (const auto& r : results) {
    INFO(r.rule_id << (r.must_match ? " should match: " : " should not match: ") << r.text);
    CHECK(r.passed);
  }
}

TEST_CASE("every act of the vocabulary has a rule with examples of its own", "[default]") {
  for (auto role : {Role::customer, Role::agent}) {
    for (auto act : coach::acts_of(role)) {
      INFO(act);
      std::size_t examples = 0;
      for (const auto& cr : rules().rules()) {
        if (cr.rule->act != act) continue;
        for (const auto& text : cr.rule->must_match) {
          INFO(text);
          CHECK(has(acts(role, text), std::string(act).c_str()));
          ++examples;
        }
      }
      CHECK(examples >= 3);
    }
  }
}

TEST_CASE("non-apologies are not apologies", "[default]") {
  auto feel = acts(Role::agent, "Sorry if you feel that way.");
  CHECK(has(feel, "non_apology"));
  CHECK_FALSE(has(feel, "apology"));
  auto policy = acts(Role::agent, "Sorry, but that is our policy.");
  CHECK(has(policy, "non_apology"));
  CHECK(has(policy, "excuse"));
  CHECK_FALSE(has(policy, "apology"));
  CHECK_FALSE(has(acts(Role::agent, "I'm not sorry."), "apology"));
}

TEST_CASE("sympathy is both apology and empathy", "[default]") {
  auto a = acts(Role::agent, "I'm sorry to hear that.");
  CHECK(has(a, "apology"));
  CHECK(has(a, "empathy"));
}

TEST_CASE("a full apology with the problem and a commitment", "[default]") {
  auto a = acts(Role::agent, "I am so sorry your order #4411 is late. I will fix this myself right now.");
  CHECK(has(a, "apology"));
  CHECK(has(a, "acknowledge"));
  CHECK(has(a, "ownership"));
}

TEST_CASE("offers of further help are follow-ups", "[default]") {
  CHECK(has(acts(Role::agent, "Is there anything else I can help with?"), "follow_up"));
  CHECK(has(acts(Role::agent, "Let us know if you need anything else."), "follow_up"));
}
