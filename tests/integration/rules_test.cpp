// Rule administration against the real `tact serve` (issue 7, "Done when"): publish under live
// traffic, refusals with reasons, rollback, admin-only routes, the preview's diff, the CLI.
#include <catch2/catch.hpp>

#include <atomic>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include <sys/wait.h>

#include "harness.hpp"
#include "support/frames.hpp"
#include "support/packs.hpp"

using namespace tact::test;
using tact::gateway::UserRole;

namespace {

using tact::test::default_pack;
using tact::test::zebra_pack;

struct Api {
  unsigned short port;
  std::string admin = token(UserRole::admin, "ada", "Ada");
  std::pair<int, json> call(const std::string& method, const std::string& path, const json& body = nullptr, const std::string& tok = "") {
    auto r = http_request(port, method, path, tok.empty() ? admin : tok, body.is_null() ? "" : body.dump());
    auto j = json::parse(r.body, nullptr, false);
    return {r.status, j};
  }
  std::int64_t live() { return call("GET", "/api/rules/live").second.at("version").get<std::int64_t>(); }
};

}  // namespace

TEST_CASE("every admin endpoint refuses every other role, and a missing token") {
  TempDir dir;
  ServerProcess server(dir.path);
  Api api{server.port()};
  const json pack = default_pack();
  const std::vector<std::tuple<std::string, std::string, json>> routes = {
      {"GET", "/api/rules/versions", nullptr},
      {"GET", "/api/rules/versions/1", nullptr},
      {"GET", "/api/rules/live", nullptr},
      {"GET", "/api/rules/audit", nullptr},
      {"POST", "/api/rules/validate", {{"pack", pack}}},
      {"POST", "/api/rules/test", {{"pack", pack}}},
      {"POST", "/api/rules/preview", {{"pack", pack}}},
      {"POST", "/api/rules/publish", {{"pack", pack}, {"message", "m"}, {"base_version", 1}}},
      {"POST", "/api/rules/rollback", {{"version", 1}}},
  };
  for (auto role : {UserRole::customer, UserRole::agent, UserRole::supervisor}) {
    const auto tok = token(role, "someone", "Someone");
    for (const auto& [method, path, body] : routes) {
      INFO(method << " " << path << " as " << tact::gateway::to_string(role));
      auto [status, answer] = api.call(method, path, body, tok);
      CHECK(status == 403);
      CHECK(answer.value("error", "") == "wrong_role");
    }
  }
  for (const auto& [method, path, body] : routes) {
    auto r = http_request(server.port(), method, path, "", body.is_null() ? "" : body.dump());
    CHECK(r.status == 401);
    CHECK(json::parse(r.body).at("error") == "missing_token");
  }
  // The admin gets through to every one of them.
  for (const auto& [method, path, body] : routes) {
    if (path == "/api/rules/publish" || path == "/api/rules/rollback") continue;
    INFO(method << " " << path);
    CHECK(api.call(method, path, body).first == 200);
  }
}

