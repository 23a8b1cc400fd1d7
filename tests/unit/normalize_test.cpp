#include <catch2/catch.hpp>

#include "normalize.hpp"

using tact::coach::normalize;

TEST_CASE("handles are dropped, URLs become a marker, white space collapses", "[normalize]") {
  auto n = normalize("@AmazonHelp   my order\n\nis late  see https://x.co/a?b=1 now ");
  CHECK(n.text == "my order is late see <url> now");
  CHECK(n.origin.size() == n.text.size());
}

TEST_CASE("curly quotes, apostrophes and dashes become ASCII", "[normalize]") {
  auto n = normalize("I\xE2\x80\x99m \xE2\x80\x9Csorry\xE2\x80\x9D \xE2\x80\x94 really");
  CHECK(n.text == "I'm \"sorry\" - really");
}

TEST_CASE("spans map back to the original bytes across replacements", "[normalize]") {
  const std::string original = "@Dana  I\xE2\x80\x99m sorry";
  auto n = normalize(original);
  REQUIRE(n.text == "I'm sorry");
  const auto pos = n.text.find("sorry");
  auto r = n.to_original(pos, pos + 5);
  CHECK(original.substr(r.begin, r.end - r.begin) == "sorry");
  auto whole = n.to_original(0, 3);  // "I'm": the curly apostrophe is three bytes
  CHECK(original.substr(whole.begin, whole.end - whole.begin) == "I\xE2\x80\x99m");
}

TEST_CASE("an email address is not taken for a handle", "[normalize]") {
  CHECK(normalize("write to dana@example.com").text == "write to dana@example.com");
  CHECK(normalize("see:\xC2\xA0https://x.co/a").text == "see: <url>");
  CHECK(normalize("at https://x.co/a\xC2\xA0" "and we will").text == "at <url> and we will");
}

TEST_CASE("empty, blank and invalid UTF-8 inputs are safe", "[normalize]") {
  CHECK(normalize("").text.empty());
  CHECK(normalize("   \n\t ").text.empty());
  auto n = normalize("bad \xFF\xFE bytes");
  CHECK(n.text == "bad \xFF\xFE bytes");
  CHECK(normalize("\xE2\x80").text == "\xE2\x80");  // truncated sequence kept as is
}
