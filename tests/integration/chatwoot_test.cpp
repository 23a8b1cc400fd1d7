// Issue 23: Tact inside Chatwoot, against the real `tact serve`. Webhooks are fed in Chatwoot's
// shapes (tests/data/chatwoot/, each field's Chatwoot file named in its README), signed as
// Chatwoot signs them (lib/webhooks/trigger.rb). Chatwoot itself cannot run here: a small HTTP
// server in this test stands for its API and records the private notes Tact posts.
#include <atomic>
#include <deque>
#include <fstream>
#include <sstream>
#include <thread>

#include <boost/beast/http.hpp>
#include <catch2/catch.hpp>

#include "harness.hpp"
#include "integrations/chatwoot/webhook.hpp"

using namespace tact::test;
namespace http = beast::http;
using tact::gateway::UserRole;

namespace {

const std::string kWebhookSecret = "whsec-test-0123456789abcdef";
const std::string kApiToken = "cw-api-token-abcdef123456";

json fixture(const std::string& name) {
  std::ifstream in(std::string(TACT_SOURCE_DIR) + "/tests/data/chatwoot/" + name);
  std::stringstream s;
  s << in.rdbuf();
  return json::parse(s.str());
}

long long now_s() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

struct Signed {
  std::string secret = kWebhookSecret;
  long long timestamp = 0;  // 0: now
  std::string delivery;     // "" : no X-Chatwoot-Delivery
  bool sign = true;
};

Signed delivered(std::string id) {
  Signed s;
  s.delivery = std::move(id);
  return s;
}
Signed signed_with(std::string secret) {
  Signed s;
  s.secret = std::move(secret);
  return s;
}
Signed sent_at(long long timestamp) {
  Signed s;
  s.timestamp = timestamp;
  return s;
}
Signed not_signed() {
  Signed s;
  s.sign = false;
  return s;
}

HttpResult webhook(unsigned short port, const json& payload, const Signed& s = {}, const std::string& integration = "support") {
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(net::ip::tcp::endpoint{net::ip::make_address("127.0.0.1"), port});
  const std::string body = payload.dump();
  const std::string ts = std::to_string(s.timestamp ? s.timestamp : now_s());
  http::request<http::string_body> req{http::verb::post, "/integrations/chatwoot/" + integration + "/webhook", 11};
  req.set(http::field::host, "127.0.0.1");
  req.set(http::field::content_type, "application/json");
  if (s.sign) {
    req.set("X-Chatwoot-Timestamp", ts);
    req.set("X-Chatwoot-Signature", tact::gateway::chatwoot::sign(s.secret, ts, body));
  }
  if (!s.delivery.empty()) req.set("X-Chatwoot-Delivery", s.delivery);
  req.body() = body;
  req.prepare_payload();
  http::write(stream, req);
  beast::flat_buffer buf;
  http::response<http::string_body> res;
  http::read(stream, buf, res);
  return {static_cast<int>(res.result_int()), res.body(), {}};
}

json message(const std::string& fixture_name, long long id, const std::string& content, long long conversation = 42) {
  auto m = fixture(fixture_name);
  m["id"] = id;
  m["content"] = content;
  m["conversation"]["id"] = conversation;
  return m;
}

// `tact integrations add chatwoot support ...` on the data dir, before the server starts.
void add_integration(const std::string& dir, const std::string& url, bool notes) {
  std::string cmd = tact_bin() + " integrations add chatwoot support --data " + dir + " --url " + url +
                    " --account 5 --webhook-secret " + kWebhookSecret + " --api-token " + kApiToken +
                    (notes ? " --notes" : "") + " > /dev/null";
  REQUIRE(std::system(cmd.c_str()) == 0);
}

json transcript(unsigned short port, const std::string& id) {
  auto r = http_request(port, "GET", "/api/conversations/" + id, token(UserRole::admin, "ada", "Ada"));
  if (r.status != 200) return json();
  return json::parse(r.body);
}

std::size_t count_of(unsigned short port, const std::string& id) {
  auto t = transcript(port, id);
  return t.is_object() ? t["messages"].size() : 0;
}

std::string checklist_status(const json& coach, const std::string& step) {
  for (const auto& item : coach["checklist"])
    if (item["step"] == step) return item["status"];
  return "";
}

// Chatwoot's API as far as private notes go: records each request and answers as told.
class FakeChatwoot {
 public:
  enum class Answer { ok, error500, hang };
  struct Received {
    std::string target, api_token;
    json body;
  };

