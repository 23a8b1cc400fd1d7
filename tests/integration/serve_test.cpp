// The real `tact serve`, driven by real WebSocket clients (issue 5, "Done when").
#include <catch2/catch.hpp>

#include <set>
#include <thread>

#include "harness.hpp"
#include "scenarios.hpp"
#include "support/frames.hpp"

using namespace tact::test;
using tact::gateway::UserRole;

namespace {


}  // namespace

TEST_CASE("complaint, coaching, apology, health, whisper") {
  TempDir dir;
  ServerProcess server(dir.path);
  WsClient agent(server.port(), token(UserRole::agent, "alice", "Alice"));
  REQUIRE(agent.recv_type("hello"));
  WsClient sup(server.port(), token(UserRole::supervisor, "sam", "Sam"));
  REQUIRE(sup.recv_type("hello"));
  sup.send({{"type", "subscribe"}});
  WsClient customer(server.port(), token(UserRole::customer, "dana", "Dana"));
  REQUIRE(customer.recv_type("hello"));

  customer.send(message_frame(kComplaint, "k1"));
  auto ack = customer.recv_type("ack");
  REQUIRE(ack);
  CHECK(ack->at("client_id") == "k1");
  CHECK(ack->at("seq") == 1);
  const std::string conv = ack->at("conversation");

  auto assigned = agent.recv_type("assigned");
  REQUIRE(assigned);
  CHECK(assigned->at("conversation") == conv);
  auto relayed = agent.recv_type("message");
  REQUIRE(relayed);
  CHECK(relayed->at("text") == kComplaint);
  CHECK(relayed->at("role") == "customer");
  auto coach = agent.recv_type("coach");
  REQUIRE(coach);
  CHECK(coach->at("message_id") == ack->at("id"));
  CHECK(step_status(*coach, "apology") == "missing");
  CHECK(has_act(*coach, "complaint"));

  auto health = next_health(sup, conv);
  REQUIRE(health);
  CHECK(health->at("conversation") == conv);
  const int first_score = health->at("score");

  agent.send(message_frame("I see your order #4411 still has not arrived.", "a1", conv));
  REQUIRE(agent.recv_type("ack"));
  agent.send(message_frame("I am so sorry for the trouble this caused.", "a2", conv));
  REQUIRE(agent.recv_type("ack"));
  do coach = agent.recv_type("coach");  // the acks come first, then each message's coach event
  while (coach && coach->at("message_id") != conv + "-3");
  REQUIRE(coach);
  CHECK(step_status(*coach, "acknowledge") == "done");
  CHECK(step_status(*coach, "apology") == "done");

  // A bad reply changes the conversation's health; the supervisor sees it.
  agent.send(message_frame("You should have read the instructions. Calm down.", "a3", conv));
  bool changed = false;
  for (int i = 0; i < 10 && !changed; ++i) {
    auto h = next_health(sup, conv);
    REQUIRE(h);
    changed = h->at("conversation") == conv && h->at("score").get<int>() != first_score;
  }
  CHECK(changed);

  sup.send({{"type", "whisper"}, {"conversation", conv}, {"text", "Offer the express replacement."}});
  auto whisper = agent.recv_type("whisper");
  REQUIRE(whisper);
  CHECK(whisper->at("text") == "Offer the express replacement.");
  agent.send(message_frame("I can send a replacement today.", "a4", conv));
  // The customer sees messages and acks only: never coaching, drafts or whispers.
  std::set<std::string> seen;
  for (;;) {
    auto f = customer.recv();
    REQUIRE(f);
    seen.insert(f->at("type").get<std::string>());
    if (f->at("type") == "message" && f->at("text") == "I can send a replacement today.") break;
  }
  CHECK(seen.count("whisper") == 0);
  CHECK(seen.count("coach") == 0);
  CHECK(seen.count("health") == 0);
  CHECK(seen.count("health_page") == 0);

  agent.send({{"type", "draft"}, {"conversation", conv}, {"text", "YOU SHOULD HAVE CHECKED THE TRACKING PAGE"}});
  auto draft = agent.recv_type("draft_check");
  REQUIRE(draft);
  CHECK(has_flag(*draft, "blame"));

  auto transcript = http_request(server.port(), "GET", "/api/conversations/" + conv, token(UserRole::supervisor, "sam", "Sam"));
  CHECK(transcript.status == 200);
  auto t = json::parse(transcript.body);
  CHECK(t.at("messages").size() == 5);
  CHECK(t.at("whispers").size() == 1);
  CHECK(t.at("messages")[0].at("coach").at("rules_version").get<std::string>().starts_with("default@"));
}

