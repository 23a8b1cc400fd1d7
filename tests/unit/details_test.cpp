#include <catch2/catch.hpp>

#include "details.hpp"
#include "suggest.hpp"

using tact::coach::problem_phrase;

namespace {
std::string phrase_of(const std::string& text, const std::string& part) {
  const auto at = text.find(part);
  REQUIRE(at != std::string::npos);
  return problem_phrase(text, at, at + part.size());
}
}  // namespace

TEST_CASE("the problem phrase is the complaint's clause from the agent's point of view", "[details]") {
  CHECK(phrase_of("@Acme hi, my order still hasn't arrived!", "hasn't arrived") == "your order still hasn't arrived");
  CHECK(phrase_of("I was charged twice for my plan.", "charged") == "you were charged twice for your plan");
  CHECK(phrase_of("your app keeps crashing and I'm fed up", "crashing") == "our app keeps crashing");
  CHECK(phrase_of("ok. broken", "broken") == "");  // one word is no phrase
}

// Found by fuzz_conversation: "m{ order is late" made a suggestion with a '{' in it.
TEST_CASE("a detail with braces cannot put a placeholder into a suggestion", "[details]") {
  tact::coach::ReplyTemplate tpl{"acknowledge", {}, {"Sorry that {problem}, {name}.", "Sorry."}};
  tact::coach::Details d;
  d.name = "Dana";
  d.problem = "your {name} order is late}";
  CHECK(tact::coach::fill_template(tpl, d) == "Sorry that your (name) order is late), Dana.");
}