TEST_CASE("a bad regex and a failing example are refused with their reasons; limits refuse clearly") {
  TempDir dir;
  ServerProcess server(dir.path);
  Api api{server.port()};
  auto bad = zebra_pack();
  bad["rules"].back()["patterns"] = {"\\bzebra(\\b"};
  auto [status, v] = api.call("POST", "/api/rules/validate", {{"pack", bad}});
  REQUIRE(status == 200);
  CHECK(v.at("ok") == false);
  REQUIRE(v.at("problems").size() == 1);
  const auto problem = v.at("problems")[0];
  CHECK(problem.at("rule") == "test.zebra");
  CHECK(problem.at("field") == "patterns[0]");
  CHECK(problem.at("reason").get<std::string>().find("missing )") != std::string::npos);
  CHECK(problem.at("position") == 7);
  auto [pstatus, p] = api.call("POST", "/api/rules/publish", {{"pack", bad}, {"message", "bad"}, {"base_version", 1}});
  CHECK(pstatus == 422);
  CHECK(p.at("error") == "invalid_pack");
  CHECK(p.at("problems") == v.at("problems"));

  auto failing = zebra_pack();
  failing["rules"].back()["examples"]["no_match"].push_back("zebra crossing");
  auto [tstatus, t] = api.call("POST", "/api/rules/test",
                               {{"pack", failing}, {"texts", {{{"role", "agent"}, {"text", "a zebra"}}, {{"role", "customer"}, {"text", "a zebra"}}}}});
  REQUIRE(tstatus == 200);
  CHECK(t.at("ok") == false);
  CHECK(t.at("failed") == 1);
  CHECK(t.at("texts")[0].at("acts") == json::array({"feedback_request"}));
  CHECK(t.at("texts")[1].at("acts") == json::array());
  std::set<std::string> failed;
  for (const auto& e : t.at("examples"))
    if (!e.at("passed")) failed.insert(e.at("rule").get<std::string>() + ": " + e.at("text").get<std::string>());
  CHECK(failed == std::set<std::string>{"test.zebra: zebra crossing"});
  std::tie(pstatus, p) = api.call("POST", "/api/rules/publish", {{"pack", failing}, {"message", "failing"}, {"base_version", 1}});
  CHECK(pstatus == 422);
  CHECK(p.at("error") == "examples_failed");
  CHECK(p.at("failures")[0].at("text") == "zebra crossing");
  CHECK(api.live() == 1);

  // Limits: a pattern longer than the limit, a body larger than --max-admin-body.
  auto long_pattern = zebra_pack();
  long_pattern["rules"].back()["patterns"] = {std::string(2500, 'a')};
  std::tie(status, v) = api.call("POST", "/api/rules/validate", {{"pack", long_pattern}});
  CHECK(v.at("ok") == false);
  CHECK(v.at("problems")[0].at("field") == "patterns[0]");
  auto big = http_request(server.port(), "POST", "/api/rules/validate", api.admin, std::string(2 << 20, ' '));
  CHECK(big.status == 413);
  CHECK(json::parse(big.body).at("error") == "too_large");
  // The other routes keep --max-message.
  auto event = http_request(server.port(), "POST", "/api/conversations/x/events", api.admin, std::string(20000, ' '));
  CHECK(event.status == 413);
  CHECK(api.call("POST", "/api/rules/validate", "not a pack").first == 400);
  CHECK(api.call("POST", "/api/rules/rollback", {{"version", "two"}}).first == 400);
  CHECK(api.call("GET", "/api/rules/versions/99").first == 404);
  CHECK(api.call("GET", "/api/rules/nothing").first == 404);
  CHECK(api.call("POST", "/api/rules/live").first == 405);
}

