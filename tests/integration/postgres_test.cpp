// The real `tact serve --store postgresql://…` against a PostgreSQL this test starts: a chat over
// WebSocket, a restart (kill -9 and SIGTERM), and everything acknowledged is there once after it.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <set>
#include <tuple>
#include <utility>

#include <sys/wait.h>

#include "support/frames.hpp"
#include "support/packs.hpp"
#include "harness.hpp"
#include "scenarios.hpp"
#include "services.hpp"

using namespace tact::test;
using tact::gateway::UserRole;

TEST_CASE("serve --store postgresql: a chat survives kill -9 and a restart, each acknowledged message stored once") {
  auto& pg = shared_postgres();
  const auto url = pg.new_database();
  TempDir dir;  // the secret only
  const auto [conv, acked] = chat_killed_mid_flood(dir.path, {"--store", url});
  const auto sup = token(UserRole::supervisor, "sam", "Sam");
  std::size_t stored_count = 0;
  {
    ServerProcess server(dir.path, {"--store", url});
    CHECK(server.banner().find("store postgresql://tact@127.0.0.1:") != std::string::npos);
    stored_count = stored_ids_holding(server.port(), conv, acked).size();
    auto r = http_request(server.port(), "GET", "/api/conversations/" + conv, sup);
    const auto transcript = json::parse(r.body);

    WsClient customer(server.port(), token(UserRole::customer, "dana", "Dana"));
    REQUIRE(customer.recv_type("hello"));
    // A resend after the restart (its ack was lost, say): acknowledged again, not stored again.
    const std::string last = transcript.at("messages").back().at("text");
    const auto last_client_id = "k" + last.substr(last.rfind(' ') + 1);
    customer.send(message_frame(last, last_client_id));
    auto again = customer.recv_type("ack");
    REQUIRE(again);
    CHECK(again->at("id") == transcript.at("messages").back().at("id"));

    WsClient agent(server.port(), token(UserRole::agent, "alice", "Alice"));
    auto hello = agent.recv_type("hello");
    REQUIRE(hello);
    CHECK(hello->at("conversations") == json::array({conv}));
    agent.send(message_frame("I am so sorry for the trouble this caused.", "a2", conv));
    auto coach = agent.recv_type("coach");
    REQUIRE(coach);
    CHECK(step_status(*coach, "acknowledge") == "done");
    CHECK(step_status(*coach, "apology") == "done");
    CHECK(coach->at("message_id") == conv + "-" + std::to_string(stored_count + 1));
    CHECK(server.terminate() == 0);
  }
  ServerProcess server(dir.path, {"--store", url});  // after a clean stop too
  auto r = http_request(server.port(), "GET", "/api/conversations/" + conv, sup);
  REQUIRE(r.status == 200);
  CHECK(json::parse(r.body).at("messages").size() == stored_count + 1);
}

TEST_CASE("serve --store postgresql: text is stored as sent, and a NUL, which PostgreSQL cannot keep, is refused") {
  auto& pg = shared_postgres();
  const auto url = pg.new_database();
  TempDir dir;
  ServerProcess server(dir.path, {"--store", url});
  WsClient customer(server.port(), token(UserRole::customer, "dana", "Dana"));
  REQUIRE(customer.recv_type("hello"));
  const std::string text = "Order #4411: \"late\"\ttabbed, naïve café, 🙂, back\\slash, it's 100% late";
  customer.send(message_frame(text, "k1"));
  auto ack = customer.recv_type("ack");
  REQUIRE(ack);
  const std::string conv = ack->at("conversation");
  customer.send(json{{"type", "message"}, {"text", std::string("cut\0here", 8)}, {"client_id", "k2"}});
  auto refused = customer.recv_type("error");
  REQUIRE(refused);
  CHECK(refused->at("code") == "bad_field");
  CHECK(refused->at("ref") == "k2");
  const auto sup = token(UserRole::supervisor, "sam", "Sam");
  auto posted = http_request(server.port(), "POST", "/api/conversations/api-1/events", sup,
                             json{{"role", "customer"}, {"text", std::string("a\0b", 3)}}.dump());
  CHECK(posted.status == 400);
  CHECK(json::parse(posted.body)["message"].get<std::string>().find("U+0000") != std::string::npos);
  auto r = http_request(server.port(), "GET", "/api/conversations/" + conv, sup);
  REQUIRE(r.status == 200);
  const auto transcript = json::parse(r.body);
  REQUIRE(transcript.at("messages").size() == 1);
  CHECK(transcript.at("messages")[0].at("text") == text);
  CHECK(http_request(server.port(), "GET", "/api/conversations/api-1", sup).status == 404);
}