TEST_CASE("bad tokens are refused with the reason") {
  TempDir dir;
  ServerProcess server(dir.path);
  std::string body;
  CHECK(ws_handshake_status(server.port(), "/ws", &body) == 401);
  CHECK(body.find("missing_token") != std::string::npos);
  CHECK(ws_handshake_status(server.port(), "/ws?token=" + token(UserRole::agent, "a", "A", -120), &body) == 401);
  CHECK(body.find("expired_token") != std::string::npos);
  const auto forged = tact::gateway::sign_token({UserRole::admin, "x", "X", 4102444800}, "another-secret-0123456789abcdef0");
  CHECK(ws_handshake_status(server.port(), "/ws?token=" + forged, &body) == 401);
  CHECK(body.find("bad_signature") != std::string::npos);
  CHECK(ws_handshake_status(server.port(), "/ws?token=garbage", &body) == 401);
  CHECK(body.find("bad_token") != std::string::npos);
  auto r = http_request(server.port(), "GET", "/api/conversations", token(UserRole::customer, "c", "C"));
  CHECK(r.status == 403);
  CHECK(r.body.find("wrong_role") != std::string::npos);
  CHECK(ws_handshake_status(server.port(), "/ws?token=" + token(UserRole::agent, "a", "A")) == 101);
}

TEST_CASE("bad frames are answered and the connection lives") {
  TempDir dir;
  ServerProcess server(dir.path);
  WsClient customer(server.port(), token(UserRole::customer, "dana", "Dana"));
  REQUIRE(customer.recv_type("hello"));
  auto expect_error = [&](const std::string& frame, const std::string& code) {
    customer.send_raw(frame);
    auto e = customer.recv_type("error");
    REQUIRE(e);
    CHECK(e->at("code") == code);
    return *e;
  };
  expect_error("{not json", "bad_json");
  expect_error("[1,2]", "bad_json");
  expect_error(R"({"type":"shout"})", "unknown_type");
  CHECK(expect_error(R"({"type":"message","client_id":"k9"})", "missing_field").at("ref") == "k9");
  expect_error(R"({"type":"message","text":42,"client_id":"k9"})", "bad_field");
  expect_error(R"({"type":"whisper","conversation":"c1","text":"hi"})", "wrong_role");
  expect_error(R"({"type":"subscribe"})", "wrong_role");
  expect_error(R"({"type":"message","conversation":"c999","text":"hi","client_id":"k2"})", "unknown_conversation");
  customer.send(message_frame(kComplaint, "k3"));
  auto ack = customer.recv_type("ack");
  REQUIRE(ack);
  CHECK(ack->at("client_id") == "k3");
}

