// The relay and assignment without sockets: connections are RecordingPeers, the store is SQLite
// in a temp dir, the clock is the test's. What each party would see on its screen is asserted.
#include <catch2/catch.hpp>

#include <atomic>
#include <memory>
#include <sstream>

#include "obs/log.hpp"
#include "obs/metrics.hpp"
#include "relay/hub.hpp"
#include "relay/relay.hpp"
#include "rules/pack_source.hpp"
#include "store/store.hpp"
#include "support/frames.hpp"
#include "support/recording_peer.hpp"
#include "support/temp_dir.hpp"

using namespace tact::gateway;
using tact::test::RecordingPeer;
using nlohmann::json;

namespace {

struct World {
  tact::test::TempDir dir{"tact-relay"};
  Metrics metrics;
  std::unique_ptr<Store> store;
  Hub hub;
  std::atomic<std::int64_t> now{1718000000000};
  std::unique_ptr<Relay> relay;

  World() {
    set_logging(false);
    std::string error;
    store = open_sqlite_store(dir.path, &metrics, error);
    REQUIRE(store);
    auto rules = coach_rules();
    relay = std::make_unique<Relay>(hub, *store, metrics, RulesRef{rules, "default@test"}, [this] { return now.load(); });
  }
  ~World() {
    store->flush();
    relay.reset();
    store.reset();
  }
  static tact::coach::RuleSetPtr coach_rules() {
    std::ostringstream err;
    auto rules = load_rules("", err);
    REQUIRE(rules);
    return rules;
  }

  std::shared_ptr<RecordingPeer> connect(UserRole role, const std::string& sub, const std::string& name) {
    auto p = std::make_shared<RecordingPeer>(Identity{role, sub, name});
    relay->connected(p);
    REQUIRE(p->next("hello"));
    return p;
  }
  void send(const std::shared_ptr<RecordingPeer>& from, const json& frame) {
    auto parsed = parse_client_frame(frame.dump());
    REQUIRE(parsed.frame);
    relay->handle(from, *parsed.frame);
  }
};

}  // namespace

TEST_CASE("relay: a customer's complaint reaches the least-loaded agent, coached, in order") {
  World w;
  auto alice = w.connect(UserRole::agent, "alice", "Alice");
  auto bob = w.connect(UserRole::agent, "bob", "Bob");

  auto dana = w.connect(UserRole::customer, "dana", "Dana");
  w.send(dana, tact::test::message_frame("My order #4411 still has not arrived", "k1"));
  auto ack = dana->next("ack");
  REQUIRE(ack);
  CHECK(ack->at("client_id") == "k1");
  const std::string first = ack->at("conversation");

  // One of the two agents gets it (announced before the message is stored, so before the ack);
  // the next customer goes to the other (fewest open first).
  auto was_assigned = [](const std::shared_ptr<RecordingPeer>& p) {
    for (const auto& f : p->all())
      if (f.value("type", "") == "assigned") return true;
    return false;
  };
  REQUIRE(was_assigned(alice) != was_assigned(bob));
  auto first_agent = was_assigned(alice) ? alice : bob;
  auto other_agent = first_agent == alice ? bob : alice;
  REQUIRE(first_agent->next("assigned"));
  auto relayed = first_agent->next("message");
  REQUIRE(relayed);
  CHECK(relayed->at("text") == "My order #4411 still has not arrived");
  CHECK(relayed->at("from") == "Dana");
  auto coach = first_agent->next("coach");
  REQUIRE(coach);
  CHECK(tact::test::has_act(*coach, "complaint"));
  CHECK(tact::test::step_status(*coach, "apology") == "missing");

  auto erin = w.connect(UserRole::customer, "erin", "Erin");
  w.send(erin, tact::test::message_frame("The app crashes every time I log in", "k2"));
  auto second = other_agent->next("assigned");
  REQUIRE(second);
  CHECK(second->at("customer") == "Erin");
  CHECK(second->at("conversation") != first);

  // The agent's apology is relayed to the customer, without coaching, and marks the step done.
  w.send(first_agent, tact::test::message_frame("I'm so sorry your order hasn't arrived.", "a1", first));
  auto to_customer = dana->next("message");
  REQUIRE(to_customer);
  CHECK(to_customer->at("role") == "customer");  // the customer's own message comes back first
  to_customer = dana->next("message");
  REQUIRE(to_customer);
  CHECK(to_customer->at("role") == "agent");
  auto after = first_agent->next("coach");
  REQUIRE(after);
  CHECK(tact::test::step_status(*after, "apology") == "done");
  for (const auto& f : dana->all()) CHECK(f.value("type", "") != "coach");
}

