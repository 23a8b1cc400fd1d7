// Three real `tact serve` nodes sharing a real PostgreSQL and a real Redis, all started by the
// test on free ports (issue 21, "Done when").
#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <thread>

#include "support/frames.hpp"
#include "harness.hpp"
#include "scenarios.hpp"
#include "services.hpp"

using namespace tact::test;
using tact::gateway::UserRole;

namespace {

// Waits (up to `limit`) until `done` holds; whether it did.
template <class F>
bool eventually(F done, std::chrono::milliseconds limit = std::chrono::seconds(20)) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

// The next `message` event whose `field` is `value` (others, such as one's own echo, are skipped).
std::optional<json> next_message(WsClient& ws, const std::string& field, const std::string& value) {
  while (auto m = ws.recv_type("message"))
    if (m->at(field) == value) return m;
  return std::nullopt;
}

struct Cluster {
  RedisServer redis;
  std::string store = shared_postgres().new_database();
  TempDir dir;  // the secret, and each node's log
  std::vector<std::unique_ptr<ServerProcess>> nodes;
  int started = 0;

  explicit Cluster(int n) {
    for (int i = 0; i < n; ++i) nodes.push_back(start());
  }
  std::unique_ptr<ServerProcess> start() {
    Launch l;
    l.extra = {"--store", store, "--bus", redis.url(), "--lease-ms", "1500"};
    l.stderr_path = dir.path + "/node" + std::to_string(++started) + ".log";
    return std::make_unique<ServerProcess>(dir.path, l);
  }
  unsigned short port(int i) const { return nodes[static_cast<std::size_t>(i)]->port(); }
  json healthz(int i) const {
    auto r = http_request(port(i), "GET", "/healthz");
    return json::parse(r.body, nullptr, false);
  }
  json transcript(int i, const std::string& conv) const {
    auto r = http_request(port(i), "GET", "/api/conversations/" + conv, token(UserRole::supervisor, "sam", "Sam"));
    return r.status == 200 ? json::parse(r.body) : json();
  }
};

}  // namespace

