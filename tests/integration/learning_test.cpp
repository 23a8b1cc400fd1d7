// The learning loop's live half (issue 22), against the real `tact serve` over WebSocket and HTTP:
// the coach names what it showed; an agent's used suggestion and disputed flag are stored and
// change the rule's numbers on GET /api/rules/stats; a supervisor's lesson on a reviewed
// conversation reaches the next conversation with the same cause, also after a restart; and every
// bad request is refused with what to fix while the connection stays up.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <optional>

#include <sqlite3.h>

#include "harness.hpp"
#include "support/frames.hpp"

using namespace tact::test;
using tact::gateway::UserRole;

namespace {

// The coach event about `message_id`, skipping the others.
std::optional<json> coach_of(WsClient& ws, const std::string& message_id) {
  for (int i = 0; i < 20; ++i) {
    auto c = ws.recv_type("coach");
    if (!c) return std::nullopt;
    if (c->at("message_id") == message_id) return c;
  }
  return std::nullopt;
}

json rule_row(unsigned short port, const std::string& admin, const std::string& rule) {
  auto r = http_request(port, "GET", "/api/rules/stats", admin);
  REQUIRE(r.status == 200);
  const auto stats = json::parse(r.body);
  for (const auto& row : stats.at("rules"))
    if (row.at("rule") == rule) return row;
  FAIL("no row for rule " << rule << " in " << r.body);
  return {};
}

json feedback(const std::string& conv, const std::string& message_id, const std::string& kind, const std::string& target) {
  json f{{"type", "feedback"}, {"conversation", conv}, {"message_id", message_id}, {"kind", kind}};
  f[kind == "dispute" ? "rule" : "template"] = target;
  return f;
}

std::string error_code(WsClient& ws) {
  auto e = ws.recv_type("error");
  REQUIRE(e);
  CHECK(e->at("ref") == "feedback");
  return e->at("code");
}

// An agent and a customer connected, the customer's first message sent and acknowledged.
struct OpenedChat {
  WsClient agent, customer;
  std::string conversation, first_message;
  OpenedChat(unsigned short port, const std::string& agent_token, const std::string& customer_sub, const std::string& text)
      : agent(port, agent_token), customer(port, token(UserRole::customer, customer_sub, "Dana")) {
    REQUIRE(agent.recv_type("hello"));
    REQUIRE(customer.recv_type("hello"));
    customer.send(message_frame(text, "k1"));
    auto ack = customer.recv_type("ack");
    REQUIRE(ack);
    conversation = ack->at("conversation");
    first_message = ack->at("id");
  }
};

}  // namespace