TEST_CASE("relay: a conversation waits in the queue until an agent connects, then is assigned after hello") {
  World w;
  auto dana = w.connect(UserRole::customer, "dana", "Dana");
  w.send(dana, tact::test::message_frame("Still no refund after three weeks", "k1"));
  auto ack = dana->next("ack");
  REQUIRE(ack);

  auto p = std::make_shared<RecordingPeer>(Identity{UserRole::agent, "carol", "Carol"});
  w.relay->connected(p);
  auto frames = p->all();
  REQUIRE(frames.size() >= 2);
  CHECK(frames[0].at("type") == "hello");
  CHECK(frames[1].at("type") == "assigned");
  CHECK(frames[1].at("conversation") == ack->at("conversation"));
}

TEST_CASE("relay: another agent cannot write, draft or close in a conversation that is not theirs") {
  World w;
  auto alice = w.connect(UserRole::agent, "alice", "Alice");
  auto dana = w.connect(UserRole::customer, "dana", "Dana");
  w.send(dana, tact::test::message_frame("Where is my parcel?", "k1"));
  auto ack = dana->next("ack");
  REQUIRE(ack);
  const std::string conv = ack->at("conversation");
  REQUIRE(alice->next("assigned"));

  auto mallory = w.connect(UserRole::agent, "mallory", "Mallory");
  for (const auto& frame : {tact::test::message_frame("I am the agent now", "m1", conv),
                            json{{"type", "draft"}, {"conversation", conv}, {"text", "hmm"}},
                            json{{"type", "close"}, {"conversation", conv}}}) {
    INFO(frame.dump());
    w.send(mallory, frame);
    auto e = mallory->next("error");
    REQUIRE(e);
    CHECK(e->at("code") == "unknown_conversation");
  }
  // Nothing reached the customer or the real agent, and the chat is still open.
  for (const auto& f : dana->all()) CHECK(f.value("text", "") != "I am the agent now");
  for (const auto& f : alice->all()) CHECK(f.value("type", "") != "closed");
  w.send(alice, tact::test::message_frame("Let me look into that for you.", "a1", conv));
  CHECK(alice->next("ack"));
}

TEST_CASE("relay: a supervisor's whisper reaches the agent and never the customer") {
  World w;
  auto alice = w.connect(UserRole::agent, "alice", "Alice");
  auto dana = w.connect(UserRole::customer, "dana", "Dana");
  w.send(dana, tact::test::message_frame("My card was charged twice", "k1"));
  auto ack = dana->next("ack");
  REQUIRE(ack);
  const std::string conv = ack->at("conversation");

  auto sam = w.connect(UserRole::supervisor, "sam", "Sam");
  w.send(sam, json{{"type", "subscribe"}});
  w.send(sam, json{{"type", "whisper"}, {"conversation", conv}, {"text", "Offer the refund first."}});
  auto whisper = alice->next("whisper");
  REQUIRE(whisper);
  CHECK(whisper->at("from") == "Sam");
  CHECK(whisper->at("text") == "Offer the refund first.");
  CHECK(sam->next("whisper"));
  w.store->flush();
  for (const auto& f : dana->all()) CHECK(f.value("type", "") != "whisper");
}
