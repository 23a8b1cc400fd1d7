// Issue 16: each finding of the attack on `tact serve` at de50cd2, reproduced against the real
// server. Every case here failed on de50cd2 (run with TACT_TEST_BIN=<that build's tact>); the
// rows are in tests/bad-inputs.md.
#include <catch2/catch.hpp>

#include <csignal>
#include <ctime>
#include <fstream>
#include <set>
#include <sstream>
#include <sys/stat.h>
#include <thread>

#include "harness.hpp"
#include "support/frames.hpp"

using namespace tact::test;
using tact::gateway::UserRole;

namespace {

json event(const std::string& role, const std::string& text) { return json{{"role", role}, {"text", text}}; }

std::string post(unsigned short port, const std::string& path, const std::string& tok, const json& body, int* status) {
  auto r = http_request(port, "POST", path, tok, body.dump());
  *status = r.status;
  return r.body;
}

std::string error_of(const std::string& body) {
  auto j = json::parse(body, nullptr, false);
  return j.is_object() ? j.value("error", "") : "";
}

// CPU seconds (user + system) the process has used, from /proc.
double cpu_seconds(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::istringstream rest(s.substr(s.rfind(')') + 2));
  std::string field;
  double utime = 0, stime = 0;
  for (int i = 3; i <= 15 && rest >> field; ++i) {
    if (i == 14) utime = std::stod(field);
    if (i == 15) stime = std::stod(field);
  }
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

std::size_t count_lines(const std::string& path, const std::string& needle) {
  std::ifstream in(path);
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);) n += line.find(needle) != std::string::npos;
  return n;
}

}  // namespace

TEST_CASE("finding 1: a token whose header has a non-string alg is refused; the server lives", "[security]") {
  TempDir dir;
  ServerProcess server(dir.path);
  for (const std::string& bad : std::vector<std::string>{"eyJhbGciOjF9.e30.AAAA", "eyJhbGciOm51bGx9.e30.AAAA"}) {  // {"alg":1}, {"alg":null}
    auto r = http_request(server.port(), "GET", "/api/conversations", bad);
    CHECK(r.status == 401);
    CHECK(error_of(r.body) == "bad_token");
    REQUIRE(alive(server.port()));
    CHECK(ws_handshake_status(server.port(), "/ws?token=" + bad) == 401);
    REQUIRE(alive(server.port()));
  }
}

TEST_CASE("finding 2: a closed conversation cannot be taken over after a restart", "[security]") {
  TempDir dir;
  std::string conv;
  {
    ServerProcess server(dir.path);
    WsClient alice(server.port(), token(UserRole::agent, "alice", "Alice"));
    REQUIRE(alice.recv_type("hello"));
    WsClient dana(server.port(), token(UserRole::customer, "dana", "Dana"));
    REQUIRE(dana.recv_type("hello"));
    dana.send(message_frame("My card 4111 was charged twice", "k1"));
    auto ack = dana.recv_type("ack");
    REQUIRE(ack);
    conv = ack->at("conversation");
    REQUIRE(alice.recv_type("assigned"));
    alice.send({{"type", "close"}, {"conversation", conv}});
    REQUIRE(dana.recv_type("closed"));
    server.terminate();
  }
  ServerProcess server(dir.path);
  const auto mallory = token(UserRole::agent, "mallory", "Mallory");
  int status = 0;
  post(server.port(), "/api/conversations/" + conv + "/events", mallory, event("agent", "hello"), &status);
  CHECK(status != 200);
  auto r = http_request(server.port(), "GET", "/api/conversations/" + conv, mallory);
  CHECK(r.status == 404);
  CHECK(r.body.find("charged twice") == std::string::npos);
  post(server.port(), "/api/conversations/" + conv + "/events", mallory, event("customer", "again"), &status);
  CHECK(status != 200);
  // Its own agent still reads it, unchanged; mallory's posts were not stored.
  r = http_request(server.port(), "GET", "/api/conversations/" + conv, token(UserRole::agent, "alice", "Alice"));
  REQUIRE(r.status == 200);
  auto t = json::parse(r.body);
  CHECK(t.at("messages").size() == 1);
  CHECK(t.at("open") == false);
}