TEST_CASE("cluster: customer on node 1, agent on node 2, supervisor on node 3: relay, coaching, whisper, health") {
  Cluster c(3);
  for (int i = 0; i < 3; ++i) {
    auto h = c.healthz(i);
    CHECK(h.at("status") == "ok");
    CHECK(h.at("cluster").at("bus") == "up");
  }
  WsClient agent(c.port(1), token(UserRole::agent, "alice", "Alice"));
  REQUIRE(agent.recv_type("hello"));
  WsClient sup(c.port(2), token(UserRole::supervisor, "sam", "Sam"));
  REQUIRE(sup.recv_type("hello"));
  sup.send({{"type", "subscribe"}});
  WsClient customer(c.port(0), token(UserRole::customer, "dana", "Dana"));
  REQUIRE(customer.recv_type("hello"));

  customer.send(message_frame(kComplaint, "k1"));
  auto ack = customer.recv_type("ack");
  REQUIRE(ack);
  const std::string conv = ack->at("conversation");

  auto assigned = agent.recv_type("assigned");  // on another node
  REQUIRE(assigned);
  CHECK(assigned->at("conversation") == conv);
  auto relayed = agent.recv_type("message");
  REQUIRE(relayed);
  CHECK(relayed->at("text") == kComplaint);
  auto coach = agent.recv_type("coach");
  REQUIRE(coach);
  CHECK(coach->at("message_id") == ack->at("id"));
  CHECK(step_status(*coach, "apology") == "missing");

  auto seen = sup.recv_type("message");  // on a third node
  REQUIRE(seen);
  CHECK(seen->at("conversation") == conv);
  auto health = next_health(sup, conv);
  REQUIRE(health);

  // The agent answers from node 2: forwarded to the owner, relayed to the customer on node 1.
  agent.send(message_frame("I am so sorry, I see your order #4411 has not arrived.", "a1", conv));
  auto agent_ack = agent.recv_type("ack");
  REQUIRE(agent_ack);
  CHECK(agent_ack->at("seq") == 2);
  auto to_customer = next_message(customer, "role", "agent");
  REQUIRE(to_customer);
  CHECK(to_customer->at("seq") == 2);
  auto coach2 = agent.recv_type("coach");
  REQUIRE(coach2);
  CHECK(step_status(*coach2, "apology") == "done");
  CHECK(step_status(*coach2, "acknowledge") == "done");

  // A draft check and a whisper from the other nodes.
  agent.send({{"type", "draft"}, {"conversation", conv}, {"text", "calm down"}});
  auto check = agent.recv_type("draft_check");
  REQUIRE(check);
  sup.send({{"type", "whisper"}, {"conversation", conv}, {"text", "offer a refund"}});
  auto whisper = agent.recv_type("whisper");
  REQUIRE(whisper);
  CHECK(whisper->at("text") == "offer a refund");
  auto own = sup.recv_type("whisper");
  REQUIRE(own);
  CHECK(own->at("id") == whisper->at("id"));
  CHECK_FALSE(customer.recv_type("whisper", std::chrono::milliseconds(500)));  // never to the customer

  // A supervisor who subscribes on node 2 gets the board of conversations held by node 1.
  WsClient sup2(c.port(1), token(UserRole::supervisor, "sue", "Sue"));
  REQUIRE(sup2.recv_type("hello"));
  sup2.send({{"type", "subscribe"}});
  REQUIRE(next_health(sup2, conv));

  auto t = c.transcript(2, conv);
  REQUIRE(t.is_object());
  CHECK(t.at("messages").size() == 2);

  // The list: live health on the owner (node 1); on node 3, which does not hold the conversation,
  // the health stored with its last message, `as_of` that message.
  auto listed_on = [&](int node) {
    auto r = http_request(c.port(node), "GET", "/api/conversations", token(UserRole::supervisor, "sam", "Sam"));
    REQUIRE(r.status == 200);
    const auto listed = json::parse(r.body);
    for (const auto& row : listed.at("conversations"))
      if (row.at("id") == conv) return row;
    return json();
  };
  const auto on_owner = listed_on(0), elsewhere = listed_on(2);
  INFO(on_owner.dump() << " " << elsewhere.dump());
  REQUIRE(on_owner.contains("score"));
  CHECK_FALSE(on_owner.contains("as_of"));
  REQUIRE(elsewhere.contains("score"));
  CHECK(elsewhere.at("score") == coach2->at("health").at("score"));
  CHECK(elsewhere.at("messages") == 2);
  CHECK(elsewhere.at("waiting_ms") == 0);  // the agent spoke last
  CHECK(elsewhere.at("as_of") == t.at("messages")[1].at("at"));

  // The customer's connection drops after seq 2; the agent writes twice meanwhile. Back on
  // another node, the customer asks for what came after seq 2 and gets exactly those two.
  customer.close();
  for (const std::string id : {"a2", "a3"}) {
    agent.send(message_frame("Update " + id + ": a courier is on the way.", id, conv));
    REQUIRE(agent.recv_type("ack"));
  }
  const auto dana = token(UserRole::customer, "dana", "Dana");
  WsClient back(c.port(2), dana);
  auto hello = back.recv_type("hello");
  REQUIRE(hello);
  CHECK(hello->at("conversations") == json::array({conv}));
  auto missed = http_request(c.port(2), "GET", "/api/conversations/" + conv + "?after=2", dana);
  REQUIRE(missed.status == 200);
  const auto tail = json::parse(missed.body).at("messages");
  REQUIRE(tail.size() == 2);
  CHECK(tail[0].at("seq") == 3);
  CHECK(tail[1].at("text") == "Update a3: a courier is on the way.");
  CHECK_FALSE(tail[0].contains("coach"));  // the customer's view
  CHECK(http_request(c.port(2), "GET", "/api/conversations/" + conv + "?after=-1", dana).status == 400);
  CHECK(http_request(c.port(2), "GET", "/api/conversations/" + conv + "?after=x", dana).status == 400);
}

