// Privacy (issue 24), against the real `tact serve`: personal data redacted before it is stored
// or shown to supervisors, retention of closed conversations, and a customer's data exported and
// erased (admin API and `tact data`).
#include <catch2/catch.hpp>

#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>

#include "harness.hpp"
#include "support/frames.hpp"

using namespace tact::test;
using tact::gateway::UserRole;

namespace {

// Not in the default pack's examples (the pack is stored too).
const std::string kCard = "5555 5555 5555 4444";     // Luhn-valid
const std::string kEmail = "quinn.tester@example.org";
const std::string kNotCard = "5555555555554445";     // 16 digits, Luhn-invalid
// The personal data first, then the complaint: spans after it move in the redacted text.
const std::string kText = "My card " + kCard + " was charged twice, write to " + kEmail + ", ref " + kNotCard +
                          ". My order still has not arrived, this is ridiculous";

// tact.db and its -wal, as bytes.
std::string db_bytes(const std::string& dir) {
  std::string all;
  for (const char* f : {"/tact.db", "/tact.db-wal"}) {
    std::ifstream in(dir + f, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    all += s.str();
  }
  return all;
}

bool contains(const std::string& hay, const std::string& needle) { return hay.find(needle) != std::string::npos; }

// Every span of the redacted view covers the same words as the agent's span on the original,
// unless it covers a label. Returns how many were compared.
int check_spans(const json& original_coach, const std::string& original, const json& redacted_coach, const std::string& redacted) {
  const auto& a = original_coach.at("spans");
  const auto& b = redacted_coach.at("spans");
  REQUIRE(a.size() == b.size());
  int compared = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto ab = a[i].at("begin").get<std::size_t>(), ae = a[i].at("end").get<std::size_t>();
    const auto bb = b[i].at("begin").get<std::size_t>(), be = b[i].at("end").get<std::size_t>();
    REQUIRE(ae <= original.size());
    REQUIRE(be <= redacted.size());
    const auto words = redacted.substr(bb, be - bb);
    if (contains(words, "[")) continue;
    CHECK(words == original.substr(ab, ae - ab));
    ++compared;
  }
  return compared;
}

struct Chat {
  WsClient agent, sup, customer;
  std::string conversation;
  Chat(unsigned short port, const std::string& customer_sub)
      : agent(port, token(UserRole::agent, "alice", "Alice")),
        sup(port, token(UserRole::supervisor, "sam", "Sam")),
        customer(port, token(UserRole::customer, customer_sub, "Dana")) {
    REQUIRE(agent.recv_type("hello"));
    REQUIRE(sup.recv_type("hello"));
    sup.send({{"type", "subscribe"}});
    REQUIRE(customer.recv_type("hello"));
  }
  std::string say(const std::string& text) {
    customer.send(message_frame(text, "k" + std::to_string(++n)));
    auto ack = customer.recv_type("ack");
    REQUIRE(ack);
    conversation = ack->at("conversation");
    return ack->at("id");
  }
  int n = 0;
};

}  // namespace