TEST_CASE("publish and rollback under live traffic: each coach event is from one set and names it") {
  TempDir dir;
  ServerProcess server(dir.path, {"--rate", "100000"});
  Api api{server.port()};
  auto [s0, live0] = api.call("GET", "/api/rules/live");
  REQUIRE(s0 == 200);
  const std::string v1 = live0.at("rules_version");

  std::atomic<bool> stop{false};
  std::mutex m;
  std::vector<json> events;  // coach events of the agent's "zebra" messages
  std::vector<std::thread> traffic;
  for (int i = 0; i < 3; ++i)
    traffic.emplace_back([&, i] {
      const auto agent = token(UserRole::agent, "agent" + std::to_string(i), "A");
      const std::string path = "/api/conversations/load-" + std::to_string(i) + "/events";
      for (int n = 0; !stop; ++n) {
        const bool customer = n % 3 == 0;
        json body{{"role", customer ? "customer" : "agent"}, {"text", customer ? "my order #44 has not arrived" : "a zebra, sorry"}};
        auto r = http_request(server.port(), "POST", path, agent, body.dump());
        if (r.status != 200) continue;
        if (customer) continue;
        std::lock_guard lock(m);
        events.push_back(json::parse(r.body));
      }
    });
  // And a WebSocket pair: the agent's coach events come through the relay's fan-out.
  traffic.emplace_back([&] {
    WsClient agent(server.port(), token(UserRole::agent, "ws-agent", "W"));
    agent.recv_type("hello");
    WsClient customer(server.port(), token(UserRole::customer, "ws-customer", "C"));
    customer.recv_type("hello");
    customer.send({{"type", "message"}, {"text", "my order has not arrived"}, {"client_id", "k0"}});
    auto ack = customer.recv_type("ack");
    if (!ack) return;
    const std::string conv = ack->at("conversation");
    for (int n = 0; !stop; ++n) {
      agent.send({{"type", "message"}, {"conversation", conv}, {"text", "a zebra, sorry"}, {"client_id", "a" + std::to_string(n)}});
      for (;;) {
        auto c = agent.recv_type("coach");
        if (!c) return;
        if (c->at("role") != "agent") continue;
        std::lock_guard lock(m);
        events.push_back(*c);
        break;
      }
    }
  });

  auto wait_for = [&](std::size_t n) {
    for (int i = 0; i < 500; ++i) {
      {
        std::lock_guard lock(m);
        if (events.size() >= n) return;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  };
  wait_for(30);
  auto [ps, published] = api.call("POST", "/api/rules/publish", {{"pack", zebra_pack()}, {"message", "zebra"}, {"base_version", 1}});
  REQUIRE(ps == 200);
  const std::string v2 = published.at("rules_version");
  CHECK(v2 != v1);
  std::size_t at_publish;
  {
    std::lock_guard lock(m);
    at_publish = events.size();
  }
  wait_for(at_publish + 60);
  // A racing publish from the old base is refused, not merged.
  auto racing = zebra_pack();
  racing["name"] = "racer";
  CHECK(api.call("POST", "/api/rules/publish", {{"pack", racing}, {"message", "race"}, {"base_version", 1}}).first == 409);
  auto [rs, rolled] = api.call("POST", "/api/rules/rollback", {{"version", 1}});
  REQUIRE(rs == 200);
  std::size_t at_rollback;
  {
    std::lock_guard lock(m);
    at_rollback = events.size();
  }
  wait_for(at_rollback + 60);
  stop = true;
  for (auto& t : traffic) t.join();

  std::map<std::string, int> by_version;
  for (const auto& e : events) {
    const std::string v = e.at("rules_version");
    by_version[v]++;
    INFO(e.dump());
    REQUIRE((v == v1 || v == v2));
    CHECK(has_act(e, "feedback_request") == (v == v2));  // the set that named it is the one that coached it
  }
  CHECK(by_version[v1] > 0);
  CHECK(by_version[v2] > 0);
  // Every message stored while version 2 was live names it in its stored coach output too.
  auto [ts, transcript] = api.call("GET", "/api/conversations/load-0");
  REQUIRE(ts == 200);
  for (const auto& msg : transcript.at("messages"))
    if (msg.at("role") == "agent") CHECK(has_act(msg.at("coach"), "feedback_request") == (msg.at("coach").at("rules_version") == v2));
  // Conversations kept their state across the swaps: still open, numbered on.
  CHECK(transcript.at("open") == true);

  auto [as, audit] = api.call("GET", "/api/rules/audit");
  REQUIRE(audit.at("audit").size() == 3);
  CHECK(audit.at("audit")[1].at("action") == "publish");
  CHECK(audit.at("audit")[1].at("who") == "ada");
  CHECK(audit.at("audit")[2].at("action") == "rollback");
  CHECK(api.live() == 1);
  auto [vs, versions] = api.call("GET", "/api/rules/versions");
  CHECK(versions.at("versions").size() == 2);
  CHECK(versions.at("versions")[1].at("parent") == 1);
}

TEST_CASE("the preview lists the stored and sample messages a known change affects") {
  TempDir dir;
  ServerProcess server(dir.path);
  Api api{server.port()};
  const auto agent = token(UserRole::agent, "al", "Al");
  for (const char* text : {"my order has not arrived", "I'm so sorry, a zebra will bring it", "Thanks"}) {
    const bool customer = std::string(text) != "I'm so sorry, a zebra will bring it";
    REQUIRE(http_request(server.port(), "POST", "/api/conversations/p1/events", agent,
                         json{{"role", customer ? "customer" : "agent"}, {"text", text}}.dump())
                .status == 200);
  }
  auto [status, preview] = api.call("POST", "/api/rules/preview", {{"pack", zebra_pack()}});
  REQUIRE(status == 200);
  CHECK(preview.at("messages").get<int>() >= 3);
  CHECK(preview.at("live_version") == 1);
  bool found = false;
  for (const auto& c : preview.at("changes")) {
    CHECK(c.at("acts_added") == json::array({"feedback_request"}));
    CHECK(c.at("acts_removed") == json::array());
    if (c.at("source") == "stored" && c.at("message_id") == "p1-2") found = true;
  }
  CHECK(found);
  CHECK(preview.at("acts").at("feedback_request").at("added") == preview.at("changed"));
  CHECK(preview.at("acts").size() == 1);
  // The same pack as live changes nothing.
  std::tie(status, preview) = api.call("POST", "/api/rules/preview", {{"pack", default_pack()}});
  CHECK(preview.at("changed") == 0);
  // The bundled samples are part of it.
  CHECK(preview.at("conversations").get<int>() > 1);
}

TEST_CASE("a restart keeps the live version; the CLI publishes, lists and rolls back, live or on the data dir") {
  TempDir dir;
  const std::string file = dir.path + "/zebra.json";
  std::ofstream(file) << zebra_pack().dump(1);
  const std::string bad_file = dir.path + "/bad.json";
  auto bad = zebra_pack();
  bad["rules"].back()["patterns"] = {"(zebra"};
  std::ofstream(bad_file) << bad.dump();
  std::string v2;
  {
    ServerProcess server(dir.path);
    Api api{server.port()};
    const std::string target = " --server http://127.0.0.1:" + std::to_string(server.port()) + " --token " + api.admin;
    auto [code, out] = run_tact("rules publish " + file + " -m 'zebra asks for feedback'" + target);
    INFO(out);
    REQUIRE(code == 0);
    CHECK(out.find("published version 2") != std::string::npos);
    std::tie(code, out) = run_tact("rules publish " + bad_file + " -m bad" + target);
    CHECK(code == 1);
    CHECK(out.find("test.zebra") != std::string::npos);
    CHECK(out.find("position 0") != std::string::npos);
    std::tie(code, out) = run_tact("rules history" + target);
    CHECK(code == 0);
    CHECK(out.find("* 2") != std::string::npos);
    CHECK(out.find("zebra asks for feedback") != std::string::npos);
    std::tie(code, out) = run_tact("rules history --server http://127.0.0.1:" + std::to_string(server.port()) + " --token " +
                                   token(UserRole::agent, "al", "Al"));
    CHECK(code == 1);
    CHECK(out.find("wrong_role") != std::string::npos);
    v2 = api.call("GET", "/api/rules/live").second.at("rules_version");
    CHECK(server.terminate() == 0);
  }
  {
    // --rules only seeds an empty store: version 2 stays live.
    ServerProcess server(dir.path, {"--rules", std::string(TACT_SOURCE_DIR) + "/rules/default.json"});
    Api api{server.port()};
    CHECK(api.live() == 2);
    WsClient agent(server.port(), token(UserRole::agent, "al", "Al"));
    auto hello = agent.recv_type("hello");
    REQUIRE(hello);
    CHECK(hello->at("rules_version") == v2);
    CHECK(server.terminate() == 0);
  }
  // On the stopped server's data dir.
  auto [code, out] = run_tact("rules rollback 1 --data " + dir.path);
  INFO(out);
  CHECK(code == 0);
  std::tie(code, out) = run_tact("rules history --json --data " + dir.path);
  auto history = json::parse(out, nullptr, false);
  REQUIRE(history.is_object());
  CHECK(history.at("live") == 1);
  CHECK(history.at("versions").size() == 2);
  ServerProcess server(dir.path);
  Api api{server.port()};
  CHECK(api.live() == 1);
  CHECK(api.call("GET", "/api/rules/audit").second.at("audit").back().at("action") == "rollback");
}