TEST_CASE("cluster: an API event posted to a node that does not hold the conversation is answered by its owner") {
  Cluster c(3);
  const auto bob = token(UserRole::agent, "bob", "Bob");
  auto post = [&](int node, const json& event) {
    return http_request(c.port(node), "POST", "/api/conversations/host-7/events", bob, event.dump());
  };
  // Opened on node 1, which holds it from then on.
  auto opened = post(0, {{"role", "customer"}, {"text", "My parcel never arrived and nobody answers"}, {"client_id", "h1"}});
  REQUIRE(opened.status == 200);
  CHECK(json::parse(opened.body).at("seq") == 1);
  // The host's next calls land on nodes 2 and 3: forwarded to node 1, coached there, answered here.
  auto reply = post(1, {{"role", "agent"}, {"text", "I am so sorry, I see your parcel has not arrived."}, {"client_id", "h2"}});
  INFO(reply.body);
  REQUIRE(reply.status == 200);
  const auto coached = json::parse(reply.body);
  CHECK(coached.at("seq") == 2);
  CHECK(step_status(coached, "apology") == "done");
  auto again = post(2, {{"role", "agent"}, {"text", "I am so sorry, I see your parcel has not arrived."}, {"client_id", "h2"}});
  REQUIRE(again.status == 200);
  CHECK(json::parse(again.body).at("duplicate") == true);  // a resend is stored once, whichever node takes it
  // The owner runs the access rule again: another agent is refused, whichever node is asked.
  auto other = http_request(c.port(2), "POST", "/api/conversations/host-7/events", token(UserRole::agent, "eve", "Eve"),
                            json{{"role", "agent"}, {"text", "hello"}}.dump());
  CHECK(other.status == 404);
  auto t = c.transcript(2, "host-7");
  REQUIRE(t.is_object());
  CHECK(t.at("messages").size() == 2);
}

TEST_CASE("cluster: a publish on node 1 coaches on node 3") {
  Cluster c(3);
  std::ifstream in(std::string(TACT_SOURCE_DIR) + "/rules/default.json");
  std::stringstream s;
  s << in.rdbuf();
  auto pack = json::parse(s.str());
  pack["rules"].push_back(json{{"id", "test.zebra"},
                               {"act", "feedback_request"},
                               {"role", "agent"},
                               {"description", "test rule"},
                               {"patterns", {"\\bzebra\\b"}},
                               {"examples", {{"match", {"zebra time", "the zebra says hi", "a zebra"}},
                                             {"no_match", {"horse", "a cat", "the dog"}}}}});
  WsClient agent(c.port(2), token(UserRole::agent, "alice", "Alice"));
  auto hello = agent.recv_type("hello");
  REQUIRE(hello);
  const std::string before = hello->at("rules_version");
  WsClient customer(c.port(2), token(UserRole::customer, "dana", "Dana"));
  REQUIRE(customer.recv_type("hello"));
  customer.send(message_frame("Hello, I have a question", "k1"));
  auto ack = customer.recv_type("ack");
  REQUIRE(ack);
  const std::string conv = ack->at("conversation");

  auto r = http_request(c.port(0), "POST", "/api/rules/publish", token(UserRole::admin, "ada", "Ada"),
                        json{{"pack", pack}, {"message", "zebra"}, {"base_version", 1}}.dump());
  REQUIRE(r.status == 200);
  const std::string v2 = json::parse(r.body).at("rules_version");
  CHECK(v2 != before);

  // Node 3 follows (a bus notice; it loads the version from the store): the agent's next
  // messages there are coached by it, and each coach event names the one set that coached it.
  int n = 0;
  bool zebra = eventually([&] {
    ++n;
    agent.send(message_frame("a zebra " + std::to_string(n), "z" + std::to_string(n), conv));
    for (;;) {
      auto coach = agent.recv_type("coach");
      if (!coach) return false;
      if (coach->at("message_id") != conv + "-" + std::to_string(n + 1)) continue;
      const bool has = coach->at("acts").dump().find("feedback_request") != std::string::npos;
      CHECK(has == (coach->at("rules_version") == v2));
      return coach->at("rules_version") == v2;
    }
  });
  CHECK(zebra);
}