TEST_CASE("a frame over --max-message is refused with close code 1009") {
  TempDir dir;
  ServerProcess server(dir.path, {"--max-message", "1024"});
  WsClient customer(server.port(), token(UserRole::customer, "dana", "Dana"));
  REQUIRE(customer.recv_type("hello"));
  customer.try_send_raw(message_frame(std::string(4096, 'a'), "big").dump());  // the server may hang up mid-frame
  CHECK_FALSE(customer.recv_type("ack"));
  CHECK(customer.closed());
  // Close code 1009 is sent; when the client is still writing the rest of its frame, the
  // server's hang-up can reset the connection before the client reads it.
  CHECK((customer.closed_code() == 1009 || customer.closed_code() == -2));
  // The client may see the reset before the server has counted the refusal: poll for up to 5 s.
  bool counted = false;
  for (int i = 0; i < 50 && !counted; ++i) {
    counted = http_request(server.port(), "GET", "/metrics").body.find("tact_errors_total{code=\"too_large\"} 1") != std::string::npos;
    if (!counted) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  CHECK(counted);
  WsClient other(server.port(), token(UserRole::customer, "eve", "Eve"));  // the server lives on
  REQUIRE(other.recv_type("hello"));
  other.send(message_frame("short", "s1"));
  CHECK(other.recv_type("ack"));
}

TEST_CASE("a client that never reads is dropped while others continue") {
  TempDir dir;
  ServerProcess server(dir.path, {"--send-queue", "8", "--rate", "0", "--max-message", "65536"});
  WsClient slow(server.port(), token(UserRole::supervisor, "slow", "Slow"), 4096);
  slow.send({{"type", "subscribe"}});
  WsClient agent(server.port(), token(UserRole::agent, "alice", "Alice"));
  REQUIRE(agent.recv_type("hello"));
  WsClient customer(server.port(), token(UserRole::customer, "dana", "Dana"));
  REQUIRE(customer.recv_type("hello"));
  const std::string filler(30000, 'x');
  int coached = 0;
  bool dropped = false;
  for (int i = 0; i < 400 && !dropped; ++i) {
    customer.send(message_frame(kComplaint + " " + filler, "k" + std::to_string(i)));
    REQUIRE(customer.recv_type("ack"));
    REQUIRE(agent.recv_type("coach"));
    ++coached;
    if (i % 20 == 19) {
      auto m = http_request(server.port(), "GET", "/metrics");
      dropped = m.body.find("tact_dropped_clients_total 1") != std::string::npos;
    }
  }
  CHECK(dropped);
  CHECK(coached >= 20);
  // The slow client finds its connection closed once it reads.
  while (slow.recv(std::chrono::seconds(5))) {
  }
  CHECK(slow.closed());
  CHECK(slow.closed_code() != -1);  // closed, not just silent
}

TEST_CASE("kill -9, restart: every acknowledged message is there once and the checklist resumes") {
  TempDir dir;
  const auto [conv, acked] = chat_killed_mid_flood(dir.path);
  ServerProcess server(dir.path);
  const auto stored = stored_ids_holding(server.port(), conv, acked);

  WsClient agent(server.port(), token(UserRole::agent, "alice", "Alice"));
  auto hello = agent.recv_type("hello");
  REQUIRE(hello);
  CHECK(hello->at("conversations") == json::array({conv}));
  agent.send(message_frame("I am so sorry for the trouble this caused.", "a2", conv));
  auto coach = agent.recv_type("coach");
  REQUIRE(coach);
  CHECK(step_status(*coach, "acknowledge") == "done");
  CHECK(step_status(*coach, "apology") == "done");
  CHECK(coach->at("message_id") == conv + "-" + std::to_string(stored.size() + 1));
}

TEST_CASE("a message sent again with the same client_id is acknowledged again and stored once") {
  TempDir dir;
  std::string conv, first_id;
  {
    ServerProcess server(dir.path);
    WsClient agent(server.port(), token(UserRole::agent, "alice", "Alice"));
    REQUIRE(agent.recv_type("hello"));
    WsClient customer(server.port(), token(UserRole::customer, "dana", "Dana"));
    REQUIRE(customer.recv_type("hello"));
    customer.send(message_frame(kComplaint, "k1"));
    auto ack = customer.recv_type("ack");
    REQUIRE(ack);
    conv = ack->at("conversation");
    first_id = ack->at("id");

    customer.send(message_frame(kComplaint, "k1"));  // the same message again: its ack was lost, say
    auto again = customer.recv_type("ack");
    REQUIRE(again);
    CHECK(again->at("id") == first_id);
    CHECK(again->at("seq") == ack->at("seq"));

    WsClient reconnected(server.port(), token(UserRole::customer, "dana", "Dana"));  // a new connection
    REQUIRE(reconnected.recv_type("hello"));
    reconnected.send(message_frame(kComplaint, "k1"));
    auto third = reconnected.recv_type("ack");
    REQUIRE(third);
    CHECK(third->at("id") == first_id);

    customer.send(message_frame("Any news?", "k2"));
    auto m1 = agent.recv_type("message");
    REQUIRE(m1);
    CHECK(m1->at("id") == first_id);
    auto m2 = agent.recv_type("message");  // the next one the agent sees is k2: no repeat of k1
    REQUIRE(m2);
    CHECK(m2->at("text") == "Any news?");
    server.kill9();
  }
  ServerProcess server(dir.path);
  WsClient customer(server.port(), token(UserRole::customer, "dana", "Dana"));
  REQUIRE(customer.recv_type("hello"));
  customer.send(message_frame(kComplaint, "k1"));  // after a restart too
  auto ack = customer.recv_type("ack");
  REQUIRE(ack);
  CHECK(ack->at("id") == first_id);
  auto r = http_request(server.port(), "GET", "/api/conversations/" + conv, token(UserRole::supervisor, "sam", "Sam"));
  REQUIRE(r.status == 200);
  CHECK(json::parse(r.body).at("messages").size() == 2);
}

TEST_CASE("SIGTERM closes sessions with 1001 and exits 0") {
  TempDir dir;
  ServerProcess server(dir.path);
  WsClient agent(server.port(), token(UserRole::agent, "alice", "Alice"));
  REQUIRE(agent.recv_type("hello"));
  CHECK(server.terminate() == 0);
  CHECK_FALSE(agent.recv(std::chrono::seconds(5)));
  CHECK(agent.closed_code() == 1001);
}

TEST_CASE("HTTP API: events, list, transcript, health, metrics, static") {
  TempDir dir;
  ServerProcess server(dir.path);
  const auto agent = token(UserRole::agent, "alice", "Alice");
  auto r = http_request(server.port(), "POST", "/api/conversations/zd-1/events", agent,
                        json{{"role", "customer"}, {"text", kComplaint}, {"at", 1718000000000}}.dump());
  REQUIRE(r.status == 200);
  auto out = json::parse(r.body);
  CHECK(out.at("id") == "zd-1-1");
  CHECK(step_status(out, "apology") == "missing");
  r = http_request(server.port(), "POST", "/api/conversations/zd-1/events", agent,
                   json{{"role", "agent"}, {"text", "I am so sorry for the trouble this caused."}}.dump());
  REQUIRE(r.status == 200);
  CHECK(step_status(json::parse(r.body), "apology") == "done");
  CHECK(http_request(server.port(), "POST", "/api/conversations/zd-1/events", agent, "{").status == 400);
  CHECK(http_request(server.port(), "POST", "/api/conversations/zd-1/events", "", "{}").status == 401);
  r = http_request(server.port(), "GET", "/api/conversations", agent);
  REQUIRE(r.status == 200);
  CHECK(json::parse(r.body).at("conversations").size() == 1);
  r = http_request(server.port(), "GET", "/api/conversations/zd-1", agent);
  REQUIRE(r.status == 200);
  CHECK(json::parse(r.body).at("messages").size() == 2);
  CHECK(http_request(server.port(), "GET", "/api/conversations/zd-1", token(UserRole::agent, "bob", "Bob")).status == 404);
  CHECK(http_request(server.port(), "GET", "/healthz").status == 200);
  r = http_request(server.port(), "GET", "/metrics");
  CHECK(r.body.find("tact_coach_seconds_bucket") != std::string::npos);
  CHECK(r.body.find("tact_messages_total{role=\"customer\"} 1") != std::string::npos);
  CHECK(http_request(server.port(), "GET", "/../../etc/passwd").status == 404);
  CHECK(http_request(server.port(), "GET", "/%2e%2e/etc/passwd").status == 404);
}

TEST_CASE("HTTP API: calls racing to open the same conversation all land in it") {
  TempDir dir;
  ServerProcess server(dir.path);
  const auto agent = token(UserRole::agent, "alice", "Alice");
  const auto sup = token(UserRole::supervisor, "sam", "Sam");
  for (int round = 0; round < 5; ++round) {
    const std::string conv = "race-" + std::to_string(round);
    std::vector<int> status(8);
    std::vector<std::thread> callers;
    for (int i = 0; i < 8; ++i)
      callers.emplace_back([&, i] {
        status[i] = http_request(server.port(), "POST", "/api/conversations/" + conv + "/events", agent,
                                 json{{"role", "customer"}, {"text", "message " + std::to_string(i)}}.dump())
                        .status;
      });
    for (auto& t : callers) t.join();
    for (int s : status) CHECK(s == 200);
    auto t = json::parse(http_request(server.port(), "GET", "/api/conversations/" + conv, sup).body);
    std::set<std::int64_t> seqs;
    for (const auto& m : t.at("messages")) seqs.insert(m.at("seq").get<std::int64_t>());
    CHECK(seqs.size() == 8);  // every call stored, each under its own seq
  }
}