TEST_CASE("finding 3 and 11: nobody writes into a WebSocket chat over HTTP, not even its agent", "[security]") {
  TempDir dir;
  ServerProcess server(dir.path);
  WsClient dana(server.port(), token(UserRole::customer, "dana", "Dana"));
  REQUIRE(dana.recv_type("hello"));
  dana.send(message_frame("Where is my refund?", "k1"));
  auto ack = dana.recv_type("ack");
  REQUIRE(ack);
  const std::string conv = ack->at("conversation");  // queued: no agent is connected
  REQUIRE(dana.recv_type("message"));                // her own message, relayed back
  int status = 0;
  auto body = post(server.port(), "/api/conversations/" + conv + "/events", token(UserRole::agent, "mallory", "M"),
                   event("customer", "ignore that, all fine"), &status);
  CHECK(status == 404);
  CHECK(body.find("acts") == std::string::npos);  // no coaching details leak
  // Its assigned agent may not speak for the customer over HTTP either.
  WsClient alice(server.port(), token(UserRole::agent, "alice", "Alice"));
  REQUIRE(alice.recv_type("assigned"));
  body = post(server.port(), "/api/conversations/" + conv + "/events", token(UserRole::agent, "alice", "Alice"),
              event("customer", "I withdraw my complaint"), &status);
  CHECK(status == 409);
  CHECK(error_of(body) == "wrong_channel");
  auto t = json::parse(http_request(server.port(), "GET", "/api/conversations/" + conv, token(UserRole::supervisor, "sam", "Sam")).body);
  CHECK(t.at("messages").size() == 1);
  CHECK(dana.recv(std::chrono::milliseconds(300)) == std::nullopt);  // nothing relayed to her
}

TEST_CASE("finding 4: a supervisor subscribes with more open conversations than --send-queue, and is not dropped", "[security]") {
  TempDir dir;
  ServerProcess server(dir.path, {"--send-queue", "64", "--health-every", "200"});
  const auto alice = token(UserRole::agent, "alice", "Alice");
  int status = 0;
  for (int i = 0; i < 150; ++i) {
    post(server.port(), "/api/conversations/flood-" + std::to_string(i) + "/events", alice, event("customer", "my parcel is late"), &status);
    REQUIRE(status == 200);
  }
  WsClient sam(server.port(), token(UserRole::supervisor, "sam", "Sam"));
  REQUIRE(sam.recv_type("hello"));
  sam.send({{"type", "subscribe"}});
  std::set<std::string> seen;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (seen.size() < 150 && std::chrono::steady_clock::now() < deadline) {
    auto page = sam.recv_type("health_page");
    if (!page) break;
    for (const auto& e : page->at("events")) {
      CHECK(e.at("type") == "health");
      seen.insert(e.at("conversation").get<std::string>());
    }
  }
  CHECK(seen.size() == 150);
  // The sweep (every 200 ms here: all 150 customers wait) pages too: still connected after several.
  for (int i = 0; i < 5; ++i) REQUIRE(sam.recv_type("health_page"));
  CHECK_FALSE(sam.closed());
}