TEST_CASE("cluster: Redis killed and restarted: owned conversations keep working, forwarded traffic fails clearly, then recovers") {
  Cluster c(2);
  WsClient alice(c.port(0), token(UserRole::agent, "alice", "Alice"));
  REQUIRE(alice.recv_type("hello"));
  WsClient bob(c.port(1), token(UserRole::agent, "bob", "Bob"));
  REQUIRE(bob.recv_type("hello"));
  // Two chats opened on node 1: the first to alice (node 1), the second to bob (node 2).
  WsClient dana(c.port(0), token(UserRole::customer, "dana", "Dana"));
  REQUIRE(dana.recv_type("hello"));
  dana.send(message_frame(kComplaint, "d1"));
  auto d1 = dana.recv_type("ack");
  REQUIRE(d1);
  const std::string conv_a = d1->at("conversation");
  REQUIRE(alice.recv_type("assigned"));
  WsClient eli(c.port(0), token(UserRole::customer, "eli", "Eli"));
  REQUIRE(eli.recv_type("hello"));
  eli.send(message_frame("Where is my parcel?", "e1"));
  auto e1 = eli.recv_type("ack");
  REQUIRE(e1);
  const std::string conv_b = e1->at("conversation");
  auto to_bob = bob.recv_type("assigned");
  REQUIRE(to_bob);
  CHECK(to_bob->at("conversation") == conv_b);

  c.redis.kill9();
  REQUIRE(eventually([&] { return c.healthz(0).at("cluster").at("bus") == "down"; }));
  CHECK(c.healthz(0).at("status") == "degraded");

  // Owned by node 1, everyone on node 1: it goes on.
  dana.send(message_frame("Any news?", "d2"));
  auto d2 = dana.recv_type("ack");
  REQUIRE(d2);
  REQUIRE(next_message(alice, "text", "Any news?"));
  alice.send(message_frame("Let me check that for you.", "a1", conv_a));
  REQUIRE(alice.recv_type("ack"));
  // Bob on node 2 writes into a chat node 1 holds: a clear error, never silence.
  bob.send(message_frame("Hello Eli", "b1", conv_b));
  auto refused = bob.recv_type("error");
  REQUIRE(refused);
  CHECK(refused->at("code") == "bus_unavailable");
  CHECK(refused->at("ref") == "b1");

  c.redis.start();
  REQUIRE(eventually([&] { return c.healthz(0).at("cluster").at("bus") == "up" && c.healthz(1).at("cluster").at("bus") == "up"; }));
  CHECK(c.healthz(1).at("status") == "ok");
  bool through = eventually([&] {
    bob.send(message_frame("Hello Eli", "b1", conv_b));
    for (;;) {
      auto f = bob.recv(std::chrono::seconds(2));
      if (!f) return false;
      if (f->at("type") == "ack") return true;
      if (f->at("type") == "error") return false;
    }
  });
  REQUIRE(through);
  auto to_eli = next_message(eli, "role", "agent");
  REQUIRE(to_eli);
  CHECK(to_eli->at("text") == "Hello Eli");
}

