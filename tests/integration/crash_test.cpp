// Faults (issue 8): customer + agent traffic over many conversations while the real `tact serve`
// is killed with SIGKILL at random moments, restarted each time on the same data dir. The clients
// keep their own books: every message sent (a unique tag in its text), which were acknowledged,
// every `message` event the server relayed, and each conversation's last `coach` event. After
// each restart the store (through the HTTP API) must hold every acknowledged message exactly
// once, every relayed message, nothing twice and nothing nobody sent; and a conversation whose
// messages were all acknowledged must resume with the checklist of its last coach event.
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <random>
#include <set>

#include "harness.hpp"
#include "traffic.hpp"

using namespace tact::test;
using tact::bench::AsyncWs;
using tact::bench::tag_of;
using tact::bench::tagged;
using tact::gateway::UserRole;

namespace {

constexpr int kConversations = 16;
constexpr int kKills = 22;

struct Sent {
  bool customer = true;
  int who = 0;               // index of the customer or agent
  std::string conversation;  // known for agents; for customers once acknowledged
  bool acked = false;
  std::string id;  // from the ack
  // Never acknowledged, and after the next restart not in the store: the kill came before its
  // commit. Known, so no longer a doubt for the checklist probe.
  bool dropped = false;
};

struct Coach {
  std::string message_id;
  json checklist;
};

// The checklist without the explanations: step, status and the message that did it.
json checklist_key(const json& checklist) {
  json out = json::array();
  for (const auto& s : checklist) out.push_back({s.at("step"), s.at("status"), s.value("message_id", "")});
  return out;
}

struct Books {
  std::map<std::uint64_t, Sent> sent;
  std::map<std::string, std::uint64_t> relayed;  // message id -> tag, from `message` events
  std::map<std::string, Coach> coach;            // conversation -> last coach event
  std::map<std::string, int> customer_of;        // conversation -> customer index
  std::uint64_t next_tag = 1;

  struct Check {
    std::size_t acked = 0, found = 0, duplicates = 0, lost = 0, wrong_id = 0, relayed_missing = 0, phantom = 0;
  };

  // Reads every conversation through the API and compares it with the books. Then settles the
  // messages the last kill left unacknowledged: stored (the ack was lost) or dropped.
  Check verify(unsigned short port) {
    const auto sup = token(UserRole::supervisor, "auditor", "Auditor");
    auto list = http_request(port, "GET", "/api/conversations", sup);
    REQUIRE(list.status == 200);
    std::map<std::uint64_t, std::vector<std::string>> stored;  // tag -> ids
    std::map<std::uint64_t, std::string> stored_in;           // tag -> conversation
    const auto listed = json::parse(list.body);  // named: a temporary would die before the loop
    for (const auto& c : listed.at("conversations")) {
      auto r = http_request(port, "GET", "/api/conversations/" + c.at("id").get<std::string>(), sup);
      REQUIRE(r.status == 200);
      const auto t = json::parse(r.body);
      for (const auto& m : t.at("messages")) {
        const auto tag = tag_of(m.at("text").get<std::string>());
        stored[tag].push_back(m.at("id").get<std::string>());
        stored_in[tag] = c.at("id").get<std::string>();
      }
    }
    Check out;
    for (const auto& [tag, ids] : stored) {
      if (ids.size() > 1) out.duplicates += ids.size() - 1;
      if (!sent.count(tag)) ++out.phantom;
    }
    for (const auto& [tag, s] : sent) {
      if (!s.acked) continue;
      ++out.acked;
      auto it = stored.find(tag);
      if (it == stored.end()) ++out.lost;
      else if (it->second.size() == 1) {
        ++out.found;
        if (it->second[0] != s.id) ++out.wrong_id;
      }
    }
    for (const auto& [id, tag] : relayed)
      if (!stored.count(tag)) ++out.relayed_missing;
    for (auto& [tag, s] : sent) {
      if (s.acked || s.dropped) continue;
      auto it = stored.find(tag);
      if (it == stored.end()) {
        s.dropped = true;
      } else if (it->second.size() == 1) {
        s.acked = true;
        s.id = it->second[0];
        s.conversation = stored_in.at(tag);
      }
    }
    return out;
  }

