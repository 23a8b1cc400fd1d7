// relay/access.hpp for what comes after the close (issue 22): who may read a review, rate a chat,
// ask for insights, give feedback on the coach and write a lesson.
#include <catch2/catch.hpp>

#include "relay/access.hpp"

using namespace tact::gateway;

namespace {

const Identity dana{UserRole::customer, "dana", "Dana"};
const Identity erin{UserRole::customer, "erin", "Erin"};
const Identity alice{UserRole::agent, "alice", "Alice"};
const Identity bob{UserRole::agent, "bob", "Bob"};
const Identity sam{UserRole::supervisor, "sam", "Sam"};
const Identity ada{UserRole::admin, "ada", "Ada"};

ConversationFacts chat(bool open) { return {"c3", "ws", "dana", "alice", open}; }

}  // namespace

TEST_CASE("a review is for the conversation's agent and staff; the customer is told it is not theirs, others are not told it exists") {
  const auto closed = chat(false);
  for (const auto* who : {&alice, &sam, &ada}) CHECK(decide(*who, Access::review, "c3", &closed));
  const auto customer = decide(dana, Access::review, "c3", &closed);
  CHECK_FALSE(customer);
  CHECK(customer.status == 403);
  CHECK(customer.code == "review_for_staff");
  for (const auto* who : {&bob, &erin}) {
    const auto d = decide(*who, Access::review, "c3", &closed);
    CHECK(d.status == 404);
    CHECK(d.code == "unknown_conversation");
  }
  CHECK(decide(sam, Access::review, "c9", nullptr).status == 404);
  // Access does not decide on openness for a review: the relay answers not_closed.
  const auto open = chat(true);
  CHECK(decide(alice, Access::review, "c3", &open));
}

TEST_CASE("only the conversation's customer rates it, and only once it is closed") {
  const auto closed = chat(false), open = chat(true);
  CHECK(decide(dana, Access::rate, "c3", &closed));
  const auto early = decide(dana, Access::rate, "c3", &open);
  CHECK(early.code == "conversation_open");
  CHECK(early.message.find("once it is closed") != std::string::npos);
  for (const auto* who : {&erin, &alice, &sam}) CHECK(decide(*who, Access::rate, "c3", &closed).code == "unknown_conversation");
  CHECK(decide(dana, Access::rate, "c9", nullptr).code == "unknown_conversation");
  const ConversationFacts api{"host-1", "api", "", "alice", false};
  CHECK_FALSE(decide(dana, Access::rate, "host-1", &api));
}

TEST_CASE("insights: staff for anyone, an agent for themselves only, never a customer") {
  CHECK(decide_insights(sam, ""));
  CHECK(decide_insights(ada, "bob"));
  CHECK(decide_insights(alice, ""));
  CHECK(decide_insights(alice, "alice"));
  const auto other = decide_insights(alice, "bob");
  CHECK(other.status == 403);
  CHECK(other.code == "own_insights_only");
  CHECK(decide_insights(dana, "").status == 403);
}

TEST_CASE("feedback on the coach comes from the conversation's agent, open or closed; staff are told, others are not shown it") {
  const auto closed = chat(false), open = chat(true);
  CHECK(decide(alice, Access::feedback, "c3", &open));
  CHECK(decide(alice, Access::feedback, "c3", &closed));
  for (const auto* who : {&sam, &ada}) {
    const auto d = decide(*who, Access::feedback, "c3", &open);
    CHECK(d.status == 403);
    CHECK(d.code == "feedback_by_agent");
  }
  CHECK(decide(dana, Access::feedback, "c3", &open).code == "feedback_by_agent");  // her own chat: no secret to keep
  for (const auto* who : {&bob, &erin}) CHECK(decide(*who, Access::feedback, "c3", &open).code == "unknown_conversation");
  CHECK(decide(alice, Access::feedback, "c9", nullptr).code == "unknown_conversation");
}

TEST_CASE("a lesson is written by staff on a closed conversation") {
  const auto closed = chat(false), open = chat(true);
  for (const auto* who : {&sam, &ada}) CHECK(decide(*who, Access::lesson, "c3", &closed));
  CHECK(decide(sam, Access::lesson, "c3", &open).code == "not_closed");
  CHECK(decide(alice, Access::lesson, "c3", &closed).code == "lessons_by_staff");
  CHECK(decide(dana, Access::lesson, "c3", &closed).code == "lessons_by_staff");
  for (const auto* who : {&bob, &erin}) CHECK(decide(*who, Access::lesson, "c3", &closed).code == "unknown_conversation");
  CHECK(decide(sam, Access::lesson, "c9", nullptr).code == "unknown_conversation");
}