TEST_CASE("a disputed flag changes its rule's precision; a lesson reaches the next conversation with the same cause") {
  TempDir dir;
  const auto alice = token(UserRole::agent, "alice", "Alice");
  const auto bob = token(UserRole::agent, "bob", "Bob");
  const auto sam = token(UserRole::supervisor, "sam", "Sam");
  const auto ada = token(UserRole::admin, "ada", "Ada");
  std::string lesson_id;
  {
    ServerProcess server(dir.path);
    OpenedChat chat(server.port(), alice, "dana", "My parcel #4411 never arrived, the tracking says delivered but nothing is here");
    auto& agent = chat.agent;
    const std::string conv = chat.conversation;
    const std::string complaint_id = chat.first_message;
    auto first = coach_of(agent, complaint_id);
    REQUIRE(first);
    CHECK(first->at("cause") == json{{"id", "delivery"}, {"label", "Delivery"}});
    REQUIRE_FALSE(first->at("suggestions").empty());
    const auto offered = first->at("suggestions").at(0);
    const std::string tpl = offered.at("template");

    // The agent sends the first suggestion as offered, and says so.
    agent.send(message_frame(offered.at("text"), "a1", conv));
    REQUIRE(agent.recv_type("ack"));
    agent.send(feedback(conv, complaint_id, "used", tpl));
    auto noted = agent.recv_type("feedback_noted");
    REQUIRE(noted);
    CHECK(noted->at("template") == tpl);

    // Then blames the customer: flagged, with the rule that raised it.
    agent.send(message_frame("You should have checked the tracking page before writing.", "a2", conv));
    auto blame_ack = agent.recv_type("ack");
    REQUIRE(blame_ack);
    const std::string blame_id = blame_ack->at("id");
    auto blamed = coach_of(agent, blame_id);
    REQUIRE(blamed);
    std::string rule;
    for (const auto& f : blamed->at("flags"))
      if (f.at("kind") == "blame") rule = f.at("rule");
    REQUIRE(rule.rfind("blame.", 0) == 0);

    const auto before = rule_row(server.port(), ada, rule);
    CHECK(before.at("shown") == 1);
    CHECK(before.at("disputed") == 0);
    CHECK(before.at("precision") == 1.0);

    // Bad feedback: each refused with what to fix; the connection stays up.
    agent.send(feedback(conv, blame_id, "dispute", "empathy.not-a-flag-here"));
    CHECK(error_code(agent) == "not_flagged");
    agent.send(feedback(conv, conv + "-99", "dispute", rule));
    CHECK(error_code(agent) == "unknown_message");
    agent.send(feedback(conv, complaint_id, "used", "no.such-template"));
    CHECK(error_code(agent) == "not_suggested");
    auto long_reason = feedback(conv, blame_id, "dispute", rule);
    long_reason["reason"] = std::string(501, 'x');
    agent.send(long_reason);
    CHECK(error_code(agent) == "bad_field");
    WsClient other_agent(server.port(), bob);
    REQUIRE(other_agent.recv_type("hello"));
    other_agent.send(feedback(conv, blame_id, "dispute", rule));
    CHECK(error_code(other_agent) == "unknown_conversation");  // never tells that it exists
    WsClient supervisor(server.port(), sam);
    REQUIRE(supervisor.recv_type("hello"));
    supervisor.send(feedback(conv, blame_id, "dispute", rule));
    CHECK(error_code(supervisor) == "wrong_role");

    // The dispute: stored, and the rule's precision falls.
    auto dispute = feedback(conv, blame_id, "dispute", rule);
    dispute["reason"] = "She asked how to check it.";
    agent.send(dispute);
    noted = agent.recv_type("feedback_noted");
    REQUIRE(noted);
    CHECK(noted->at("rule") == rule);
    const auto after = rule_row(server.port(), ada, rule);
    CHECK(after.at("disputed") == 1);
    CHECK(after.at("precision") == 0.0);
    CHECK(after.at("reasons") == json{"She asked how to check it."});
    auto stats = json::parse(http_request(server.port(), "GET", "/api/rules/stats", ada).body);
    bool counted = false;
    for (const auto& t : stats.at("templates"))
      if (t.at("template") == tpl) counted = t.at("used") == 1;
    CHECK(counted);
    CHECK(http_request(server.port(), "GET", "/api/rules/stats", sam).status == 403);
    CHECK(http_request(server.port(), "GET", "/api/rules/stats?from=soon", ada).status == 400);

    // Lessons: only on a closed, reviewed conversation, only by staff.
    const auto lessons_path = "/api/conversations/" + conv + "/lessons";
    const std::string lesson = R"({"text":"When a parcel shows delivered but isn't, offer the replacement first."})";
    auto early = http_request(server.port(), "POST", lessons_path, sam, lesson);
    CHECK(early.status == 404);
    CHECK(json::parse(early.body).at("error") == "not_closed");
    agent.send({{"type", "close"}, {"conversation", conv}});
    REQUIRE(agent.recv_type("closed"));
    // The agent may still dispute once it is closed.
    agent.send(dispute);
    REQUIRE(agent.recv_type("feedback_noted"));
    CHECK(http_request(server.port(), "POST", lessons_path, alice, lesson).status == 403);
    for (const auto& bad : {std::string(R"({"text":"   "})"), std::string(R"({"text":7})"), std::string(R"([1,2])"),
                            json{{"text", std::string(1001, 'x')}}.dump(), std::string(R"({"text":"x","cause":"weather"})"),
                            std::string(R"({"text":"x","cause":"Delivery!"})"), std::string("{\"text\":"),
                            std::string(200, '[') + std::string(200, ']')}) {
      INFO(bad);
      auto r = http_request(server.port(), "POST", lessons_path, sam, bad);
      CHECK(r.status == 400);
      CHECK(json::parse(r.body).at("message").get<std::string>().size() > 10);
    }
    auto weather = http_request(server.port(), "POST", lessons_path, sam, R"({"text":"x","cause":"weather"})");
    CHECK(weather.body.find("delivery") != std::string::npos);  // the message lists the causes there are
    CHECK(http_request(server.port(), "POST", "/api/conversations/c999/lessons", sam, lesson).status == 404);
    auto written = http_request(server.port(), "POST", lessons_path, sam, lesson);
    REQUIRE(written.status == 201);
    const auto l = json::parse(written.body);
    CHECK(l.at("cause") == "delivery");  // the review's root cause
    CHECK(l.at("author") == "Sam");
    lesson_id = l.at("id");
  }

  // After a restart: the next delivery complaint names its cause, and the lesson is there for it.
  ServerProcess server(dir.path);
  WsClient agent(server.port(), alice);
  REQUIRE(agent.recv_type("hello"));
  WsClient erin(server.port(), token(UserRole::customer, "erin", "Erin"));
  REQUIRE(erin.recv_type("hello"));
  erin.send(message_frame("where is my package?? it says delivered yesterday but there is nothing at my door", "e1"));
  auto ack = erin.recv_type("ack");
  REQUIRE(ack);
  auto coach = coach_of(agent, ack->at("id"));
  REQUIRE(coach);
  REQUIRE(coach->at("cause").is_object());
  const std::string cause = coach->at("cause").at("id");
  CHECK(cause == "delivery");
  auto listed = http_request(server.port(), "GET", "/api/lessons?cause=" + cause, alice);
  REQUIRE(listed.status == 200);
  const auto lessons = json::parse(listed.body).at("lessons");
  REQUIRE(lessons.size() == 1);
  CHECK(lessons.at(0).at("id") == lesson_id);
  CHECK(lessons.at(0).at("text") == "When a parcel shows delivered but isn't, offer the replacement first.");
  CHECK(json::parse(http_request(server.port(), "GET", "/api/lessons?cause=billing", alice).body).at("lessons").empty());
  CHECK(http_request(server.port(), "GET", "/api/lessons?cause=../x", alice).status == 400);
  CHECK(http_request(server.port(), "GET", "/api/lessons", token(UserRole::customer, "erin", "Erin")).status == 403);

  // Deleting: staff only; a second time there is nothing to delete.
  CHECK(http_request(server.port(), "DELETE", "/api/lessons/" + lesson_id, alice).status == 403);
  CHECK(http_request(server.port(), "DELETE", "/api/lessons/" + lesson_id, sam).status == 200);
  auto again = http_request(server.port(), "DELETE", "/api/lessons/" + lesson_id, sam);
  CHECK(again.status == 404);
  CHECK(json::parse(again.body).at("error") == "unknown_lesson");
  CHECK(json::parse(http_request(server.port(), "GET", "/api/lessons", sam).body).at("lessons").empty());
}

