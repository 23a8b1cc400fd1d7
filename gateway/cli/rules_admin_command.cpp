// tact rules publish|history|rollback: rule versions (issue 7), against a running server
// (--server URL --token T, the admin API over HTTP) or directly on a stopped server's store
// (--data DIR, or --store sqlite:DIR|postgresql://…).
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <iostream>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "command_store.hpp"
#include "commands.hpp"
#include "json_io.hpp"
#include "obs/log.hpp"
#include "pack_loader.hpp"
#include "rules/rule_admin.hpp"
#include "store/store.hpp"

namespace tact::cli {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using nlohmann::json;
using gateway::AdminAnswer;

const char* kUsage =
    "usage: tact rules publish FILE -m MESSAGE [TARGET]   make FILE the live rules (after its examples pass)\n"
    "       tact rules history [--json] [TARGET]          every version, the live one marked\n"
    "       tact rules rollback V [TARGET]                make version V live again\n"
    "TARGET: --server http://HOST:PORT --token ADMIN_TOKEN (or TACT_TOKEN) for a running server,\n"
    "        or --data DIR (default ./tact-data) for a stopped server's data dir,\n"
    "        or --store LOCATION (sqlite:DIR or postgresql://..., as `tact serve --store`) for a stopped\n"
    "        deployment's store; running nodes learn of a change only through --server.\n";

int usage() {
  std::cerr << kUsage;
  return 2;
}

std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// One admin API call: over HTTP to a server, or straight to a RuleAdmin on the data dir.
class Target {
 public:
  virtual ~Target() = default;
  virtual AdminAnswer call(http::verb method, const std::string& path, const json& body) = 0;
};

class ServerTarget final : public Target {
 public:
  ServerTarget(std::string host, std::string port, std::string token)
      : host_(std::move(host)), port_(std::move(port)), token_(std::move(token)) {}

  AdminAnswer call(http::verb method, const std::string& path, const json& body) override {
    net::io_context ioc;
    beast::tcp_stream stream(ioc);
    beast::error_code ec;
    auto endpoints = net::ip::tcp::resolver(ioc).resolve(host_, port_, ec);
    if (!ec) stream.expires_after(std::chrono::seconds(60)), stream.connect(endpoints, ec);
    if (ec) return {0, json{{"error", "unreachable"}, {"message", "cannot reach " + host_ + ":" + port_ + ": " + ec.message()}}};
    http::request<http::string_body> req{method, path, 11};
    req.set(http::field::host, host_);
    req.set(http::field::authorization, "Bearer " + token_);
    req.set(http::field::content_type, "application/json");
    if (!body.is_null()) req.body() = coach::dump(body);
    req.prepare_payload();
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 << 20);
    http::write(stream, req, ec);
    if (!ec) http::read(stream, buffer, parser, ec);
    if (ec) return {0, json{{"error", "io"}, {"message", path + ": " + ec.message()}}};
    stream.socket().shutdown(net::ip::tcp::socket::shutdown_both, ec);
    auto j = json::parse(parser.get().body(), nullptr, false);
    if (j.is_discarded()) j = json{{"error", "bad_answer"}, {"message", parser.get().body().substr(0, 200)}};
    return {static_cast<int>(parser.get().result_int()), std::move(j)};
  }

 private:
  std::string host_, port_, token_;
};

class DataTarget final : public Target {
 public:
  explicit DataTarget(gateway::Identity who) : who_(std::move(who)) {}
  bool open(const std::string& dir, const std::string& store_at, std::string& error) {
    store_ = open_command_store(dir, store_at, error);
    if (!store_) return false;
    std::string note;
    admin_ = gateway::RuleAdmin::open(*store_, "", {}, now_ms, error, note);
    return admin_ != nullptr;
  }
  ~DataTarget() override {
    admin_.reset();
    if (store_) store_->flush();
  }

  AdminAnswer call(http::verb, const std::string& path, const json& body) override {
    if (path == "/api/rules/live") return admin_->live_answer();
    if (path == "/api/rules/versions") return admin_->versions();
    if (path == "/api/rules/publish")
      return admin_->publish(who_, body.at("pack"), body.at("message").get<std::string>(), body.at("base_version").get<std::int64_t>());
    if (path == "/api/rules/rollback") return admin_->rollback(who_, body.at("version").get<std::int64_t>());
    return {404, json{{"error", "not_found"}, {"message", path}}};
  }

 private:
  gateway::Identity who_;
  std::unique_ptr<gateway::Store> store_;
  std::unique_ptr<gateway::RuleAdmin> admin_;
};

std::string when(std::int64_t ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%SZ", &tm);
  return buf;
}