TEST_CASE("tact report, tact data and tact rules work on a PostgreSQL store (--store), as on a data dir") {
  auto& pg = shared_postgres();
  const auto url = pg.new_database();
  TempDir dir;
  {
    ServerProcess server(dir.path, {"--store", url});
    WsClient agent(server.port(), token(UserRole::agent, "alice", "Alice"));
    REQUIRE(agent.recv_type("hello"));
    WsClient customer(server.port(), token(UserRole::customer, "dana", "Dana"));
    REQUIRE(customer.recv_type("hello"));
    customer.send(message_frame("My parcel never arrived and the tracking shows nothing", "k1"));
    auto ack = customer.recv_type("ack");
    REQUIRE(ack);
    agent.send({{"type", "close"}, {"conversation", ack->at("conversation")}});
    REQUIRE(agent.recv_type("closed"));
    CHECK(server.terminate() == 0);
  }
  auto [code, out] = run_tact("report --json --store " + url);
  REQUIRE(code == 0);
  const auto report = json::parse(out.substr(out.find("{\"agent\"")));  // after any log line
  CHECK(report.at("team").at("conversations") == 1);
  CHECK(report.at("team").at("top_causes").at(0).at("id") == "delivery");
  std::tie(code, out) = run_tact("data export --customer dana --store " + url);
  REQUIRE(code == 0);
  CHECK(out.find("My parcel never arrived") != std::string::npos);
  std::tie(code, out) = run_tact("data erase --customer dana --store " + url);
  CHECK(code == 0);
  std::tie(code, out) = run_tact("data export --customer dana --store " + url);
  CHECK(code == 1);
  CHECK(out.find("nothing is stored about customer \"dana\" in the store") != std::string::npos);
  std::tie(code, out) = run_tact("report --store postgresql://tact@127.0.0.1:1/nowhere");
  CHECK(code == 1);

  // tact rules on the stopped deployment's PostgreSQL: the next start coaches with what it published.
  const std::string file = dir.path + "/zebra.json";
  std::ofstream(file) << zebra_pack().dump();
  std::tie(code, out) = run_tact("rules publish " + file + " -m 'zebra asks for feedback' --store " + url);
  INFO(out);
  REQUIRE(code == 0);
  CHECK(out.find("published version 2") != std::string::npos);
  std::tie(code, out) = run_tact("rules history --json --store " + url);
  REQUIRE(code == 0);
  const auto history = json::parse(out.substr(out.find('{')));
  CHECK(history.at("live") == 2);
  ServerProcess server(dir.path, {"--store", url});
  WsClient agent(server.port(), token(UserRole::agent, "alice", "Alice"));
  auto hello = agent.recv_type("hello");
  REQUIRE(hello);
  CHECK(hello->at("rules_version") == history.at("versions").back().at("rules_version"));
  std::tie(code, out) = run_tact("rules history --store postgresql://tact@127.0.0.1:1/nowhere");
  CHECK(code == 1);
}

TEST_CASE("serve --store: a bad value and an unreachable PostgreSQL are refused with the reason") {
  TempDir dir;
  auto check = [&](std::vector<std::string> extra, int status, const std::string& says) {
    extra.insert(extra.begin(), {"serve", "--data", dir.path, "--check"});
    const std::string log = dir.path + "/err.txt";
    std::string cmd = tact_bin();
    for (const auto& a : extra) cmd += " '" + a + "'";
    cmd += " >/dev/null 2>" + log;
    const int rc = std::system(cmd.c_str());
    CHECK(WEXITSTATUS(rc) == status);
    std::ifstream in(log);
    const std::string err((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    INFO(err);
    CHECK(err.find(says) != std::string::npos);
    CHECK(err.find("s3cret") == std::string::npos);  // no password in what it prints
  };
  check({"--store", "mysql://x"}, 2, "--store takes sqlite:DIR or postgresql://");
  check({"--store", "postgresql://tact:s3cret@127.0.0.1:" + std::to_string(free_port()) + "/none?connect_timeout=2"}, 1,
        "cannot connect to PostgreSQL");
}