  // Conversations whose every message was acknowledged and whose last coach event is for the
  // last of them: their checklist must come back as it was.
  std::vector<std::string> settled() const {
    std::map<std::string, std::int64_t> last_seq;
    std::set<std::string> unsure;
    std::set<int> unsure_customers;
    for (const auto& [tag, s] : sent) {
      if (s.dropped) continue;
      if (!s.acked) {
        if (s.customer) unsure_customers.insert(s.who);
        else unsure.insert(s.conversation);
        continue;
      }
      const std::int64_t seq = std::stoll(s.id.substr(s.id.rfind('-') + 1));
      last_seq[s.conversation] = std::max(last_seq[s.conversation], seq);
    }
    std::vector<std::string> out;
    for (const auto& [conv, c] : coach)
      if (!unsure.count(conv) && customer_of.count(conv) && !unsure_customers.count(customer_of.at(conv)) && last_seq.count(conv) && c.message_id == conv + "-" + std::to_string(last_seq.at(conv)))
        out.push_back(conv);
    return out;
  }
};

// One run of the server: connect, probe the settled conversations' checklists, then traffic until
// the kill (or, for the last run, nothing). Returns the number of checklists compared.
struct Run {
  Books& books;
  unsigned short port;
  net::io_context ioc;
  std::vector<std::shared_ptr<AsyncWs>> customers, agents;
  std::map<std::string, int> agent_of;  // conversation -> agent index
  std::map<std::string, std::uint64_t> probes;  // conversation -> probe tag
  std::map<std::string, json> coach_by_id;  // message id -> checklist, in this run
  std::mt19937& rng;
  bool traffic = false;
  int ended = 0;

  Run(Books& b, unsigned short p, std::mt19937& r) : books(b), port(p), rng(r) {}

  void customer_send(int i, const std::string& text) {
    const auto tag = books.next_tag++;
    books.sent[tag] = {true, i, "", false, ""};
    for (const auto& [conv, who] : books.customer_of)
      if (who == i) books.sent[tag].conversation = conv;
    customers[static_cast<std::size_t>(i)]->send(
        json{{"type", "message"}, {"text", tagged(text, tag)}, {"client_id", "t" + std::to_string(tag)}}.dump());
  }

  void agent_send(int i, const std::string& conv, const std::string& text) {
    const auto tag = books.next_tag++;
    books.sent[tag] = {false, i, conv, false, ""};
    agents[static_cast<std::size_t>(i)]->send(
        json{{"type", "message"}, {"conversation", conv}, {"text", tagged(text, tag)}, {"client_id", "t" + std::to_string(tag)}}.dump());
  }

  // After a short think time, so that a run sends a bounded number of messages.
  void later(std::function<void()> f) {
    auto timer = std::make_shared<net::steady_timer>(ioc, std::chrono::milliseconds(std::uniform_int_distribution<int>(5, 40)(rng)));
    timer->async_wait([timer, f = std::move(f), this](beast::error_code ec) {
      if (!ec && traffic) f();
    });
  }

  void on_frame(bool customer, int i, const json& j) {
    if (!j.is_object()) return;
    const auto type = j.value("type", "");
    if (type == "ack") {
      const auto tag = std::stoull(j.at("client_id").get<std::string>().substr(1));
      auto& s = books.sent.at(tag);
      s.acked = true;
      s.id = j.at("id");
      s.conversation = j.at("conversation");
      if (customer) books.customer_of[s.conversation] = i;
    } else if (type == "message") {
      books.relayed[j.at("id")] = tag_of(j.at("text"));
      if (customer) books.customer_of[j.at("conversation")] = i;
      if (customer && j.at("role") == "agent")
        later([this, i] { customer_send(i, tact::bench::kCustomerTexts[std::uniform_int_distribution<std::size_t>(0, 5)(rng)]); });
    } else if (type == "coach") {
      const std::string conv = j.at("conversation");
      books.coach[conv] = {j.at("message_id"), j.at("checklist")};
      agent_of[conv] = i;
      coach_by_id[j.at("message_id")] = j.at("checklist");
      if (!customer && j.at("role") == "customer")
        later([this, i, conv] { agent_send(i, conv, tact::bench::kAgentTexts[std::uniform_int_distribution<std::size_t>(0, 5)(rng)]); });
    } else if (type == "error") {
      FAIL("error event: " << j.dump());
    }
  }