TEST_CASE("redact store: the card and the email are stored and shown to supervisors redacted, the agent sees them") {
  TempDir dir;
  ServerProcess server(dir.path);
  Chat chat(server.port(), "dana");
  chat.say(kText);

  auto own = chat.customer.recv_type("message");
  REQUIRE(own);
  CHECK(own->at("text") == kText);  // the customer's own chat, as typed

  auto live = chat.agent.recv_type("message");
  REQUIRE(live);
  CHECK(live->at("text") == kText);
  auto live_coach = chat.agent.recv_type("coach");
  REQUIRE(live_coach);

  auto seen = chat.sup.recv_type("message");
  REQUIRE(seen);
  const std::string red = seen->at("text");
  CHECK_FALSE(contains(red, kCard));
  CHECK_FALSE(contains(red, kEmail));
  CHECK(contains(red, "[CARD]"));
  CHECK(contains(red, "[EMAIL]"));
  CHECK(contains(red, kNotCard));  // Luhn-invalid: not a card
  auto sup_coach = chat.sup.recv_type("coach");
  REQUIRE(sup_coach);
  CHECK_FALSE(contains(sup_coach->dump(), kEmail));
  CHECK(check_spans(*live_coach, kText, *sup_coach, red) >= 1);

  // The agent's flags: found on the original, mapped onto the redacted text for supervisors.
  const std::string reply = "I see card " + kCard + " on file. You should have checked the tracking yourself.";
  chat.agent.send(message_frame(reply, "a1", chat.conversation));
  REQUIRE(chat.agent.recv_type("ack"));
  REQUIRE(chat.agent.recv_type("message").value().at("text") == reply);
  auto agent_coach = chat.agent.recv_type("coach");
  REQUIRE(agent_coach);
  auto sup_reply = chat.sup.recv_type("message");
  REQUIRE(sup_reply);
  const std::string red_reply = sup_reply->at("text");
  CHECK(contains(red_reply, "I see card [CARD] on file."));
  auto sup_reply_coach = chat.sup.recv_type("coach");
  REQUIRE(sup_reply_coach);
  const auto& fa = agent_coach->at("flags");
  const auto& fb = sup_reply_coach->at("flags");
  REQUIRE(fa.size() == fb.size());
  int flagged = 0;
  for (std::size_t i = 0; i < fa.size(); ++i) {
    if (!fa[i].contains("begin")) continue;
    const auto ab = fa[i].at("begin").get<std::size_t>(), ae = fa[i].at("end").get<std::size_t>();
    const auto bb = fb[i].at("begin").get<std::size_t>(), be = fb[i].at("end").get<std::size_t>();
    CHECK(red_reply.substr(bb, be - bb) == reply.substr(ab, ae - ab));
    ++flagged;
  }
  CHECK(flagged >= 1);  // "You should have ..." is blame
  check_spans(*agent_coach, reply, *sup_reply_coach, red_reply);

  // The coach's own words quote earlier messages (a falling mood quotes the customer's latest):
  // redacted for supervisors and in the store even on a message that has nothing to redact itself.
  chat.say("Thank you, that is great and so helpful, wonderful");
  chat.say(kCard + " was charged again, this is awful and terrible, I hate it");
  chat.agent.send(message_frame("Let me look into that right away.", "a2", chat.conversation));
  REQUIRE(chat.agent.recv_type("ack"));
  bool falling = false;
  while (auto f = chat.sup.recv(std::chrono::milliseconds(500))) {
    CHECK_FALSE(contains(f->dump(), kCard));
    falling = falling || contains(f->dump(), "mood is falling");
  }
  CHECK(falling);

  // The transcript is what is stored.
  auto t = http_request(server.port(), "GET", "/api/conversations/" + chat.conversation, token(UserRole::supervisor, "sam", "Sam"));
  REQUIRE(t.status == 200);
  CHECK_FALSE(contains(t.body, kCard));
  CHECK_FALSE(contains(t.body, kEmail));
  auto transcript = json::parse(t.body);
  const auto& m = transcript.at("messages").at(0);
  CHECK(m.at("text") == red);
  check_spans(*live_coach, kText, m.at("coach"), red);

  // In the file, WAL included, while the server runs and after it stopped (checkpointed).
  auto bytes = db_bytes(dir.path);
  CHECK(contains(bytes, kNotCard));  // the reading works: the unredacted number is there
  CHECK_FALSE(contains(bytes, kCard));
  CHECK_FALSE(contains(bytes, kEmail));
  CHECK(server.terminate() == 0);
  bytes = db_bytes(dir.path);
  CHECK(contains(bytes, kNotCard));
  CHECK_FALSE(contains(bytes, kCard));
  CHECK_FALSE(contains(bytes, kEmail));
}