// Prints a refusal with its reasons; the exit status.
int refused(const std::string& what, const AdminAnswer& a) {
  std::cerr << "tact rules " << what << ": refused";
  if (a.status) std::cerr << " (" << a.status << " " << a.body.value("error", "") << ")";
  std::cerr << ": " << a.body.value("message", "") << "\n";
  if (auto it = a.body.find("problems"); it != a.body.end())
    for (const auto& p : *it) {
      std::cerr << "  ";
      if (p.value("rule", json()).is_string()) std::cerr << "rule \"" << p.at("rule").get<std::string>() << "\": ";
      std::cerr << p.value("field", "") << ": " << p.value("reason", "");
      if (p.contains("position")) std::cerr << " (at position " << p.at("position") << ")";
      std::cerr << "\n";
    }
  if (auto it = a.body.find("failures"); it != a.body.end())
    for (const auto& f : *it)
      std::cerr << "  FAIL " << f.value("rule", "") << ": " << (f.value("must_match", true) ? "should match" : "should not match")
                << ": \"" << f.value("text", "") << "\"\n";
  return 1;
}

int publish(Target& t, const std::string& file, const std::string& message) {
  auto text = read_file(file, std::cerr);
  if (!text) return 1;
  auto pack = json::parse(*text, nullptr, false);
  if (!pack.is_object()) {
    std::cerr << "tact rules publish: " << file << " is not a JSON object (a rule pack)\n";
    return 1;
  }
  auto live = t.call(http::verb::get, "/api/rules/live", json());
  if (live.status != 200) return refused("publish", live);
  auto a = t.call(http::verb::post, "/api/rules/publish",
                  json{{"pack", pack}, {"message", message}, {"base_version", live.body.at("version")}});
  if (a.status != 200) return refused("publish", a);
  std::cout << "published version " << a.body.at("version") << " (" << a.body.value("rules_version", "") << "), replacing version "
            << live.body.at("version") << "; it is live now\n";
  return 0;
}

int history(Target& t, bool as_json) {
  auto a = t.call(http::verb::get, "/api/rules/versions", json());
  if (a.status != 200) return refused("history", a);
  if (as_json) {
    std::cout << coach::dump(a.body) << "\n";
    return 0;
  }
  for (const auto& v : a.body.at("versions")) {
    std::cout << (v.value("live", false) ? "* " : "  ") << v.at("version") << "  " << v.value("rules_version", "") << "  "
              << when(v.value("at", std::int64_t{0})) << "  " << v.value("author", "");
    if (v.at("parent").is_number()) std::cout << "  (from " << v.at("parent") << ")";
    std::cout << "  " << v.value("message", "") << "\n";
  }
  return 0;
}

int rollback(Target& t, const std::string& version) {
  if (version.empty() || version.size() > 15 || version.find_first_not_of("0123456789") != std::string::npos) return usage();
  auto a = t.call(http::verb::post, "/api/rules/rollback", json{{"version", std::stoll(version)}});
  if (a.status != 200) return refused("rollback", a);
  std::cout << "version " << a.body.at("version") << " (" << a.body.value("rules_version", "") << ") is live again\n";
  return 0;
}

}  // namespace

int rules_admin_command(const Args& args) {
  const std::string command = args.at(0);
  std::vector<std::string> positional;
  std::string server, data = "./tact-data", store_at, message;
  const char* env_token = std::getenv("TACT_TOKEN");
  std::string token = env_token ? env_token : "";
  bool as_json = false, has_message = false;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--json") {
      as_json = true;
      continue;
    }
    if (a == "-m" || a == "--message" || a == "--server" || a == "--token" || a == "--data" || a == "--store") {
      if (i + 1 >= args.size()) return usage();
      const std::string& v = args[++i];
      if (a == "--server") server = v;
      else if (a == "--token") token = v;
      else if (a == "--data") data = v;
      else if (a == "--store") store_at = v;
      else message = v, has_message = true;
      continue;
    }
    if (a.starts_with("-")) return usage();
    positional.push_back(a);
  }
  const std::size_t want = command == "history" ? 0 : 1;
  if (positional.size() != want) return usage();
  if (command == "publish" && !has_message) {
    std::cerr << "tact rules publish: say what changed with -m MESSAGE\n";
    return usage();
  }
  gateway::set_logging(false);
  std::unique_ptr<Target> target;
  if (!server.empty()) {
    // http://HOST:PORT[/]
    std::string rest = server.starts_with("http://") ? server.substr(7) : server;
    if (!rest.empty() && rest.back() == '/') rest.pop_back();
    const auto colon = rest.rfind(':');
    if (server.starts_with("https://") || colon == std::string::npos || rest.find('/') != std::string::npos) {
      std::cerr << "tact rules: --server wants http://HOST:PORT, not \"" << server << "\"\n";
      return 2;
    }
    if (token.empty()) {
      std::cerr << "tact rules: --server needs an admin token (--token or TACT_TOKEN; `tact token --role admin --sub you`)\n";
      return 2;
    }
    target = std::make_unique<ServerTarget>(rest.substr(0, colon), rest.substr(colon + 1), token);
  } else {
    const char* user = std::getenv("USER");
    auto direct = std::make_unique<DataTarget>(gateway::Identity{gateway::UserRole::admin, user ? user : "cli", "tact rules (data dir)"});
    std::string error;
    if (!direct->open(data, store_at, error)) {
      std::cerr << "tact rules: " << error << "\n";
      return 1;
    }
    target = std::move(direct);
  }
  if (command == "publish") return publish(*target, positional[0], message);
  if (command == "history") return history(*target, as_json);
  return rollback(*target, positional[0]);
}

}  // namespace tact::cli