TEST_CASE("finding 4: one caller's open API conversations are capped (--max-api-conversations)", "[security]") {
  TempDir dir;
  ServerProcess server(dir.path, {"--max-api-conversations", "20"});
  const auto alice = token(UserRole::agent, "alice", "Alice");
  int status = 0;
  for (int i = 0; i < 20; ++i) {
    post(server.port(), "/api/conversations/cap-" + std::to_string(i) + "/events", alice, event("customer", "late"), &status);
    REQUIRE(status == 200);
  }
  auto body = post(server.port(), "/api/conversations/cap-20/events", alice, event("customer", "late"), &status);
  CHECK(status == 429);
  CHECK(error_of(body) == "too_many_conversations");
  CHECK(body.find("--max-api-conversations") != std::string::npos);
  // Another caller has a cap of their own; one already open still takes events.
  post(server.port(), "/api/conversations/cap-bob/events", token(UserRole::agent, "bob", "Bob"), event("customer", "late"), &status);
  CHECK(status == 200);
  post(server.port(), "/api/conversations/cap-3/events", alice, event("agent", "I'm on it"), &status);
  CHECK(status == 200);
  // Closing is the owner's: another agent, a customer, an unknown id and a live chat id are refused.
  CHECK(http_request(server.port(), "POST", "/api/conversations/cap-0/close", token(UserRole::agent, "bob", "Bob")).status == 404);
  CHECK(http_request(server.port(), "POST", "/api/conversations/cap-0/close", token(UserRole::customer, "dana", "D")).status == 403);
  CHECK(http_request(server.port(), "POST", "/api/conversations/nope/close", alice).status == 404);
  CHECK(http_request(server.port(), "GET", "/api/conversations/cap-0/close", alice).status == 405);
  // Closing one frees a place.
  CHECK(http_request(server.port(), "POST", "/api/conversations/cap-0/close", alice).status == 200);
  CHECK(http_request(server.port(), "POST", "/api/conversations/cap-0/close", alice).status == 409);  // already closed
  post(server.port(), "/api/conversations/cap-20/events", alice, event("customer", "late"), &status);
  CHECK(status == 200);
}

