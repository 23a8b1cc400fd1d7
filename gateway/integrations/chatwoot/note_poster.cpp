#include "integrations/chatwoot/note_poster.hpp"

#include <optional>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include "json_io.hpp"
#include "obs/contained.hpp"
#include "obs/log.hpp"

namespace tact::gateway::chatwoot {
namespace {

namespace net = boost::asio;
namespace ssl = net::ssl;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using nlohmann::json;

std::string step_label(const std::string& step) {
  static const std::map<std::string, std::string> labels = {
      {"acknowledge", "Acknowledge"}, {"apology", "Apologize"},   {"ownership", "Take ownership"}, {"empathy", "Show empathy"},
      {"solution", "Offer a solution"}, {"follow_up", "Follow up"}, {"feedback", "Ask for feedback"}};
  auto it = labels.find(step);
  if (it != labels.end()) return it->second;
  std::string out = step;
  for (auto& c : out) if (c == '_') c = ' ';
  return out;
}

struct Target {
  bool tls = false;
  std::string host, port, path;  // path: the base URL's path, without a trailing /
};

std::optional<Target> parse_url(const std::string& url) {
  Target t;
  std::string rest;
  if (url.starts_with("https://")) t.tls = true, rest = url.substr(8);
  else if (url.starts_with("http://")) rest = url.substr(7);
  else return std::nullopt;
  const auto slash = rest.find('/');
  std::string authority = rest.substr(0, slash);
  t.path = slash == std::string::npos ? "" : rest.substr(slash);
  while (!t.path.empty() && t.path.back() == '/') t.path.pop_back();
  const auto colon = authority.rfind(':');
  if (colon != std::string::npos && authority.find(']') == std::string::npos) {
    t.host = authority.substr(0, colon);
    t.port = authority.substr(colon + 1);
  } else {
    t.host = authority;
    t.port = t.tls ? "443" : "80";
  }
  if (t.host.empty() || t.port.empty() || t.port.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return t;
}

// One request and its answer on `stream`; `finished` gets the first error, or none.
template <class Stream, class Finished>
void exchange(Stream& stream, http::request<http::string_body>& req, http::response<http::string_body>& res,
              beast::flat_buffer& buffer, Finished finished) {
  http::async_write(stream, req, [&stream, &res, &buffer, finished](beast::error_code e, std::size_t) {
    if (e) return finished(e);
    http::async_read(stream, buffer, res, [finished](beast::error_code e2, std::size_t) { finished(e2); });
  });
}

}  // namespace

std::string note_content(const json& coach) {
  if (!coach.is_object()) return {};
  std::string suggestion;
  if (auto s = coach.find("suggestions"); s != coach.end() && s->is_array() && !s->empty() && (*s)[0].is_object()) {
    const auto& first = (*s)[0];
    if (auto t = first.find("text"); t != first.end() && t->is_string()) suggestion = t->get<std::string>();
  }
  std::string missing;
  if (auto c = coach.find("checklist"); c != coach.end() && c->is_array()) {
    for (const auto& item : *c) {
      if (!item.is_object() || item.value("status", "") != "missing" || !item.contains("step") || !item["step"].is_string()) continue;
      missing += (missing.empty() ? "" : ", ") + step_label(item["step"].get<std::string>());
    }
  }
  if (suggestion.empty() && missing.empty()) return {};
  std::string out = "**Tact**";
  if (!suggestion.empty()) {
    std::string quoted;
    for (char ch : suggestion) quoted += ch == '\n' ? std::string("\n> ") : std::string(1, ch);
    out += " suggests:\n> " + quoted;
  }
  if (!missing.empty()) out += std::string(suggestion.empty() ? ": " : "\n\n") + "Still to do: " + missing;
  return out;
}

NotePoster::NotePoster(Metrics& metrics, NotePosterOptions options, Clock now_ms)
    : metrics_(metrics), options_(options), now_(std::move(now_ms)) {
  worker_ = std::thread([this] { contained("note_poster", [this] { run(); }); });
}

NotePoster::~NotePoster() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    metrics_.notes_dropped += queue_.size();
    queue_.clear();
  }
  cv_.notify_all();
  if (worker_.joinable()) worker_.join();
}

bool NotePoster::post(NoteJob job) {
  const std::string key = job.integration + "/" + std::to_string(job.conversation);
  const auto now = now_();
  {
    std::lock_guard lock(mutex_);
    auto it = last_note_.find(key);
    if (it != last_note_.end() && now - it->second < options_.min_interval.count()) {
      metrics_.notes_rate_limited++;
      return false;
    }
    if (queue_.size() >= options_.max_queue) {
      metrics_.notes_dropped++;
      log_event("note_dropped", {{"integration", job.integration}, {"conversation", job.conversation}, {"why", "queue full"}});
      return false;
    }
    last_note_[key] = now;
    if (last_note_.size() > 100000) last_note_.clear();  // a bound; forgetting only allows one more note
    queue_.push_back(std::move(job));
  }
  cv_.notify_one();
  return true;
}