  FakeChatwoot() : acceptor_(ioc_, {net::ip::make_address("127.0.0.1"), 0}) {
    thread_ = std::thread([this] { serve(); });
  }
  ~FakeChatwoot() {
    stopping_ = true;
    beast::error_code ec;
    net::ip::tcp::socket poke(ioc_);
    poke.connect(acceptor_.local_endpoint(), ec);  // wakes accept()
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()); }
  void answer_next(std::initializer_list<Answer> answers) {
    std::lock_guard lock(mutex_);
    answers_.insert(answers_.end(), answers);
  }
  std::vector<Received> received() {
    std::lock_guard lock(mutex_);
    return received_;
  }
  // Waits (up to 10 s) until `n` requests arrived.
  bool wait_for(std::size_t n) {
    for (int i = 0; i < 200; ++i) {
      if (received().size() >= n) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

 private:
  void serve() {
    while (!stopping_) {
      beast::error_code ec;
      net::ip::tcp::socket socket(ioc_);
      acceptor_.accept(socket, ec);
      if (ec || stopping_) continue;
      beast::flat_buffer buf;
      http::request<http::string_body> req;
      http::read(socket, buf, req, ec);
      if (ec) continue;
      Answer a = Answer::ok;
      {
        std::lock_guard lock(mutex_);
        received_.push_back({std::string(req.target()), std::string(req["api_access_token"]), json::parse(req.body(), nullptr, false)});
        if (!answers_.empty()) a = answers_.front(), answers_.pop_front();
      }
      if (a == Answer::hang) {  // longer than the server's --note-timeout: it gives up first
        std::this_thread::sleep_for(std::chrono::milliseconds(900));
        continue;
      }
      http::response<http::string_body> res{a == Answer::ok ? http::status::ok : http::status::internal_server_error, 11};
      res.set(http::field::content_type, "application/json");
      res.body() = a == Answer::ok ? R"({"id":9001,"private":true})" : R"({"error":"boom"})";
      res.prepare_payload();
      http::write(socket, res, ec);
    }
  }

  net::io_context ioc_;
  net::ip::tcp::acceptor acceptor_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::deque<Answer> answers_;
  std::vector<Received> received_;
  std::thread thread_;
};

long long metric(unsigned short port, const std::string& line_start) {
  auto r = http_request(port, "GET", "/metrics");
  std::istringstream in(r.body);
  for (std::string line; std::getline(in, line);)
    if (line.starts_with(line_start + " ")) return std::stoll(line.substr(line_start.size() + 1));
  return 0;
}

}  // namespace

TEST_CASE("Chatwoot's webhooks coach its conversation: customer, agent, notes ignored, signatures, retries, resolved", "[chatwoot]") {
  TempDir dir;
  add_integration(dir.path, "http://127.0.0.1:9", false);
  ServerProcess server(dir.path);
  const auto port = server.port();
  const std::string id = "chatwoot:support:42";
  // Alex (Chatwoot agent 7, the assignee in the fixtures) has the dashboard app open.
  WsClient alex(port, token(UserRole::agent, "chatwoot:support:agent:7", "Alex Kim"));
  REQUIRE(alex.recv_type("hello"));

  SECTION("a complaint as message_created (incoming) gives a coach event; an outgoing apology marks the step done") {
    auto r = webhook(port, message("message_created_incoming.json", 1001, "My order #4411 still hasn't arrived and nobody answers!"),
                     delivered("d-1"));
    REQUIRE(r.status == 200);
    CHECK(json::parse(r.body)["conversation"] == id);
    auto coach = alex.recv_type("coach");
    REQUIRE(coach);
    CHECK((*coach)["conversation"] == id);
    CHECK((*coach)["role"] == "customer");
    CHECK(std::find((*coach)["acts"].begin(), (*coach)["acts"].end(), "complaint") != (*coach)["acts"].end());
    CHECK(checklist_status(*coach, "apology") == "missing");

    r = webhook(port, message("message_created_outgoing.json", 1002, "I'm so sorry your order #4411 hasn't arrived, Dana."), delivered("d-2"));
    REQUIRE(r.status == 200);
    coach = alex.recv_type("coach");
    REQUIRE(coach);
    CHECK((*coach)["role"] == "agent");
    CHECK(checklist_status(*coach, "apology") == "done");
    auto t = transcript(port, id);
    REQUIRE(t["messages"].size() == 2);
    CHECK(t["customer"] == "Dana Reyes");
    CHECK(t["agent"] == "chatwoot:support:agent:7");
    CHECK(t["messages"][1]["from"] == "Alex Kim");
    // As a browser asks for it (encodeURIComponent turns ':' into %3A), with the agent's own token.
    auto encoded = http_request(port, "GET", "/api/conversations/chatwoot%3Asupport%3A42", token(UserRole::agent, "chatwoot:support:agent:7", "Alex"));
    CHECK(encoded.status == 200);
    // The agent's token reads it; only Chatwoot's webhook writes it, and no agent opens such an id.
    const auto alex_token = token(UserRole::agent, "chatwoot:support:agent:7", "Alex");
    auto forged = http_request(port, "POST", "/api/conversations/" + id + "/events", alex_token, R"({"role":"customer","text":"I take it back"})");
    CHECK(forged.status == 403);
    CHECK(http_request(port, "POST", "/api/conversations/chatwoot:other:5/events", token(UserRole::agent, "mallory", "M"),
                       R"({"role":"customer","text":"hi"})").status == 403);
    CHECK(count_of(port, id) == 2);
  }

  SECTION("a private note, an activity message and an edit are not coached") {
    REQUIRE(webhook(port, message("message_created_incoming.json", 1001, "Where is my refund? This is unacceptable.")).status == 200);
    const auto before = count_of(port, id);
    using Case = std::pair<const char*, int>;
    for (const auto& [name, mid] : {Case{"message_created_private_note.json", 1003}, Case{"message_created_activity.json", 1004},
                                    Case{"message_updated.json", 1001}}) {
      auto r = webhook(port, message(name, mid, "You should have read the terms, honestly."));
      CHECK(r.status == 200);
      CHECK(json::parse(r.body).contains("ignored"));
    }
    CHECK(count_of(port, id) == before);
  }

  SECTION("a bad or stale signature is refused with 401 and nothing is stored") {
    const auto payload = message("message_created_incoming.json", 1010, "This is the worst service ever.", 77);
    auto bad = webhook(port, payload, signed_with("another-secret-0123456789"));
    CHECK(bad.status == 401);
    CHECK(json::parse(bad.body)["error"] == "bad_signature");
    auto stale = webhook(port, payload, sent_at(now_s() - 3600));
    CHECK(stale.status == 401);
    CHECK(json::parse(stale.body)["error"] == "stale_timestamp");
    auto unsigned_ = webhook(port, payload, not_signed());
    CHECK(unsigned_.status == 401);
    CHECK(json::parse(unsigned_.body)["error"] == "missing_signature");
    CHECK(http_request(port, "GET", "/api/conversations/chatwoot:support:77", token(UserRole::admin, "ada", "Ada")).status == 404);
    // And a webhook for an integration that does not exist.
    CHECK(webhook(port, payload, {}, "nobody").status == 404);
  }

  SECTION("a retried delivery is stored once, and so is one message delivered twice") {
    const auto payload = message("message_created_incoming.json", 1020, "I was charged twice for my order!");
    auto first = webhook(port, payload, delivered("retry-1"));
    REQUIRE(first.status == 200);
    auto again = webhook(port, payload, delivered("retry-1"));
    CHECK(again.status == 200);
    CHECK(json::parse(again.body)["duplicate"] == true);
    // The same message under another delivery id (an account webhook and an API inbox's both set up).
    auto twice = webhook(port, payload, delivered("retry-2"));
    CHECK(twice.status == 200);
    CHECK(json::parse(twice.body)["coached"] == false);
    CHECK(count_of(port, id) == 1);
  }

  SECTION("resolved closes the Tact conversation; a message after reopening starts the next round") {
    REQUIRE(webhook(port, message("message_created_incoming.json", 1030, "My package never came.")).status == 200);
    auto resolved = fixture("conversation_status_changed_resolved.json");
    auto r = webhook(port, resolved, delivered("resolve-1"));
    CHECK(r.status == 200);
    REQUIRE(alex.recv_type("closed"));
    CHECK(transcript(port, id)["open"] == false);
    REQUIRE(webhook(port, message("message_created_incoming.json", 1031, "It still has not arrived!")).status == 200);
    auto next = transcript(port, id + ".2");
    REQUIRE(next.is_object());
    CHECK(next["open"] == true);
    CHECK(next["messages"].size() == 1);
  }

  SECTION("an assignee change in Chatwoot moves the conversation to that agent") {
    REQUIRE(webhook(port, message("message_created_incoming.json", 1040, "My order is late.")).status == 200);
    WsClient sam(port, token(UserRole::agent, "chatwoot:support:agent:9", "Sam Lee"));
    REQUIRE(sam.recv_type("hello"));
    REQUIRE(webhook(port, fixture("conversation_updated_assignee.json")).status == 200);
    auto assigned = sam.recv_type("assigned");
    REQUIRE(assigned);
    CHECK((*assigned)["conversation"] == id);
    CHECK(http_request(port, "GET", "/api/conversations/" + id, token(UserRole::agent, "chatwoot:support:agent:7", "Alex")).status == 404);
  }

  SECTION("a webhook from another Chatwoot account is refused") {
    auto other = message("message_created_incoming.json", 1050, "Hello?");
    other["account"]["id"] = 6;
    CHECK(webhook(port, other).status == 403);
    CHECK(count_of(port, id) == 0);
  }
}

TEST_CASE("integrations are configured by admins, their secrets never shown in full", "[chatwoot]") {
  TempDir dir;
  add_integration(dir.path, "https://chat.example.com", false);
  // The command line shows the secret masked.
  std::string listed;
  {
    FILE* p = popen((tact_bin() + " integrations list --data " + dir.path).c_str(), "r");
    REQUIRE(p);
    char buf[512];
    while (fgets(buf, sizeof buf, p)) listed += buf;
    pclose(p);
  }
  CHECK(listed.find("support") != std::string::npos);
  CHECK(listed.find(kWebhookSecret) == std::string::npos);
  CHECK(listed.find(kWebhookSecret.substr(kWebhookSecret.size() - 4)) != std::string::npos);

  ServerProcess server(dir.path);
  const auto port = server.port();
  const auto admin = token(UserRole::admin, "ada", "Ada");
  auto list = http_request(port, "GET", "/api/integrations", admin);
  REQUIRE(list.status == 200);
  CHECK(list.body.find(kWebhookSecret) == std::string::npos);
  CHECK(list.body.find(kApiToken) == std::string::npos);
  CHECK(json::parse(list.body)["integrations"][0]["webhook_path"] == "/integrations/chatwoot/support/webhook");
  CHECK(http_request(port, "GET", "/api/integrations", token(UserRole::agent, "alice", "Alice")).status == 403);
  CHECK(http_request(port, "GET", "/api/integrations", token(UserRole::supervisor, "sam", "Sam")).status == 403);

  // Added over the API, it takes webhooks at once.
  const std::string other_secret = "whsec-other-0123456789abcdef";
  auto added = http_request(port, "POST", "/api/integrations", admin,
                            json{{"name", "sales"}, {"url", "https://chat.example.com"}, {"account", 5}, {"webhook_secret", other_secret}}.dump());
  CHECK(added.status == 201);
  CHECK(added.body.find(other_secret) == std::string::npos);
  auto bad = http_request(port, "POST", "/api/integrations", admin, json{{"name", "Sales Team"}, {"url", "x"}, {"account", 5}}.dump());
  CHECK(bad.status == 400);
  CHECK(json::parse(bad.body)["message"].get<std::string>().find("a-z") != std::string::npos);
  CHECK(webhook(port, message("message_created_incoming.json", 3001, "My order is late!"), signed_with(other_secret), "sales").status == 200);

  // An agent's token for the dashboard app reads what Chatwoot assigned to them.
  auto minted = http_request(port, "POST", "/api/integrations/sales/tokens", admin, json{{"agent", 7}, {"name", "Alex Kim"}}.dump());
  REQUIRE(minted.status == 200);
  const auto agent_token = json::parse(minted.body)["token"].get<std::string>();
  CHECK(json::parse(minted.body)["sub"] == "chatwoot:sales:agent:7");
  CHECK(http_request(port, "GET", "/api/conversations/chatwoot:sales:42", agent_token).status == 200);
  CHECK(http_request(port, "DELETE", "/api/integrations/sales", admin).status == 200);
  CHECK(webhook(port, message("message_created_incoming.json", 3002, "Hello?"), signed_with(other_secret), "sales").status == 404);
  // Removing the integration revokes its agents' tokens, over HTTP and for a new WebSocket.
  auto revoked = http_request(port, "GET", "/api/conversations/chatwoot:sales:42", agent_token);
  CHECK(revoked.status == 401);
  CHECK(json::parse(revoked.body)["error"] == "revoked_token");
  CHECK(json::parse(revoked.body)["message"].get<std::string>().find("sales") != std::string::npos);
  CHECK(ws_handshake_status(port, "/ws?token=" + agent_token) == 401);
}

TEST_CASE("minting an integration agent's token: admins only, a known integration, a sane body", "[chatwoot]") {
  TempDir dir;
  add_integration(dir.path, "https://chat.example.com", false);
  ServerProcess server(dir.path);
  const auto port = server.port();
  const auto admin = token(UserRole::admin, "ada", "Ada");
  const std::string path = "/api/integrations/support/tokens";
  const std::string ok = json{{"agent", 7}}.dump();
  // Nobody but an admin mints tokens, not even the integration's own agents.
  CHECK(http_request(port, "POST", path, "", ok).status == 401);
  CHECK(http_request(port, "POST", path, token(UserRole::agent, "alice", "Alice"), ok).status == 403);
  CHECK(http_request(port, "POST", path, token(UserRole::supervisor, "sam", "Sam"), ok).status == 403);
  CHECK(http_request(port, "POST", path, token(UserRole::agent, "chatwoot:support:agent:7", "Alex"), ok).status == 403);
  CHECK(http_request(port, "POST", "/api/integrations/nope/tokens", admin, ok).status == 404);
  // Each bad body is refused with what to send; nothing is minted.
  for (const std::string& body : {std::string("[1]"), std::string("{"), json{{"agent", 0}}.dump(), json{{"agent", -3}}.dump(),
                                 json{{"agent", "7"}}.dump(), json{{"agent", 1.5}}.dump(), json{{"agent", 7}, {"ttl_days", 0}}.dump(),
                                 json{{"agent", 7}, {"ttl_days", 366}}.dump(), json{{"agent", 7}, {"name", std::string(300, 'a')}}.dump(),
                                 std::string(200, '[') + std::string(200, ']')}) {
    auto refused = http_request(port, "POST", path, admin, body);
    CHECK(refused.status == 400);
    CHECK(refused.body.find("\"token\"") == std::string::npos);
    CHECK(!json::parse(refused.body)["message"].get<std::string>().empty());
  }
  // A token minted for one integration's agent is no admin, and reads nothing of another's.
  auto minted = http_request(port, "POST", path, admin, json{{"agent", 7}, {"ttl_days", 1}}.dump());
  REQUIRE(minted.status == 200);
  const auto agent_token = json::parse(minted.body)["token"].get<std::string>();
  CHECK(http_request(port, "GET", "/api/integrations", agent_token).status == 403);
  CHECK(http_request(port, "POST", path, agent_token, ok).status == 403);
  CHECK(http_request(port, "GET", "/api/conversations/chatwoot:support:1", agent_token).status == 404);
  // A native token whose sub only looks like an integration's is refused while none exists.
  auto lookalike = http_request(port, "GET", "/api/conversations", token(UserRole::agent, "chatwoot:ghost:agent:1", "G"));
  CHECK(lookalike.status == 401);
  CHECK(json::parse(lookalike.body)["error"] == "revoked_token");
}

TEST_CASE("the coach's suggestion reaches Chatwoot as a private note, through a 500 and a timeout", "[chatwoot]") {
  FakeChatwoot chatwoot;
  TempDir dir;
  add_integration(dir.path, chatwoot.url(), true);
  ServerProcess server(dir.path, {"--note-timeout", "300", "--note-backoff", "20", "--note-attempts", "3", "--note-interval", "0"});
  const auto port = server.port();

  SECTION("one note per customer message, none for the agent's, a retried delivery or a private note") {
    REQUIRE(webhook(port, message("message_created_incoming.json", 2001, "My order #4411 still hasn't arrived and nobody answers!"),
                    delivered("n-1")).status == 200);
    REQUIRE(chatwoot.wait_for(1));
    auto got = chatwoot.received();
    CHECK(got[0].target == "/api/v1/accounts/5/conversations/42/messages");
    CHECK(got[0].api_token == kApiToken);
    CHECK(got[0].body["private"] == true);
    CHECK(got[0].body["message_type"] == "outgoing");
    const std::string content = got[0].body["content"];
    CHECK(content.find("Still to do") != std::string::npos);
    CHECK(content.find("Apologize") != std::string::npos);
    // What Tact posted comes back as a webhook (a private note): it is not coached and posts nothing.
    auto echo = message("message_created_private_note.json", 2002, content);
    REQUIRE(webhook(port, echo).status == 200);
    REQUIRE(webhook(port, message("message_created_outgoing.json", 2003, "I'm so sorry, Dana.")).status == 200);
    REQUIRE(webhook(port, message("message_created_incoming.json", 2001, "My order #4411 still hasn't arrived and nobody answers!"),
                    delivered("n-1")).status == 200);
    // A customer message in another conversation, after them: notes go out one at a time, in
    // order, so once its note has arrived any note those had caused would have arrived before.
    REQUIRE(webhook(port, message("message_created_incoming.json", 2004, "Hello? I want a refund now!", 43)).status == 200);
    REQUIRE(chatwoot.wait_for(2));
    got = chatwoot.received();
    CHECK(got.size() == 2);
    CHECK(got.back().target == "/api/v1/accounts/5/conversations/43/messages");
  }

  SECTION("a 500 is retried with backoff until Chatwoot takes the note") {
    chatwoot.answer_next({FakeChatwoot::Answer::error500, FakeChatwoot::Answer::error500});
    REQUIRE(webhook(port, message("message_created_incoming.json", 2101, "My order never arrived!")).status == 200);
    REQUIRE(chatwoot.wait_for(3));
    auto got = chatwoot.received();
    CHECK(got[0].body == got[2].body);
    for (int i = 0; i < 50 && metric(port, "tact_integration_notes_total{result=\"sent\"}") < 1; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK(metric(port, "tact_integration_notes_total{result=\"sent\"}") == 1);
    CHECK(metric(port, "tact_integration_notes_total{result=\"retried\"}") == 2);
  }

  SECTION("a Chatwoot that does not answer times out; the note fails, is counted, and coaching goes on") {
    chatwoot.answer_next({FakeChatwoot::Answer::hang, FakeChatwoot::Answer::hang, FakeChatwoot::Answer::hang});
    auto r = webhook(port, message("message_created_incoming.json", 2201, "My order never arrived!"));
    REQUIRE(r.status == 200);  // answered before the note is even tried
    CHECK(json::parse(r.body)["coached"] == true);
    for (int i = 0; i < 200 && metric(port, "tact_integration_notes_total{result=\"failed\"}") < 1; ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    CHECK(metric(port, "tact_integration_notes_total{result=\"failed\"}") == 1);
    CHECK(metric(port, "tact_integration_notes_total{result=\"retried\"}") == 2);
    CHECK(metric(port, "tact_integration_notes_total{result=\"sent\"}") == 0);
    // Still coaching, at once.
    REQUIRE(webhook(port, message("message_created_outgoing.json", 2202, "I'm so sorry about that, Dana.")).status == 200);
    CHECK(count_of(port, "chatwoot:support:42") == 2);
  }
}