TEST_CASE("finding 5: at the file-descriptor limit the accept loop backs off instead of spinning", "[security]") {
  TempDir dir;
  const std::string log = dir.path + "/server.log";
  ServerProcess server(dir.path + "/data", Launch{{}, kSecret, 64, log});
  // Idle connections until accept fails with EMFILE.
  std::vector<std::unique_ptr<net::ip::tcp::socket>> idle;
  net::io_context ioc;
  for (int i = 0; i < 120; ++i) {
    auto s = std::make_unique<net::ip::tcp::socket>(ioc);
    beast::error_code ec;
    s->connect({net::ip::make_address("127.0.0.1"), server.port()}, ec);
    if (!ec) idle.push_back(std::move(s));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const double before = cpu_seconds(server.pid());
  const auto lines_before = count_lines(log, "accept_error");
  std::this_thread::sleep_for(std::chrono::seconds(2));
  const double used = cpu_seconds(server.pid()) - before;
  const auto lines = count_lines(log, "accept_error") - lines_before;
  CAPTURE(used, lines);
  CHECK(count_lines(log, "accept_error") >= 1);  // it did hit the limit
  CHECK(used < 0.5);                              // de50cd2: about 2 s of CPU in these 2 s
  CHECK(lines <= 4);                              // at most one line a second (de50cd2: ~600,000)
  idle.clear();
  // The process lives through it. (Serving again once descriptors return was seen in the
  // RelWithDebInfo build within 200 ms, but not in the ASan build within 10 s: not asserted here.)
  CHECK(::kill(server.pid(), 0) == 0);
}

TEST_CASE("finding 6: conversation ids never repeat, whatever ids a host plants", "[security]") {
  TempDir dir;
  std::set<std::string> ids;
  const auto alice = token(UserRole::agent, "alice", "Alice");
  for (int run = 0; run < 2; ++run) {
    ServerProcess server(dir.path);
    int status = 0;
    // Ids of the gateway's own form are refused to hosts, long or short.
    for (const std::string& planted : std::vector<std::string>{"c9999999999999999", "c99999999999999999999", "c" + std::to_string(run + 1)}) {
      auto body = post(server.port(), "/api/conversations/" + planted + "/events", alice, event("customer", "hi"), &status);
      CAPTURE(planted, body);
      // 400 bad_field for a new one; 404 for one that is another's chat (c1 of the first run).
      CHECK(((status == 400 && error_of(body) == "bad_field") || (status == 404 && error_of(body) == "unknown_conversation")));
    }
    for (int i = 0; i < 2; ++i) {
      WsClient customer(server.port(), token(UserRole::customer, "cust-" + std::to_string(run) + "-" + std::to_string(i), "C"));
      REQUIRE(customer.recv_type("hello"));
      customer.send(message_frame("My order is late", "k1"));
      auto ack = customer.recv_type("ack");
      REQUIRE(ack);
      CHECK(ack->at("seq") == 1);  // a new conversation, not someone else's
      CHECK(ids.insert(ack->at("conversation").get<std::string>()).second);
    }
    server.terminate();
  }
  CHECK(ids.size() == 4);
}

TEST_CASE("finding 7: no tokens on stdout unless --demo, and then only on loopback; the admin link lasts an hour", "[security]") {
  TempDir dir;
  {
    ServerProcess server(dir.path);
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    CHECK(server.stdout_text().find("token=") == std::string::npos);
  }
  TempDir dir2;
  ServerProcess demo(dir2.path, {"--demo"});
  std::string text;
  for (int i = 0; i < 50 && text.find("admin rule editor") == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    text = demo.stdout_text();
  }
  const auto at = text.find("/admin.html?token=");
  REQUIRE(at != std::string::npos);
  const auto tok = text.substr(at + 18, text.find_first_of(" \n", at + 18) - at - 18);
  auto check = tact::gateway::verify_token(tok, kSecret, std::time(nullptr));
  REQUIRE(check.claims);
  CHECK(check.claims->role == UserRole::admin);
  CHECK(check.claims->exp <= std::time(nullptr) + 3600 + 5);
}

TEST_CASE("finding 8: a 100,000-deep JSON admin body is refused; the server lives", "[security]") {
  TempDir dir;
  ServerProcess server(dir.path);
  const auto admin = token(UserRole::admin, "ada", "Ada");
  const std::string deep = R"({"pack":)" + std::string(100000, '[') + std::string(100000, ']') + "}";
  for (const char* route : {"/api/rules/validate", "/api/rules/test", "/api/rules/preview", "/api/rules/publish"}) {
    auto r = http_request(server.port(), "POST", route, admin, deep);
    CHECK(r.status == 400);
    CHECK(error_of(r.body) == "too_deep");
    REQUIRE(alive(server.port()));
  }
  auto r = http_request(server.port(), "POST", "/api/conversations/deep-1/events", token(UserRole::agent, "alice", "A"),
                        R"({"role":"customer","text":"x","extra":)" + std::string(5000, '[') + std::string(5000, ']') + "}");
  CHECK(r.status == 400);
  REQUIRE(alive(server.port()));
}

TEST_CASE("finding 9: compile-heavy patterns are refused with the rule and field, without holding the server", "[security]") {
  TempDir dir;
  ServerProcess server(dir.path);
  const auto admin = token(UserRole::admin, "ada", "Ada");
  auto live = json::parse(http_request(server.port(), "GET", "/api/rules/live", admin).body).at("pack");
  json heavy = live;
  json rule = {{"id", "heavy"}, {"act", "complaint"}, {"role", "customer"}, {"patterns", json::array()},
               {"examples", {{"match", {"a", "b", "c"}}, {"no_match", {"1", "2", "3"}}}}};
  for (int i = 0; i < 150; ++i) rule["patterns"].push_back("\\pL{300}" + std::to_string(i));
  heavy["rules"].push_back(rule);
  const auto t0 = std::chrono::steady_clock::now();
  auto r = http_request(server.port(), "POST", "/api/rules/validate", admin, json{{"pack", heavy}}.dump());
  const auto took = std::chrono::steady_clock::now() - t0;
  REQUIRE(r.status == 200);
  auto out = json::parse(r.body);
  CHECK(out.at("ok") == false);
  bool named = false;
  for (const auto& p : out.at("problems"))
    named = named || (p.at("rule") == "heavy" && p.at("field").get<std::string>().starts_with("patterns[") &&
                      p.at("reason").get<std::string>().find("memory") != std::string::npos);
  CHECK(named);
  // Not a timing assertion on the machine: de50cd2 took 22 s here; anything near that is the bug.
  CHECK(took < std::chrono::seconds(10));
}

TEST_CASE("finding 10: an /api body is not read before its token is checked", "[security]") {
  TempDir dir;
  ServerProcess server(dir.path);
  // Headers announcing a 1 MiB body, and no body: the refusal must come without it.
  const std::string head = "POST /api/rules/validate HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                           "Content-Length: 1048576\r\n\r\n";
  auto got = raw_exchange(server.port(), head);
  CHECK(got.starts_with("HTTP/1.1 401"));
  CHECK(got.find("missing_token") != std::string::npos);
  // An agent's token is not enough for /api/rules: refused before the body too.
  const std::string agent_head = "POST /api/rules/validate HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                                 token(UserRole::agent, "alice", "A") + "\r\nContent-Length: 1048576\r\n\r\n";
  got = raw_exchange(server.port(), agent_head);
  CHECK(got.starts_with("HTTP/1.1 403"));
  CHECK(got.find("wrong_role") != std::string::npos);
}

TEST_CASE("finding 11: hello before assigned; static allow-list; private files; short secrets; nbf; two tokens; headers", "[security]") {
  TempDir dir;
  ServerProcess server(dir.path, {"--frame-ancestors", "https://console.example.com"});
  // An agent who connects while a chat waits gets hello first, then assigned.
  WsClient dana(server.port(), token(UserRole::customer, "dana", "Dana"));
  REQUIRE(dana.recv_type("hello"));
  dana.send(message_frame("My order is late", "k1"));
  REQUIRE(dana.recv_type("ack"));
  WsClient alice(server.port(), token(UserRole::agent, "alice", "Alice"));
  auto first = alice.recv();
  REQUIRE(first);
  CHECK(first->at("type") == "hello");
  CHECK(first->at("max_message") == 16384);
  CHECK(alice.recv_type("assigned"));

  // Only shipped pages and assets: no directories, no tools.
  CHECK(http_request(server.port(), "GET", "/demo").status == 404);
  CHECK(http_request(server.port(), "GET", "/demo/").status == 404);
  CHECK(http_request(server.port(), "GET", "/tools/make-samples.mjs").status == 404);
  CHECK(http_request(server.port(), "GET", "/demo/samples.json").status == 200);

  // Pages and answers carry nosniff; pages a CSP with the frame policy.
  auto page = http_request(server.port(), "GET", "/");
  REQUIRE(page.status == 200);
  CHECK(page.header("X-Content-Type-Options") == "nosniff");
  CHECK(page.header("Content-Security-Policy").find("script-src 'self'") != std::string::npos);
  CHECK(page.header("Content-Security-Policy").find("frame-ancestors https://console.example.com") != std::string::npos);
  CHECK(http_request(server.port(), "GET", "/api/conversations").header("X-Content-Type-Options") == "nosniff");

  // The database and its WAL are readable by their owner only.
  struct stat st {};
  REQUIRE(stat((dir.path + "/tact.db").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  if (stat((dir.path + "/tact.db-wal").c_str(), &st) == 0) CHECK((st.st_mode & 0077) == 0);

  // A token not valid yet is refused; a query token and a header token that disagree get 400.
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  auto early = tact::gateway::sign_token({UserRole::agent, "alice", "A", now + 7200, now + 3600}, kSecret);
  auto r = http_request(server.port(), "GET", "/api/conversations", early);
  CHECK(r.status == 401);
  CHECK(error_of(r.body) == "early_token");
  r = http_request(server.port(), "GET", "/api/conversations?token=" + token(UserRole::supervisor, "sam", "S"),
                   token(UserRole::agent, "alice", "A"));
  CHECK(r.status == 400);
  CHECK(error_of(r.body) == "conflicting_tokens");

  // A secret of one byte is refused with the reason.
  TempDir other;
  CHECK_THROWS_WITH(ServerProcess(other.path, Launch{{}, "x"}), Catch::Contains("TACT_SECRET") || Catch::Contains("did not start"));
}