void NotePoster::run() {
  for (;;) {
    NoteJob job;
    {
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    auto wait = options_.backoff;
    for (int n = 1;; ++n) {
      std::string detail;
      Outcome outcome = Outcome::give_up;
      contained("note_attempt", [&] { outcome = attempt(job, detail); }, [&] { detail = "internal error"; });
      if (outcome == Outcome::sent) {
        metrics_.notes_sent++;
        log_event("note_posted", {{"integration", job.integration}, {"conversation", job.conversation}, {"attempts", n}});
        break;
      }
      if (outcome == Outcome::give_up || n >= options_.attempts) {
        metrics_.notes_failed++;
        log_event("note_failed", {{"integration", job.integration}, {"conversation", job.conversation}, {"attempts", n}, {"error", detail}});
        break;
      }
      metrics_.notes_retried++;
      log_event("note_retry", {{"integration", job.integration}, {"conversation", job.conversation}, {"attempt", n}, {"error", detail}});
      std::unique_lock lock(mutex_);
      if (cv_.wait_for(lock, wait, [&] { return stopping_; })) return;
      wait *= 2;
    }
  }
}

NotePoster::Outcome NotePoster::attempt(const NoteJob& job, std::string& detail) {
  const auto target = parse_url(job.base_url);
  if (!target) {
    detail = "the integration's URL is not http(s)://host[:port][/path]";
    return Outcome::give_up;
  }
  http::request<http::string_body> req{http::verb::post,
                                       target->path + "/api/v1/accounts/" + std::to_string(job.account) + "/conversations/" +
                                           std::to_string(job.conversation) + "/messages",
                                       11};
  req.set(http::field::host, target->host);
  req.set(http::field::content_type, "application/json");
  req.set(http::field::user_agent, "tact");
  req.set("api_access_token", job.api_token);
  req.body() = coach::dump(json{{"content", job.content}, {"message_type", "outgoing"}, {"private", true}});
  req.prepare_payload();

  net::io_context ioc;
  tcp::resolver resolver(ioc);
  ssl::context tls_ctx(ssl::context::tls_client);
  beast::tcp_stream plain(ioc);
  std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
  if (target->tls) {
    tls_ctx.set_default_verify_paths();
    tls_ctx.set_verify_mode(ssl::verify_peer);
    secure.emplace(ioc, tls_ctx);
    SSL_set_tlsext_host_name(secure->native_handle(), target->host.c_str());
    secure->set_verify_callback(ssl::host_name_verification(target->host));
  }
  beast::tcp_stream& tcp_layer = secure ? beast::get_lowest_layer(*secure) : plain;
  http::response<http::string_body> res;
  beast::flat_buffer buffer;
  beast::error_code ec;
  bool timed_out = false;
  // One deadline for the whole attempt, the name lookup included.
  net::steady_timer deadline(ioc, options_.timeout);
  deadline.async_wait([&](beast::error_code e) {
    if (e) return;
    timed_out = true;
    resolver.cancel();
    beast::error_code ignored;
    tcp_layer.socket().close(ignored);
  });
  auto finished = [&](beast::error_code e) {
    ec = e;
    deadline.cancel();
  };
  resolver.async_resolve(target->host, target->port, [&](beast::error_code e, tcp::resolver::results_type results) {
    if (e) return finished(e);
    tcp_layer.async_connect(results, [&](beast::error_code e2, const tcp::endpoint&) {
      if (e2) return finished(e2);
      if (!secure) return exchange(plain, req, res, buffer, finished);
      secure->async_handshake(ssl::stream_base::client, [&](beast::error_code e3) {
        if (e3) return finished(e3);
        exchange(*secure, req, res, buffer, finished);
      });
    });
  });
  ioc.run();  // until the exchange ends and the deadline is done
  if (timed_out) {
    detail = "no answer within " + std::to_string(options_.timeout.count()) + " ms";
    return Outcome::retry;
  }
  if (ec) {
    detail = ec.message();
    return Outcome::retry;
  }
  const int status = static_cast<int>(res.result_int());
  if (status >= 200 && status < 300) return Outcome::sent;
  detail = "HTTP " + std::to_string(status);
  return status == 429 || status >= 500 ? Outcome::retry : Outcome::give_up;
}

}  // namespace tact::gateway::chatwoot