TEST_CASE("redact all: the agent sees the redacted text too; --redact off stores it as typed") {
  TempDir dir;
  {
    ServerProcess server(dir.path, {"--redact", "all"});
    Chat chat(server.port(), "dana");
    chat.say(kText);
    auto own = chat.customer.recv_type("message");
    REQUIRE(own);
    CHECK(own->at("text") == kText);
    auto live = chat.agent.recv_type("message");
    REQUIRE(live);
    const std::string text = live->at("text");
    CHECK_FALSE(contains(text, kCard));
    CHECK_FALSE(contains(text, kEmail));
    CHECK(contains(text, "[CARD]"));
    auto coach = chat.agent.recv_type("coach");
    REQUIRE(coach);
    for (const auto& s : coach->at("spans")) CHECK(s.at("end").get<std::size_t>() <= text.size());
    // A whisper is redacted too.
    chat.sup.send({{"type", "whisper"}, {"conversation", chat.conversation}, {"text", "their email is " + kEmail}});
    auto w = chat.agent.recv_type("whisper");
    REQUIRE(w);
    CHECK(w->at("text") == "their email is [EMAIL]");
  }
  TempDir plain;
  ServerProcess server(plain.path, {"--redact", "off"});
  Chat chat(server.port(), "dana");
  chat.say(kText);
  REQUIRE(chat.sup.recv_type("message").value().at("text") == kText);
  CHECK(server.terminate() == 0);
  CHECK(contains(db_bytes(plain.path), kCard));
}

TEST_CASE("serve: --redact with an unknown value and --retain-days out of range are refused") {
  auto [code, out] = run_tact("serve --redact some --data /nonexistent");
  CHECK(code == 2);
  CHECK(contains(out, "--redact takes off, store or all"));
  std::tie(code, out) = run_tact("serve --retain-days -1 --data /nonexistent");
  CHECK(code == 2);
}

