// Chatwoot's webhooks as pure functions: the signature (lib/webhooks/trigger.rb), the payloads
// (tests/data/chatwoot/, whose README names the Chatwoot file of each field), the note text, and
// what an integration must be.
#include <fstream>
#include <sstream>

#include <catch2/catch.hpp>

#include "integrations/chatwoot/note_poster.hpp"
#include "integrations/chatwoot/webhook.hpp"
#include "integrations/integration_store.hpp"

using namespace tact::gateway;
using namespace tact::gateway::chatwoot;
using nlohmann::json;

namespace {

json fixture(const std::string& name) {
  std::ifstream in(std::string(TACT_SOURCE_DIR) + "/tests/data/chatwoot/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return json::parse(s.str());
}

const std::string kSecret = "whsec-0123456789abcdef";
const std::string kBody = R"({"event":"message_created"})";

}  // namespace

TEST_CASE("the signature is sha256= and the hex HMAC-SHA256 of timestamp.body, as Chatwoot computes it", "[chatwoot]") {
  // Computed independently (Python's hmac) for this secret, timestamp and body.
  CHECK(sign(kSecret, "1718000000", kBody) == "sha256=8452b2d6487b2d1980475d2369bc48ce55e7cbe5dc3206afd40cfb73d91b126d");
}

TEST_CASE("a webhook is accepted only with its secret's signature over that body and a fresh timestamp", "[chatwoot]") {
  const auto sig = sign(kSecret, "1718000000", kBody);
  CHECK(verify(kSecret, "1718000000", sig, kBody, 1718000000) == SignatureCheck::ok);
  CHECK(verify(kSecret, "1718000000", sig, kBody, 1718000000 + 299) == SignatureCheck::ok);
  SECTION("another body, timestamp or secret") {
    CHECK(verify(kSecret, "1718000000", sig, R"({"event":"message_created" })", 1718000000) == SignatureCheck::mismatch);
    CHECK(verify(kSecret, "1718000001", sig, kBody, 1718000000) == SignatureCheck::mismatch);
    CHECK(verify("another-secret-0123456789", "1718000000", sig, kBody, 1718000000) == SignatureCheck::mismatch);
    CHECK(verify(kSecret, "1718000000", sig.substr(7), kBody, 1718000000) == SignatureCheck::mismatch);  // without "sha256="
  }
  SECTION("stale or from the future, by more than 5 minutes") {
    CHECK(verify(kSecret, "1718000000", sig, kBody, 1718000000 + 301) == SignatureCheck::stale);
    CHECK(verify(kSecret, "1718000000", sig, kBody, 1718000000 - 301) == SignatureCheck::stale);
  }
  SECTION("missing or malformed headers") {
    CHECK(verify(kSecret, "", sig, kBody, 1718000000) == SignatureCheck::missing);
    CHECK(verify(kSecret, "1718000000", "", kBody, 1718000000) == SignatureCheck::missing);
    CHECK(verify(kSecret, "17180000x0", sig, kBody, 1718000000) == SignatureCheck::malformed);
    CHECK(verify(kSecret, "99999999999999999999", sig, kBody, 1718000000) == SignatureCheck::malformed);
  }
}

TEST_CASE("an incoming message is the customer's, an outgoing one the agent's, with the assignee", "[chatwoot]") {
  auto in = parse_webhook(fixture("message_created_incoming.json"));
  REQUIRE(in.event);
  CHECK(in.event->action == Action::coach_customer);
  CHECK(in.event->account == 5);
  CHECK(in.event->conversation == 42);
  CHECK(in.event->message == 1001);
  CHECK(in.event->text == "My order #4411 still hasn't arrived and nobody answers!");
  CHECK(in.event->sender_name == "Dana Reyes");
  CHECK(in.event->assignee == 7);
  CHECK(in.event->at_ms == 1718000000000);

  auto out = parse_webhook(fixture("message_created_outgoing.json"));
  REQUIRE(out.event);
  CHECK(out.event->action == Action::coach_agent);
  CHECK(out.event->sender_id == 7);
  CHECK(out.event->sender_name == "Alex Kim");
}

TEST_CASE("private notes, activity messages, edits and attachments are not coached", "[chatwoot]") {
  for (const char* name : {"message_created_private_note.json", "message_created_activity.json", "message_updated.json"}) {
    auto r = parse_webhook(fixture(name));
    REQUIRE(r.event);
    CHECK(r.event->action == Action::ignore);
    CHECK(!r.event->reason.empty());
  }
  auto attachment = fixture("message_created_incoming.json");
  attachment["content"] = nullptr;
  auto r = parse_webhook(attachment);
  REQUIRE(r.event);
  CHECK(r.event->action == Action::ignore);
}

TEST_CASE("resolved closes; an assignee change reassigns; other conversation events are ignored", "[chatwoot]") {
  auto resolved = parse_webhook(fixture("conversation_status_changed_resolved.json"));
  REQUIRE(resolved.event);
  CHECK(resolved.event->action == Action::close);
  CHECK(resolved.event->conversation == 42);
  auto updated = parse_webhook(fixture("conversation_updated_assignee.json"));
  REQUIRE(updated.event);
  CHECK(updated.event->action == Action::assign);
  CHECK(updated.event->assignee == 9);
  auto reopened = fixture("conversation_status_changed_resolved.json");
  reopened["status"] = "open";
  reopened["meta"]["assignee"] = nullptr;
  auto r = parse_webhook(reopened);
  REQUIRE(r.event);
  CHECK(r.event->action == Action::ignore);
  auto other = parse_webhook(json{{"event", "contact_created"}, {"id", 3}});
  REQUIRE(other.event);
  CHECK(other.event->action == Action::ignore);
}

TEST_CASE("a payload that is not Chatwoot's is refused with what is wrong", "[chatwoot]") {
  CHECK(parse_webhook(json::array()).error.find("object") != std::string::npos);
  CHECK(parse_webhook(json{{"id", 1}}).error.find("\"event\"") != std::string::npos);
  auto no_conv = fixture("message_created_incoming.json");
  no_conv.erase("conversation");
  CHECK(parse_webhook(no_conv).error.find("conversation") != std::string::npos);
  auto bad_type = fixture("message_created_incoming.json");
  bad_type["message_type"] = 0;  // the push_event_data form (an integer) is not what webhooks carry
  CHECK(parse_webhook(bad_type).error.find("message_type") != std::string::npos);
  auto bad_private = fixture("message_created_incoming.json");
  bad_private["private"] = "no";
  CHECK(parse_webhook(bad_private).error.find("private") != std::string::npos);
}

TEST_CASE("times as Rails writes them", "[chatwoot]") {
  CHECK(parse_time_ms(json("2024-06-10T06:13:20.000Z")) == 1718000000000);
  CHECK(parse_time_ms(json("2024-06-10T06:13:20.250Z")) == 1718000000250);
  CHECK(parse_time_ms(json("2024-06-10T08:13:20.000+02:00")) == 1718000000000);
  CHECK(parse_time_ms(json("2024-06-10 06:13:20 UTC")) == 1718000000000);
  CHECK(parse_time_ms(json(1718000000)) == 1718000000000);
  CHECK_FALSE(parse_time_ms(json("yesterday")));
  CHECK_FALSE(parse_time_ms(json("2024-13-10T06:13:20Z")));
}

TEST_CASE("the note carries the first suggestion and the missing steps, or nothing", "[chatwoot]") {
  json coach{{"suggestions", {{{"step", "apology"}, {"text", "I'm so sorry, Dana."}}, {{"step", "solution"}, {"text", "x"}}}},
             {"checklist", {{{"step", "acknowledge"}, {"status", "done"}}, {{"step", "apology"}, {"status", "missing"}},
                            {{"step", "ownership"}, {"status", "missing"}}}}};
  CHECK(note_content(coach) == "**Tact** suggests:\n> I'm so sorry, Dana.\n\nStill to do: Apologize, Take ownership");
  CHECK(note_content(json{{"suggestions", json::array()}, {"checklist", json::array()}}).empty());
  CHECK(note_content(json{{"checklist", {{{"step", "apology"}, {"status", "missing"}}}}}) == "**Tact**: Still to do: Apologize");
}

TEST_CASE("an integration's secrets are shown masked, and a bad one is refused with the fix", "[chatwoot]") {
  Integration i{"support", "chatwoot", "https://chat.example.com", 5, "whsec-0123456789abcdef", "tok-abcdefghijklmnop", true, 0};
  CHECK(check_integration(i).empty());
  const auto view = public_view(i).dump();
  CHECK(view.find("whsec-0123456789abcdef") == std::string::npos);
  CHECK(view.find("tok-abcdefghijklmnop") == std::string::npos);
  CHECK(view.find("cdef") != std::string::npos);  // the last four, to tell secrets apart
  CHECK(masked("short") == "*****");
  auto bad = i;
  bad.name = "Support Team";
  CHECK(check_integration(bad).find("a-z") != std::string::npos);
  bad = i;
  bad.url = "chat.example.com";
  CHECK(check_integration(bad).find("http") != std::string::npos);
  bad = i;
  bad.account = 0;
  CHECK(check_integration(bad).find("account") != std::string::npos);
  bad = i;
  bad.webhook_secret = "short";
  CHECK(check_integration(bad).find("secret") != std::string::npos);
  bad = i;
  bad.api_token.clear();
  CHECK(check_integration(bad).find("API token") != std::string::npos);
}

TEST_CASE("at most one note per conversation per --note-interval; the rest are counted, not queued", "[chatwoot]") {
  Metrics metrics;
  std::int64_t now = 1'000'000;
  NotePosterOptions o;
  o.attempts = 1;
  o.min_interval = std::chrono::milliseconds(10000);
  {
    NotePoster poster(metrics, o, [&now] { return now; });
    // An address the poster refuses before any network: the note fails at once, counted.
    NoteJob job{"support", "ftp://nowhere", 5, 42, "token", "**Tact** suggests: ..."};
    CHECK(poster.post(job));
    CHECK_FALSE(poster.post(job));  // the same conversation, at once
    auto other = job;
    other.conversation = 43;
    CHECK(poster.post(other));
    now += 10000;
    CHECK(poster.post(job));  // the interval has passed
  }
  CHECK(metrics.notes_rate_limited == 1);
  CHECK(metrics.notes_failed + metrics.notes_dropped == 3);
  CHECK(metrics.notes_sent == 0);
}
