// Where redaction applies (gateway/privacy/redaction.hpp), without sockets: who gets which view,
// and the redacted view of a coached message.
#include <catch2/catch.hpp>

#include "rules/pack_source.hpp"
#include "relay/redaction.hpp"

using namespace tact;
using namespace tact::gateway;

namespace {

Frame frame(const char* s) { return std::make_shared<const std::string>(s); }

// Which frame each audience bit gets, in order.
std::vector<std::string> seen_by(const std::vector<Delivery>& ds, unsigned who) {
  std::vector<std::string> out;
  for (const auto& d : ds)
    if (d.audience & who) out.push_back(*d.frame);
  return out;
}

const coach::RuleSet& defaults() {
  static auto set = coach::compile(nlohmann::json::parse(tact::gateway::default_pack_text())).rules;
  REQUIRE(set);
  return *set;
}

}  // namespace

TEST_CASE("who sees the original and who the redacted view") {
  const auto orig = frame("orig"), red = frame("red");
  std::vector<Delivery> ds;
  add_views(ds, RedactMode::store, orig, red, to_all);
  CHECK(seen_by(ds, to_customer) == std::vector<std::string>{"orig"});
  CHECK(seen_by(ds, to_agent) == std::vector<std::string>{"orig"});
  CHECK(seen_by(ds, to_supervisors) == std::vector<std::string>{"red"});
  ds.clear();
  add_views(ds, RedactMode::all, orig, red, to_all);
  CHECK(seen_by(ds, to_customer) == std::vector<std::string>{"orig"});
  CHECK(seen_by(ds, to_agent) == std::vector<std::string>{"red"});
  CHECK(seen_by(ds, to_supervisors) == std::vector<std::string>{"red"});
  ds.clear();
  add_views(ds, RedactMode::all, orig, red, to_staff);  // coach events never reach the customer
  CHECK(seen_by(ds, to_customer).empty());
  CHECK(seen_by(ds, to_agent) == std::vector<std::string>{"red"});
  ds.clear();
  add_views(ds, RedactMode::off, orig, red, to_all);
  CHECK(seen_by(ds, to_supervisors) == std::vector<std::string>{"orig"});
  ds.clear();
  add_views(ds, RedactMode::store, orig, nullptr, to_all);  // nothing was redacted: one frame for all
  REQUIRE(ds.size() == 1);
  CHECK(ds[0].audience == to_all);
}

TEST_CASE("--redact values") {
  CHECK(parse_redact_mode("store") == RedactMode::store);
  CHECK(parse_redact_mode("all") == RedactMode::all);
  CHECK(parse_redact_mode("off") == RedactMode::off);
  CHECK_FALSE(parse_redact_mode("STORE"));
  CHECK_FALSE(parse_redact_mode(""));
}

TEST_CASE("the redacted view of a coached message: text, spans and details") {
  const auto& rules = defaults();
  coach::Conversation c;
  const std::string text = "Write to dana@example.com: my order #4411 still has not arrived";
  const auto result = c.apply(rules, {coach::Role::customer, text, 1000, "c1-1"});
  const auto snap = c.snapshot(rules, 1000);
  auto red = redact_coached(rules.redactor(), text, "c1", "c1-1", coach::Role::customer, result, snap, "v");
  REQUIRE(red);
  CHECK(red->text == "Write to [EMAIL]: my order #4411 still has not arrived");
  auto payload = nlohmann::json::parse(red->payload);
  CHECK(payload.at("message_id") == "c1-1");
  CHECK(red->payload.find("dana@example.com") == std::string::npos);
  REQUIRE(payload.at("spans").size() == result.annotation.spans.size());
  for (std::size_t i = 0; i < result.annotation.spans.size(); ++i) {
    const auto& a = result.annotation.spans[i];
    const auto b = payload.at("spans")[i].at("begin").get<std::size_t>(), e = payload.at("spans")[i].at("end").get<std::size_t>();
    CHECK(red->text.substr(b, e - b) == text.substr(a.begin, a.end - a.begin));
  }
  // Nothing to redact: no second view.
  coach::Conversation clean;
  const std::string plain = "my order #4411 still has not arrived";
  const auto r2 = clean.apply(rules, {coach::Role::customer, plain, 1000, "c2-1"});
  CHECK_FALSE(redact_coached(rules.redactor(), plain, "c2", "c2-1", coach::Role::customer, r2, clean.snapshot(rules, 1000), "v"));
}