TEST_CASE("a conversation closed without its review (a crash in between, or an old data dir) is reviewed on the next start") {
  TempDir dir;
  const auto alice = token(UserRole::agent, "alice", "Alice");
  const auto sam = token(UserRole::supervisor, "sam", "Sam");
  std::string conv;
  {
    ServerProcess server(dir.path);
    OpenedChat chat(server.port(), alice, "dana", "I was charged twice for my subscription this month");
    conv = chat.conversation;
    chat.agent.send({{"type", "close"}, {"conversation", conv}});
    REQUIRE(chat.agent.recv_type("closed"));
    REQUIRE(http_request(server.port(), "GET", "/api/conversations/" + conv + "/review", sam).status == 200);
    CHECK(server.terminate() == 0);
  }
  // What a kill -9 between the close's commit and the review's leaves: the close without a review.
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open((dir.path + "/tact.db").c_str(), &db) == SQLITE_OK);
  CHECK(sqlite3_exec(db, "DELETE FROM reviews", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);

  Launch launch;
  launch.stderr_path = dir.path + "/restart.log";
  ServerProcess server(dir.path, launch);
  auto got = http_request(server.port(), "GET", "/api/conversations/" + conv + "/review", sam);
  REQUIRE(got.status == 200);
  const auto review = json::parse(got.body);
  CHECK(review.at("root_cause").at("id") == "billing");
  CHECK(review.at("outcome").at("result") == "abandoned");
  std::ifstream log(launch.stderr_path);
  const std::string logged((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
  CHECK(logged.find(R"("event":"reviews_caught_up")") != std::string::npos);
}
