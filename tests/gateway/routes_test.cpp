// Routes as plain functions: a request in, a response out, no sockets.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>

#include "obs/log.hpp"
#include "rules/pack_source.hpp"
#include "http/routes.hpp"
#include "http/static_files.hpp"

using namespace tact::gateway;

namespace {

struct Fixture {
  Fixture() {
    set_logging(false);
    std::string t = (std::filesystem::temp_directory_path() / "tact-routes-XXXXXX").string();
    dir = mkdtemp(t.data());
    std::ofstream(dir + "/index.html") << "<h1>hi</h1>";
    std::string error;
    store = open_sqlite_store(dir, &metrics, error);
    std::ostringstream err;
    auto rules = tact::gateway::load_rules("", err);
    relay = std::make_unique<Relay>(hub, *store, metrics, RulesRef{rules, "default@test"}, [] { return std::int64_t{1718000000000}; });
  }
  ~Fixture() {
    store->flush();
    relay.reset();
    store.reset();
    std::filesystem::remove_all(dir);
  }
  Response get(const std::string& target, const std::string& token = "", http::verb verb = http::verb::get,
               const std::string& body = "") {
    Request req{verb, target, 11};
    if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
    req.body() = body;
    RouteContext ctx{*relay, metrics, secret, dir, [] { return std::int64_t{1718000000000}; }};
    std::promise<Response> p;
    handle_request(req, ctx, [&](Response r) { p.set_value(std::move(r)); });
    return p.get_future().get();
  }
  std::string token(UserRole role, const std::string& sub) { return sign_token({role, sub, sub, 1718000000 + 60}, secret); }

  std::string dir;
  std::string secret = "routes-test-secret-0123456789abcdef";
  Metrics metrics;
  Hub hub;
  std::unique_ptr<Store> store;
  std::unique_ptr<Relay> relay;
};

nlohmann::json body(const Response& r) { return nlohmann::json::parse(r.body()); }

}  // namespace

TEST_CASE("static paths with .. or escapes are refused") {
  CHECK(static_file_path("/w", "/") == "/w/index.html");
  CHECK(static_file_path("/w", "/a/b.js") == "/w/a/b.js");
  CHECK_FALSE(static_file_path("/w", "/../etc/passwd"));
  CHECK_FALSE(static_file_path("/w", "/a/../../x"));
  CHECK_FALSE(static_file_path("/w", "/%2e%2e/x"));
  CHECK_FALSE(static_file_path("/w", "relative"));
  CHECK_FALSE(static_file_path("", "/"));
  CHECK(mime_type("a.js") == "text/javascript; charset=utf-8");
}

TEST_CASE("routes answer without sockets") {
  Fixture f;
  CHECK(f.get("/healthz").result() == http::status::ok);
  CHECK(f.get("/metrics").body().find("tact_connections{role=\"agent\"}") != std::string::npos);
  CHECK(f.get("/").body() == "<h1>hi</h1>");
  CHECK(f.get("/nope.js").result() == http::status::not_found);
  CHECK(f.get("/../secret").result() == http::status::not_found);

  auto r = f.get("/api/conversations");
  CHECK(r.result() == http::status::unauthorized);
  CHECK(body(r).at("error") == "missing_token");
  r = f.get("/api/conversations", f.token(UserRole::customer, "c"));
  CHECK(r.result() == http::status::forbidden);
  CHECK(body(r).at("error") == "wrong_role");

  const auto agent = f.token(UserRole::agent, "alice");
  r = f.get("/api/conversations/t-1/events", agent, http::verb::post, R"({"role":"customer","text":"My order #4411 still has not arrived"})");
  REQUIRE(r.result() == http::status::ok);
  CHECK(body(r).at("seq") == 1);
  CHECK(body(r).at("rules_version") == "default@test");
  r = f.get("/api/conversations/t-1/events", agent, http::verb::post, R"({"role":"boss","text":"x"})");
  CHECK(body(r).at("error") == "bad_field");
  r = f.get("/api/conversations/t-1/events", agent, http::verb::get);
  CHECK(r.result() == http::status::method_not_allowed);
  r = f.get("/api/conversations/bad id!", agent);
  CHECK(r.result() == http::status::not_found);
  r = f.get("/api/conversations", f.token(UserRole::supervisor, "sam"));
  CHECK(body(r).at("conversations").size() == 1);
  r = f.get("/api/conversations/t-1", agent);
  CHECK(body(r).at("messages").size() == 1);
  r = f.get("/api/conversations/t-1", f.token(UserRole::agent, "bob"));
  CHECK(r.result() == http::status::not_found);
}
