// Redaction (coach/redact.*): the default pack's entries, the validators, how a bad `redact`
// section is refused, and how spans found on the original map onto the redacted text.
#include <catch2/catch.hpp>

#include <set>

#include "conversation.hpp"
#include "support/packs.hpp"
#include "redact.hpp"

using namespace tact;
using coach::ByteRange;

namespace {

const coach::RuleSet& defaults() {
  return test::default_rules();
}

std::string redact(const std::string& text) { return defaults().redactor().redact(text).text; }

nlohmann::json entry(nlohmann::json patterns, nlohmann::json match, nlohmann::json no_match) {
  return {{"id", "ticket"}, {"label", "[TICKET]"}, {"patterns", std::move(patterns)},
          {"examples", {{"match", std::move(match)}, {"no_match", std::move(no_match)}}}};
}

std::vector<coach::Problem> problems_of(nlohmann::json redact_section) {
  auto pack = test::minimal_pack();
  pack["redact"] = std::move(redact_section);
  return coach::compile(pack).problems;
}

}  // namespace

TEST_CASE("the default pack's redaction entries and their examples", "[redact]") {
  const auto& r = defaults().redactor();
  REQUIRE(r.entries().size() >= 5);
  for (const auto& x : coach::run_redact_examples(r)) {
    INFO(x.id << " " << x.field << ": " << x.text);
    CHECK(x.passed);
  }
}

TEST_CASE("card numbers are redacted only when they pass the Luhn check", "[redact]") {
  CHECK(redact("my card is 4111 1111 1111 1111, expiry 12/29") == "my card is [CARD], expiry 12/29");
  CHECK(redact("card 4111-1111-1111-1111") == "card [CARD]");
  CHECK(redact("4012888888881881") == "[CARD]");
  // 16 digits that fail Luhn stay as they are (an order or tracking number).
  CHECK(redact("my number is 4111111111111112") == "my number is 4111111111111112");
  CHECK(redact("my number is 4111 1111 1111 1112") == "my number is 4111 1111 1111 1112");
  CHECK(coach::luhn_valid("4111 1111 1111 1111"));
  CHECK_FALSE(coach::luhn_valid("4111 1111 1111 1112"));
  CHECK_FALSE(coach::luhn_valid("42"));  // too short to be a card
}

TEST_CASE("emails, phones, IBANs and national ids get their labels", "[redact]") {
  CHECK(redact("write to dana.lee@example.com or call (555) 123-4567") == "write to [EMAIL] or call [PHONE]");
  CHECK(redact("refund to GB82 WEST 1234 5698 7654 32 please") == "refund to [IBAN] please");
  CHECK(redact("refund to GB82 WEST 1234 5698 7654 33 please") == "refund to GB82 WEST 1234 5698 7654 33 please");
  CHECK(redact("ssn 123-45-6789") == "ssn [SSN]");
  CHECK(redact("NI AB 12 34 56 C") == "NI [NINO]");
  CHECK(redact("@delta my order #4411 is late") == "@delta my order #4411 is late");
  CHECK(coach::iban_valid("DE89 3704 0044 0532 0130 00"));
  CHECK_FALSE(coach::iban_valid("DE88 3704 0044 0532 0130 00"));
}

TEST_CASE("spans on the original map onto the redacted text", "[redact]") {
  const std::string text = "Mail a@b.com or card 4111111111111111, you should have checked";
  const auto red = defaults().redactor().redact(text);
  REQUIRE(red.text == "Mail [EMAIL] or card [CARD], you should have checked");
  // A span after the replacements shifts to the same words.
  const auto at = static_cast<std::uint32_t>(text.find("you should have"));
  const auto mapped = red.map({at, at + 15});
  CHECK(red.text.substr(mapped.begin, mapped.end - mapped.begin) == "you should have");
  // A span before them is unchanged; one over a replaced part covers the whole label.
  CHECK(red.map({0, 4}) == ByteRange{0, 4});
  const auto card = static_cast<std::uint32_t>(text.find("4111"));
  const auto over = red.map({card + 2, card + 6});
  CHECK(red.text.substr(over.begin, over.end - over.begin) == "[CARD]");
}

TEST_CASE("a bad redact section is refused with the entry's id, the field and why", "[redact]") {
  SECTION("bad pattern") {
    auto ps = problems_of({entry({"T-(\\d+"}, {"T-1", "T-2"}, {"x", "y"})});
    REQUIRE(ps.size() == 1);
    CHECK(ps[0].rule_id == "ticket");
    CHECK(ps[0].field == "redact[0].patterns[0]");
    CHECK(ps[0].reason.find("invalid regular expression") != std::string::npos);
  }
  SECTION("a failing example") {
    auto ps = problems_of({entry({"\\bT-\\d+\\b"}, {"ticket T-12", "ticket 12"}, {"hello", "T-9 again"})});
    REQUIRE(ps.size() == 2);
    CHECK(ps[0].field == "redact[0].examples.match[1]");
    CHECK(ps[0].reason.find("finds nothing") != std::string::npos);
    CHECK(ps[1].field == "redact[0].examples.no_match[1]");
  }
  SECTION("missing label, unknown validator, too few examples, duplicate id") {
    auto e = entry({"x"}, {"x"}, {"y", "z"});
    e.erase("label");
    e["validator"] = "crc32";
    auto ps = problems_of({e, entry({"\\bT\\d\\b"}, {"T1", "T2"}, {"a", "b"})});
    std::set<std::string> fields;
    for (const auto& p : ps) fields.insert(p.field);
    CHECK(fields.count("redact[0].label"));
    CHECK(fields.count("redact[0].validator"));
    CHECK(fields.count("redact[0].examples.match"));
    CHECK(fields.count("redact[1].id"));
  }
  SECTION("not an array") {
    auto ps = problems_of("cards");
    REQUIRE(ps.size() == 1);
    CHECK(ps[0].field == "redact");
  }
}

TEST_CASE("a pack without a redact section redacts nothing", "[redact]") {
  auto set = test::compile_or_fail(test::minimal_pack());
  REQUIRE(set);
  CHECK(set->redactor().empty());
  CHECK(set->redactor().redact("card 4111111111111111").text == "card 4111111111111111");
}

TEST_CASE("details for suggestions are taken from the original text", "[redact]") {
  // The coach sees the original; only what is stored or shown to supervisors is redacted.
  coach::Conversation c;
  c.apply(defaults(), {coach::Role::customer, "My order #4411 never arrived, email me at dana@example.com", 1000, "m1"});
  const auto snap = c.snapshot(defaults(), 2000);
  CHECK(snap.details.order == "#4411");
  for (const auto& s : snap.suggestions) CHECK(redact(s.text).find("@example.com") == std::string::npos);
}