TEST_CASE("cluster: kill -9 of the owner mid-chat, 10 times under load: the chat goes on, each acknowledged message stored once, none relayed twice", "[slow]") {
  Cluster c(3);
  // The agent stays on one node that is never killed; the customer's node (the owner) is killed.
  // (A WsClient is done once a read times out: the agent connects anew each round and reads to
  // the end of it. One agent connection at a time, so each message reaches at most one of them.)
  std::map<std::string, int> agent_saw;  // message id -> times relayed to the agent
  auto agent = std::make_unique<WsClient>(c.port(2), token(UserRole::agent, "alice", "Alice"));
  REQUIRE(agent->recv_type("hello"));
  auto drain_agent = [&](bool again) {
    while (auto f = agent->recv(std::chrono::milliseconds(300)))
      if (f->at("type") == "message") ++agent_saw[f->at("id").get<std::string>()];
    agent.reset();
    if (!again) return;
    agent = std::make_unique<WsClient>(c.port(2), token(UserRole::agent, "alice", "Alice"));
    REQUIRE(agent->recv_type("hello"));
  };
  // Load beside it: a host platform posting events into five API conversations on the node that
  // is never killed, stored in the same PostgreSQL.
  std::atomic<bool> stop{false};
  std::atomic<int> load_stored{0};
  struct Joined {  // a failed REQUIRE below must not leave the thread running
    std::atomic<bool>& stop;
    std::thread thread;
    ~Joined() {
      stop = true;
      if (thread.joinable()) thread.join();
    }
  } load{stop, std::thread([&] {
    const auto bob = token(UserRole::agent, "bob", "Bob");
    for (int n = 0; !stop; ++n)
      for (int i = 0; i < 5 && !stop; ++i) {
        auto r = http_request(c.port(2), "POST", "/api/conversations/load-" + std::to_string(i) + "/events", bob,
                              json{{"role", n % 2 ? "agent" : "customer"}, {"text", "still there? " + std::to_string(n)}}.dump());
        if (r.status == 200) ++load_stored;
      }
  })};

  // The first message is a complaint: the checklist (acknowledge, apology) must survive every owner.
  auto text_of = [](const std::string& id) { return id == "k0" ? kComplaint : "message " + id; };
  std::set<std::string> acked;        // message ids acknowledged to the customer
  std::set<std::string> acked_cids;  // and their client_ids: those are not sent again
  std::set<std::string> client_ids;  // every client_id sent
  std::string conv;
  int next = 0;
  for (int round = 0; round < 10; ++round) {
    INFO("round " << round);
    const int node = round % 2;  // the owner-to-be: nodes 1 and 2 in turn
    WsClient customer(c.port(node), token(UserRole::customer, "dana", "Dana"));
    REQUIRE(customer.recv_type("hello"));
    // Whatever was not acknowledged before the last kill is sent again (same client_id).
    std::map<std::string, std::string> pending;  // client_id -> text
    for (const auto& id : client_ids)
      if (!acked_cids.count(id)) pending[id] = text_of(id);
    for (int i = 0; i < 20; ++i) {
      const std::string id = "k" + std::to_string(next++);
      client_ids.insert(id);
      pending[id] = text_of(id);
    }
    std::map<std::string, std::string> ack_of;  // client_id -> message id, this round
    for (const auto& [id, text] : pending) customer.send(message_frame(text, id));
    while (ack_of.size() < 5) {
      auto a = customer.recv_type("ack");
      REQUIRE(a);
      ack_of[a->at("client_id")] = a->at("id");
      conv = a->at("conversation");
    }
    c.nodes[static_cast<std::size_t>(node)]->kill9();
    while (auto f = customer.recv(std::chrono::milliseconds(300)))
      if (f->at("type") == "ack") ack_of[f->at("client_id")] = f->at("id");
    for (const auto& [cid, mid] : ack_of) {
      acked.insert(mid);
      acked_cids.insert(cid);
    }
    c.nodes[static_cast<std::size_t>(node)] = c.start();
    drain_agent(true);
  }
  // The customer comes back on node 3 and sends everything never acknowledged; the agent writes.
  // A resend can meet a write of the dead node still landing (store_failed: send it again).
  for (int attempt = 0; attempt < 3 && acked_cids.size() < client_ids.size(); ++attempt) {
    WsClient customer(c.port(2), token(UserRole::customer, "dana", "Dana"));
    REQUIRE(customer.recv_type("hello"));
    for (const auto& id : client_ids)
      if (!acked_cids.count(id)) customer.send(message_frame(text_of(id), id));
    while (auto f = customer.recv(std::chrono::seconds(2)))
      if (f->at("type") == "ack") {
        acked.insert(f->at("id").get<std::string>());
        acked_cids.insert(f->at("client_id").get<std::string>());
      }
  }
  CHECK(acked_cids.size() == client_ids.size());
  agent->send(message_frame("I am so sorry for the wait, I see your order has not arrived.", "a-final", conv));
  std::optional<json> coach;
  while ((coach = agent->recv_type("coach")) && coach->at("role") != "agent") {
  }
  REQUIRE(coach);
  // The checklist went on through ten owners: the acknowledgement and the apology are both there.
  CHECK(step_status(*coach, "apology") == "done");
  CHECK(step_status(*coach, "acknowledge") == "done");
  stop = true;
  load.thread.join();
  CHECK(load_stored > 0);
  drain_agent(false);

  auto t = c.transcript(0, conv);
  REQUIRE(t.is_object());
  std::map<std::string, int> stored_ids, stored_client_ids;
  for (const auto& m : t.at("messages")) {
    ++stored_ids[m.at("id").get<std::string>()];
    if (m.at("role") == "customer") ++stored_client_ids[m.at("text").get<std::string>()];
  }
  for (const auto& id : acked) CHECK(stored_ids[id] == 1);  // every acknowledged message, once
  for (const auto& [text, n] : stored_client_ids) CHECK(n == 1);  // no message stored twice
  CHECK(stored_client_ids.size() == client_ids.size());  // and every one sent is there
  for (const auto& [id, n] : agent_saw) CHECK(n == 1);  // none relayed twice to the agent
  CHECK(!agent_saw.empty());
}