  void connect() {
    int ready = 0;
    auto start = [&](std::vector<std::shared_ptr<AsyncWs>>& into, bool customer, int i) {
      auto ws = std::make_shared<AsyncWs>(ioc);
      into.push_back(ws);
      const auto role = customer ? UserRole::customer : UserRole::agent;
      const auto sub = (customer ? "c" : "a") + std::to_string(i);
      ws->start(port, "/ws?token=" + token(role, sub, sub), [&ready](beast::error_code ec) {
        REQUIRE_FALSE(ec);
        ++ready;
      }, [this, customer, i](const json& j) { on_frame(customer, i, j); }, [this](beast::error_code) { ++ended; });
    };
    for (int i = 0; i < kConversations; ++i) start(agents, false, i);
    while (ready < kConversations) ioc.run_for(std::chrono::milliseconds(10));
    for (int i = 0; i < kConversations; ++i) start(customers, true, i);
    while (ready < 2 * kConversations) ioc.run_for(std::chrono::milliseconds(10));
  }

  // A neutral customer message (no complaint: the checklist does not move) into each settled
  // conversation; its coach event shows the rebuilt checklist.
  std::size_t probe() {
    std::map<std::string, json> expected;
    for (const auto& conv : books.settled()) {
      expected[conv] = books.coach.at(conv).checklist;
      probes[conv] = books.next_tag;
      customer_send(books.customer_of.at(conv), "ok");
    }
    auto answered = [&] {
      for (const auto& [conv, tag] : probes)
        if (!books.sent.at(tag).acked || !coach_by_id.count(books.sent.at(tag).id)) return false;
      return true;
    };
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (!answered() && std::chrono::steady_clock::now() < deadline) ioc.run_for(std::chrono::milliseconds(10));
    REQUIRE(answered());
    for (const auto& [conv, checklist] : expected) {
      INFO("conversation " << conv);
      CHECK(checklist_key(coach_by_id.at(books.sent.at(probes.at(conv)).id)) == checklist_key(checklist));
    }
    return expected.size();
  }

  void load_until_killed(ServerProcess& server, std::chrono::milliseconds after) {
    traffic = true;
    for (int i = 0; i < kConversations; ++i) customer_send(i, tact::bench::kCustomerTexts[0]);
    ioc.run_for(after);
    server.kill9();
    // Read what was already on its way (acks in the socket buffers) until every socket ends.
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (ended < 2 * kConversations && std::chrono::steady_clock::now() < deadline) ioc.run_for(std::chrono::milliseconds(10));
    traffic = false;
    for (auto& ws : customers) ws->close();
    for (auto& ws : agents) ws->close();
    ioc.run_for(std::chrono::milliseconds(10));
  }
};

}  // namespace

TEST_CASE("SIGKILL at random moments under load: nothing acknowledged is lost or doubled, checklists resume") {
  TempDir dir;
  Books books;
  // A fresh seed each run finds more; it is printed so a failing run can be repeated (TACT_SEED=N).
  const char* seed_env = std::getenv("TACT_SEED");
  const unsigned seed = seed_env ? static_cast<unsigned>(std::strtoul(seed_env, nullptr, 10)) : std::random_device{}();
  std::printf("crash test seed: %u (repeat with TACT_SEED=%u)\n", seed, seed);
  std::fflush(stdout);
  std::mt19937 rng(seed);
  std::size_t kills = 0, compared = 0, problems = 0;
  Books::Check last;
  for (int round = 0; round <= kKills; ++round) {
    ServerProcess server(dir.path, {"--rate", "0"});
    last = books.verify(server.port());
    INFO("after kill " << kills);
    CHECK(last.lost == 0);
    CHECK(last.duplicates == 0);
    CHECK(last.wrong_id == 0);
    CHECK(last.relayed_missing == 0);
    CHECK(last.phantom == 0);
    problems += last.lost + last.duplicates + last.wrong_id + last.relayed_missing + last.phantom;
    Run run(books, server.port(), rng);
    run.connect();
    compared += run.probe();
    if (round == kKills) break;
    run.load_until_killed(server, std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 900)(rng)));
    ++kills;
  }
  std::size_t unacked = 0;
  for (const auto& [tag, s] : books.sent) unacked += !s.acked;
  std::printf("crash test: kills %zu, sent %zu, acked %zu, found %zu, duplicates %zu, lost %zu, unacked %zu, relayed-but-missing %zu, "
              "checklists compared %zu\n",
              kills, books.sent.size(), last.acked, last.found, last.duplicates, last.lost, unacked, last.relayed_missing, compared);
  std::fflush(stdout);
  CHECK(kills >= 20);
  CHECK(problems == 0);
  CHECK(last.acked > 1000);
  CHECK(compared > 0);
}
