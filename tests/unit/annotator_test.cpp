#include <catch2/catch.hpp>

#include "annotator.hpp"
#include "support/packs.hpp"

using namespace tact;
using coach::Role;

namespace {
const coach::RuleSet& rules() {
  static auto set = test::compile_or_fail(test::minimal_pack());
  return *set;
}
}  // namespace

TEST_CASE("a veto stops the rule in the clause of the match", "[annotator]") {
  CHECK(coach::annotate(rules(), Role::agent, "I'm so sorry").acts == std::vector<std::string>{"apology"});
  auto vetoed = coach::annotate(rules(), Role::agent, "I'm sorry if you feel that way");
  CHECK(vetoed.acts.empty());
  CHECK(vetoed.rules.empty());
  CHECK(vetoed.spans.empty());
}

TEST_CASE("rules of the other role never fire", "[annotator]") {
  CHECK(coach::annotate(rules(), Role::customer, "sorry").acts.empty());
  CHECK(coach::annotate(rules(), Role::agent, "it is broken").acts.empty());
}

TEST_CASE("matching is case-insensitive by default", "[annotator]") {
  CHECK(coach::annotate(rules(), Role::customer, "IT IS BROKEN").has("complaint"));
}

TEST_CASE("spans are byte offsets into the original text, also after non-ASCII text", "[annotator]") {
  const std::string text = "@Zoë  Ça ne marche pas \xE2\x80\x94 it\xE2\x80\x99s broken, \xF0\x9F\x98\xA1 not working";
  auto a = coach::annotate(rules(), Role::customer, text);
  REQUIRE(a.acts == std::vector<std::string>{"complaint"});
  REQUIRE(a.spans.size() == 1);  // one span per fired rule, from its first matching pattern
  CHECK(a.spans[0].rule == "complaint.broken");
  CHECK(text.substr(a.spans[0].begin, a.spans[0].end - a.spans[0].begin) == "broken");
  const std::string only_second = "Zoë: \xE2\x80\x9Cit\xE2\x80\x99s not working\xE2\x80\x9D";
  auto b = coach::annotate(rules(), Role::customer, only_second);
  REQUIRE(b.spans.size() == 1);
  CHECK(only_second.substr(b.spans[0].begin, b.spans[0].end - b.spans[0].begin) == "not working");
}

TEST_CASE("handles and links do not trigger rules", "[annotator]") {
  CHECK(coach::annotate(rules(), Role::customer, "@broken_bot see https://x.co/broken").acts.empty());
}

TEST_CASE("the same input gives the same output", "[annotator]") {
  const std::string text = "I'm sorry, sorry, SORRY it's broken";
  auto a = coach::annotate(rules(), Role::agent, text);
  for (int i = 0; i < 5; ++i) {
    auto b = coach::annotate(rules(), Role::agent, text);
    CHECK(a.acts == b.acts);
    CHECK(a.rules == b.rules);
    CHECK(a.spans == b.spans);
  }
}
