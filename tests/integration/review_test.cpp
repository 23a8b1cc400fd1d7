// After the close (issue 22), against the real `tact serve` over WebSocket and HTTP: a complaint
// whose agent never apologizes is closed; its review lists what was missed, the root cause and the
// outcome; the customer rates it; the rating shows in the review; who may not see it is refused;
// the day's insights count it.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>

#include "harness.hpp"
#include "insights.hpp"
#include "support/frames.hpp"

using namespace tact::test;
using tact::gateway::UserRole;

namespace {

bool contains(const json& list, const std::string& value) {
  return std::find(list.begin(), list.end(), json(value)) != list.end();
}

std::string today() {
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  return tact::coach::utc_day(now);
}

}  // namespace

TEST_CASE("a closed complaint's review, the customer's rating, who may see it, and the day's insights") {
  TempDir dir;
  ServerProcess server(dir.path);
  const auto alice = token(UserRole::agent, "alice", "Alice");
  const auto sam = token(UserRole::supervisor, "sam", "Sam");
  const auto dana = token(UserRole::customer, "dana", "Dana");
  WsClient agent(server.port(), alice);
  REQUIRE(agent.recv_type("hello"));
  WsClient customer(server.port(), dana);
  REQUIRE(customer.recv_type("hello"));

  customer.send(message_frame("My parcel #4411 still hasn't arrived and the tracking page shows nothing", "k1"));
  auto ack = customer.recv_type("ack");
  REQUIRE(ack);
  const std::string conv = ack->at("conversation");
  REQUIRE(agent.recv_type("assigned"));

  // The agent acknowledges and offers a fix, but never apologizes.
  agent.send(message_frame("I see your parcel #4411 hasn't arrived. I can send a replacement today.", "a1", conv));
  REQUIRE(agent.recv_type("ack"));

  // Still open: the customer cannot rate yet, and there is no review yet.
  customer.send({{"type", "rating"}, {"conversation", conv}, {"score", 4}});
  auto early = customer.recv_type("error");
  REQUIRE(early);
  CHECK(early->at("code") == "conversation_open");
  auto open_review = http_request(server.port(), "GET", "/api/conversations/" + conv + "/review", sam);
  CHECK(open_review.status == 404);
  CHECK(json::parse(open_review.body).at("error") == "not_closed");

  agent.send({{"type", "close"}, {"conversation", conv}});
  REQUIRE(customer.recv_type("closed"));
  REQUIRE(agent.recv_type("closed"));

  // The review: stored by the time `closed` is sent.
  auto got = http_request(server.port(), "GET", "/api/conversations/" + conv + "/review", alice);
  REQUIRE(got.status == 200);
  auto review = json::parse(got.body);
  CHECK(review.at("conversation") == conv);
  CHECK(review.at("agent") == "alice");
  CHECK(contains(review.at("missed"), "apology"));
  CHECK_FALSE(contains(review.at("missed"), "acknowledge"));
  CHECK(review.at("root_cause").at("id") == "delivery");
  CHECK(review.at("root_cause").at("message_id") == ack->at("id"));
  CHECK(review.at("outcome").at("result") == "unresolved");
  CHECK(review.at("first_response_ms").is_number());
  CHECK(review.at("health").at("timeline").size() == 2);
  CHECK(review.at("rating").is_null());

  // The customer rates it; bad ratings are refused with what to fix and the connection stays up.
  customer.send({{"type", "rating"}, {"conversation", conv}, {"score", 6}});
  auto bad = customer.recv_type("error");
  REQUIRE(bad);
  CHECK(bad->at("code") == "bad_field");
  CHECK(bad->at("message").get<std::string>().find("1 (bad) to 5") != std::string::npos);
  customer.send({{"type", "rating"}, {"conversation", conv}, {"score", "2"}});
  REQUIRE(customer.recv_type("error"));
  customer.send({{"type", "rating"}, {"conversation", conv}, {"score", 2}, {"comment", std::string(1001, 'x')}});
  bad = customer.recv_type("error");
  REQUIRE(bad);
  CHECK(bad->at("message").get<std::string>().find("comment") != std::string::npos);
  customer.send({{"type", "rating"}, {"conversation", conv}, {"score", 2}, {"comment", "Nobody said sorry."}});
  auto rated = customer.recv_type("rated");
  REQUIRE(rated);
  CHECK(rated->at("score") == 2);
  CHECK(rated->at("replaced") == false);

  // Someone else's conversation: refused as unknown.
  WsClient other_customer(server.port(), token(UserRole::customer, "erin", "Erin"));
  REQUIRE(other_customer.recv_type("hello"));
  other_customer.send({{"type", "rating"}, {"conversation", conv}, {"score", 5}});
  auto foreign = other_customer.recv_type("error");
  REQUIRE(foreign);
  CHECK(foreign->at("code") == "unknown_conversation");

  review = json::parse(http_request(server.port(), "GET", "/api/conversations/" + conv + "/review", sam).body);
  REQUIRE(review.at("rating").is_object());
  CHECK(review.at("rating").at("score") == 2);
  CHECK(review.at("rating").at("comment") == "Nobody said sorry.");

  // Who may not see the review.
  auto as_bob = http_request(server.port(), "GET", "/api/conversations/" + conv + "/review", token(UserRole::agent, "bob", "Bob"));
  CHECK(as_bob.status == 404);
  auto as_customer = http_request(server.port(), "GET", "/api/conversations/" + conv + "/review", dana);
  CHECK(as_customer.status == 403);
  CHECK(json::parse(as_customer.body).at("error") == "review_for_staff");
  CHECK(http_request(server.port(), "GET", "/api/conversations/c999/review", sam).status == 404);

  // The day's insights count it, for the team and for alice.
  const auto day = today();
  auto insights = http_request(server.port(), "GET", "/api/insights?from=" + day + "&to=" + day, sam);
  REQUIRE(insights.status == 200);
  auto in = json::parse(insights.body);
  CHECK(in.at("team").at("conversations") == 1);
  CHECK(in.at("team").at("top_causes").at(0).at("id") == "delivery");
  CHECK(in.at("team").at("steps").at("apology").at("missed") == 1);
  CHECK(in.at("team").at("ratings").at("count") == 1);
  CHECK(in.at("team").at("ratings").at("distribution").at("2") == 1);
  REQUIRE(in.at("agents").size() == 1);
  CHECK(in.at("agents").at(0).at("agent") == "alice");
  // An agent sees their own, and is refused another's.
  auto own = http_request(server.port(), "GET", "/api/insights?from=" + day + "&to=" + day, alice);
  REQUIRE(own.status == 200);
  CHECK(json::parse(own.body).at("team").at("conversations") == 1);
  CHECK(http_request(server.port(), "GET", "/api/insights?agent=alice", token(UserRole::agent, "bob", "Bob")).status == 403);
  auto bob_own = json::parse(http_request(server.port(), "GET", "/api/insights", token(UserRole::agent, "bob", "Bob")).body);
  CHECK(bob_own.at("team").at("conversations") == 0);
  CHECK(http_request(server.port(), "GET", "/api/insights", dana).status == 403);
  auto bad_range = http_request(server.port(), "GET", "/api/insights?from=yesterday", sam);
  CHECK(bad_range.status == 400);
  CHECK(bad_range.body.find("ISO date") != std::string::npos);
}