TEST_CASE("retention removes closed conversations older than the limit and keeps open ones") {
  TempDir dir;
  std::string closed_id, open_id;
  {
    ServerProcess server(dir.path);
    Chat old_chat(server.port(), "olga");
    old_chat.say("zebra closed conversation text");
    closed_id = old_chat.conversation;
    REQUIRE(old_chat.agent.recv_type("message"));
    old_chat.agent.send({{"type", "close"}, {"conversation", closed_id}});
    REQUIRE(old_chat.customer.recv_type("closed"));
    WsClient other(server.port(), token(UserRole::customer, "otto", "Otto"));
    REQUIRE(other.recv_type("hello"));
    other.send(message_frame("okapi open conversation text", "o1"));
    auto ack = other.recv_type("ack");
    REQUIRE(ack);
    open_id = ack->at("conversation");
    CHECK(server.terminate() == 0);
  }
  const std::string sup = token(UserRole::supervisor, "sam", "Sam");
  {
    // Closed seconds ago: kept for 30 days.
    ServerProcess server(dir.path, {"--retain-days", "30"});
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    CHECK(http_request(server.port(), "GET", "/api/conversations/" + closed_id, sup).status == 200);
    CHECK(server.terminate() == 0);
  }
  ServerProcess server(dir.path, {"--retain-days", "0"});
  int status = 0;
  for (int i = 0; i < 50 && status != 404; ++i) {
    status = http_request(server.port(), "GET", "/api/conversations/" + closed_id, sup).status;
    if (status != 404) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK(status == 404);
  auto open = http_request(server.port(), "GET", "/api/conversations/" + open_id, sup);
  CHECK(open.status == 200);
  CHECK(contains(open.body, "okapi open conversation text"));
  // The rule audit is kept.
  auto audit = http_request(server.port(), "GET", "/api/rules/audit", token(UserRole::admin, "ada", "Ada"));
  CHECK(contains(audit.body, "\"seed\""));
  CHECK(server.terminate() == 0);
  const auto bytes = db_bytes(dir.path);
  CHECK_FALSE(contains(bytes, "zebra closed conversation text"));
  CHECK(contains(bytes, "okapi open conversation text"));
}

TEST_CASE("admin API: export then erase leaves nothing of that customer in the file") {
  TempDir dir;
  ServerProcess server(dir.path);
  const std::string admin = token(UserRole::admin, "ada", "Ada");
  {
    Chat chat(server.port(), "erin-7731");
    chat.say("quokka-marker my parcel never came");
    chat.say("quokka-second my name is Erin Quokkason");
    REQUIRE(chat.agent.recv_type("message"));
    chat.agent.send(message_frame("I am sorry, let me look into it right away.", "a1", chat.conversation));
    REQUIRE(chat.agent.recv_type("ack"));
    chat.sup.send({{"type", "whisper"}, {"conversation", chat.conversation}, {"text", "quokka-whisper offer a refund"}});
    REQUIRE(chat.agent.recv_type("whisper"));
    // Another customer's chat stays.
    WsClient other(server.port(), token(UserRole::customer, "otto", "Otto"));
    REQUIRE(other.recv_type("hello"));
    other.send(message_frame("okapi other customer", "o1"));
    REQUIRE(other.recv_type("ack"));

    auto refused = http_request(server.port(), "GET", "/api/data/customers/erin-7731", token(UserRole::supervisor, "sam", "Sam"));
    CHECK(refused.status == 403);
    CHECK(contains(refused.body, "wrong_role"));

    auto exported = http_request(server.port(), "GET", "/api/data/customers/erin-7731", admin);
    REQUIRE(exported.status == 200);
    auto j = json::parse(exported.body);
    REQUIRE(j.at("conversations").size() == 1);
    const auto& c = j.at("conversations").at(0);
    CHECK(c.at("messages").size() == 3);
    CHECK(c.at("whispers").size() == 1);
    CHECK(contains(exported.body, "quokka-marker"));
    CHECK_FALSE(contains(exported.body, "okapi"));

    auto erased = http_request(server.port(), "DELETE", "/api/data/customers/erin-7731", admin);
    REQUIRE(erased.status == 200);
    auto e = json::parse(erased.body);
    CHECK(e.at("conversations") == 1);
    CHECK(e.at("messages") == 3);
    CHECK(e.at("whispers") == 1);
    CHECK_FALSE(contains(erased.body, "erin-7731"));
    // The open chat was closed for everyone in it.
    CHECK(chat.customer.recv_type("closed"));
  }
  CHECK(http_request(server.port(), "GET", "/api/data/customers/erin-7731", admin).status == 404);
  CHECK(http_request(server.port(), "DELETE", "/api/data/customers/nobody-here", admin).status == 404);
  auto bytes = db_bytes(dir.path);
  for (const char* gone : {"quokka-marker", "quokka-second", "Quokkason", "quokka-whisper", "erin-7731"}) {
    INFO(gone);
    CHECK_FALSE(contains(bytes, gone));
  }
  CHECK(contains(bytes, "okapi other customer"));
  CHECK(server.terminate() == 0);
  bytes = db_bytes(dir.path);
  CHECK_FALSE(contains(bytes, "quokka-marker"));
  CHECK_FALSE(contains(bytes, "erin-7731"));
}

TEST_CASE("tact data export and erase on a stopped server's data dir") {
  TempDir dir;
  {
    ServerProcess server(dir.path);
    Chat chat(server.port(), "fern-4410");
    chat.say("wombat-marker my refund is late");
    CHECK(server.terminate() == 0);
  }
  auto [code, out] = run_tact("data export --customer fern-4410 --data " + dir.path);
  CHECK(code == 0);
  CHECK(contains(out, "wombat-marker"));
  std::tie(code, out) = run_tact("data erase --customer fern-4410 --data " + dir.path);
  CHECK(code == 0);
  CHECK(contains(out, "\"messages\":1"));
  CHECK_FALSE(contains(out, "fern-4410"));
  std::tie(code, out) = run_tact("data erase --customer fern-4410 --data " + dir.path);
  CHECK(code == 1);
  CHECK(contains(out, "nothing is stored about customer"));
  std::tie(code, out) = run_tact("data erase --data " + dir.path);
  CHECK(code == 2);
  const auto bytes = db_bytes(dir.path);
  CHECK_FALSE(contains(bytes, "wombat-marker"));
  CHECK_FALSE(contains(bytes, "fern-4410"));
}

TEST_CASE("a pack whose redaction example fails is refused by publish and by tact rules test") {
  TempDir dir;
  ServerProcess server(dir.path);
  const std::string admin = token(UserRole::admin, "ada", "Ada");
  auto live = http_request(server.port(), "GET", "/api/rules/live", admin);
  REQUIRE(live.status == 200);
  auto j = json::parse(live.body);
  json pack = j.at("pack");
  REQUIRE(pack.at("redact").at(0).at("id") == "card");
  pack["redact"][0]["examples"]["match"][0] = "my card number is on its way";
  auto published = http_request(server.port(), "POST", "/api/rules/publish", admin,
                                json{{"pack", pack}, {"message", "bad card example"}, {"base_version", j.at("version")}}.dump());
  CHECK(published.status == 422);
  CHECK(contains(published.body, "invalid_pack"));
  CHECK(contains(published.body, "redact[0].examples.match[0]"));
  CHECK(contains(published.body, "finds nothing in"));
  // The live rules are unchanged.
  CHECK(json::parse(http_request(server.port(), "GET", "/api/rules/live", admin).body).at("version") == j.at("version"));

  const std::string file = dir.path + "/bad-pack.json";
  std::ofstream(file) << pack.dump();
  auto [code, out] = run_tact("rules test " + file);
  CHECK(code == 1);
  CHECK(contains(out, "rule \"card\": redact[0].examples.match[0]"));
  std::tie(code, out) = run_tact("rules test");
  CHECK(code == 0);
  CHECK(contains(out, "redaction examples"));
}

TEST_CASE("tact data redact redacts what was stored before redaction, once, with the review and rating after the close") {
  TempDir dir;
  std::string conversation;
  json live_coach;
  {
    ServerProcess server(dir.path, {"--redact", "off"});
    Chat chat(server.port(), "dana");
    chat.say(kText);
    conversation = chat.conversation;
    live_coach = chat.agent.recv_type("coach").value();
    // After the close: the review quotes the customer's falling mood (the card in it), the rating
    // comment repeats the card.
    chat.say("Thank you, that is great and so helpful, wonderful");
    chat.say(kCard + " was charged again, this is awful and terrible, I hate it");
    chat.agent.send({{"type", "close"}, {"conversation", conversation}});
    REQUIRE(chat.customer.recv_type("closed"));
    chat.customer.send({{"type", "rating"}, {"conversation", conversation}, {"score", 1}, {"comment", "refund it to " + kCard}});
    REQUIRE(chat.customer.recv_type("rated"));
    CHECK(server.terminate() == 0);
  }
  REQUIRE(contains(db_bytes(dir.path), kCard));
  auto [code, out] = run_tact("data redact --data " + dir.path);
  CHECK(code == 0);
  CHECK(contains(out, "\"redacted\":3"));  // the two messages with the card, and the rating comment
  INFO(out);
  CHECK(contains(out, "\"reviews_redone\":1"));
  auto bytes = db_bytes(dir.path);
  CHECK_FALSE(contains(bytes, kCard));
  CHECK_FALSE(contains(bytes, kEmail));
  CHECK(contains(bytes, kNotCard));
  std::tie(code, out) = run_tact("data redact --data " + dir.path);
  CHECK(code == 0);
  CHECK(contains(out, "\"redacted\":0"));
  CHECK(contains(out, "\"reviews_redone\":0"));

  ServerProcess server(dir.path);
  auto t = http_request(server.port(), "GET", "/api/conversations/" + conversation, token(UserRole::supervisor, "sam", "Sam"));
  REQUIRE(t.status == 200);
  const auto m = json::parse(t.body).at("messages").at(0);
  const std::string text = m.at("text");
  CHECK(contains(text, "[CARD]"));
  CHECK(contains(text, "[EMAIL]"));
  CHECK(check_spans(live_coach, kText, m.at("coach"), text) >= 1);
}
