#include <catch2/catch.hpp>

#include "details.hpp"
#include "frames.hpp"
#include "packs.hpp"
#include "suggest.hpp"

using namespace tact;

namespace {

std::string restated(const std::string& text) {
  const auto& frames = test::default_rules().coaching().frames;
  for (const auto& f : frames)
    if (auto r = coach::restate(f, coach::normalize(text))) return r->phrase;
  return "";
}

coach::CustomerDetails found(const std::string& text) {
  return coach::customer_details(test::default_rules().coaching().details, coach::normalize(text).text);
}

}  // namespace

TEST_CASE("a complaint frame restates the problem in the agent's words", "[unit][details]") {
  CHECK(restated("@Acme hi, my order still hasn't arrived!") == "your order hasn't arrived");
  CHECK(restated("My Laptop stopped working after the update") == "your laptop isn't working");
  CHECK(restated("my account has been locked for suspicious activity") == "your account was locked");
  CHECK(restated("You charged me 7 times for the same thing") == "you were charged 7 times");
}

TEST_CASE("free customer text is never restated: pronouns, emoji, quotes, shouting", "[unit][details]") {
  CHECK(restated("I can't stand your app") == "");
  CHECK(restated("I'm so frustrated") == "");
  CHECK(restated("Passed the memory test but Hard drive check showing NOT INSTALLED") == "");
  CHECK(restated("my 📦 hasn't arrived") == "");
  CHECK(restated("my \"order\" hasn't arrived") == "");
  CHECK(restated("my MIND is not working") == "");
}

TEST_CASE("order numbers come from order contexts, never from hashtags", "[unit][details]") {
  CHECK(found("my order #4411 is late").order == "#4411");
  CHECK(found("order number: W123456 never came").order == "W123456");
  CHECK(found("where is #40256780019417115").order == "#40256780019417115");
  CHECK(found("what precautions are you taking as a result of #COVID-19?").order.empty());
  CHECK(found("replacement bumpers for my #HP #SpectreX360").order.empty());
  CHECK(found("my printer needs a #301 cartridge").order.empty());
}

TEST_CASE("a name comes from the customer's own words only", "[unit][details]") {
  CHECK(found("my name is Dana and my order is late").name == "Dana");
  CHECK(found("the app keeps crashing. Kind regards, Dana").name == "Dana");
  CHECK(found("Thanks, Welcome").name.empty());
  CHECK(found("it's Broken").name.empty());
}

// Found by fuzz_conversation: "m{ order is late" made a suggestion with a '{' in it.
TEST_CASE("a detail with braces cannot put a placeholder into a suggestion", "[details]") {
  tact::coach::ReplyTemplate tpl{"acknowledge", {}, {{"Sorry that {problem}, {name}.", {}, {}}, {"Sorry.", {}, {}}}};
  tact::coach::Details d;
  d.name = "Dana";
  d.problem = "your {name} order is late}";
  CHECK(tact::coach::fill_template(tpl, d) == "Sorry that your (name) order is late), Dana.");
}
