#include "routes.hpp"

#include <atomic>
#include <cctype>
#include <fstream>
#include <sstream>

#include "admin_routes.hpp"
#include "json_io.hpp"
#include "json_limits.hpp"
#include "log.hpp"
#include "privacy/data_requests.hpp"
#include "static_files.hpp"

namespace tact::gateway {
namespace {

using nlohmann::json;

constexpr std::string_view kApi = "/api/conversations";

bool valid_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == ':' || c == '-')) return false;
  return true;
}

Response text_response(const Request& req, http::status status, std::string body, std::string_view type) {
  Response res{status, req.version()};
  res.set(http::field::server, "tact");
  res.set(http::field::content_type, type);
  res.set("X-Content-Type-Options", "nosniff");
  res.keep_alive(req.keep_alive());
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

Response result_response(const Request& req, const EventResult& r) {
  return json_response(req, static_cast<http::status>(r.status), r.body);
}

// The caller's identity, or the 401 already sent.
std::optional<Identity> caller(const Request& req, RouteContext& ctx, const Respond& respond, bool customers_too) {
  auto check = authenticate(req, ctx.secret, ctx.now_ms() / 1000);
  if (!check.claims) {
    respond(error_response(req, refusal_status(check), check.error, check.message));
    return std::nullopt;
  }
  if (!customers_too && check.claims->role == UserRole::customer) {
    respond(error_response(req, http::status::unauthorized, "wrong_role", "customers may not use this route"));
    return std::nullopt;
  }
  return Identity{check.claims->role, check.claims->sub, check.claims->name};
}

void post_event(const Request& req, RouteContext& ctx, const Respond& respond, const std::string& id) {
  auto who = caller(req, ctx, respond, false);
  if (!who) return;
  auto body = parse_untrusted(req.body());
  if (!body.is_object())
    return respond(error_response(req, http::status::bad_request, "bad_json",
                                  "the body must be a JSON object, nested at most " + std::to_string(kMaxJsonDepth) + " deep"));
  std::string name;
  if (auto name_it = body.find("name"); name_it != body.end()) {
    if (!name_it->is_string() || name_it->get_ref<const std::string&>().size() > 256)
      return respond(error_response(req, http::status::bad_request, "bad_field", "\"name\" must be a string of at most 256 bytes"));
    name = name_it->get<std::string>();
  }
  auto role_it = body.find("role");
  auto text_it = body.find("text");
  if (role_it == body.end() || text_it == body.end())
    return respond(error_response(req, http::status::bad_request, "missing_field", "\"role\" and \"text\" are required"));
  auto role = role_it->is_string() ? coach::parse_role(role_it->get<std::string>()) : std::nullopt;
  if (!role) return respond(error_response(req, http::status::bad_request, "bad_field", "\"role\" must be \"customer\" or \"agent\""));
  if (!text_it->is_string() || text_it->get_ref<const std::string&>().empty())
    return respond(error_response(req, http::status::bad_request, "bad_field", "\"text\" must be a non-empty string"));
  std::int64_t at = ctx.now_ms();
  if (auto at_it = body.find("at"); at_it != body.end()) {
    // Between 1970 and 9999: the coach subtracts and formats times, which must not overflow.
    constexpr std::int64_t kMaxAt = 253402300799999;
    const bool in_range = at_it->is_number_unsigned() ? at_it->get<std::uint64_t>() <= static_cast<std::uint64_t>(kMaxAt)
                                                      : at_it->is_number_integer() && at_it->get<std::int64_t>() >= 0;
    if (!in_range) return respond(error_response(req, http::status::bad_request, "bad_field", "\"at\" must be ms since the epoch (1970..9999)"));
    at = at_it->get<std::int64_t>();
  }
  // Only what the answer needs is captured: the request may be gone when it is stored.
  Request head;
  head.version(req.version());
  head.keep_alive(req.keep_alive());
  ctx.relay.post_event(*who, id, *role, text_it->get<std::string>(), at, std::move(name), [head, respond](EventResult r) {
    respond(result_response(head, r));
  });
}

void api(const Request& req, RouteContext& ctx, const Respond& respond, std::string_view rest) {
  // rest: "", "/{id}" or "/{id}/events"
  if (rest.empty()) {
    if (req.method() != http::verb::get) return respond(error_response(req, http::status::method_not_allowed, "method_not_allowed", "use GET"));
    if (auto who = caller(req, ctx, respond, false)) respond(json_response(req, http::status::ok, ctx.relay.list(*who)));
    return;
  }
  rest.remove_prefix(1);
  const auto slash = rest.find('/');
  const std::string id(rest.substr(0, slash));
  const std::string_view tail = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  if (!valid_id(id)) return respond(error_response(req, http::status::not_found, "not_found", "no such conversation"));
  if (tail == "/events") {
    if (req.method() != http::verb::post) return respond(error_response(req, http::status::method_not_allowed, "method_not_allowed", "use POST"));
    return post_event(req, ctx, respond, id);
  }
  if (tail == "/close") {
    if (req.method() != http::verb::post) return respond(error_response(req, http::status::method_not_allowed, "method_not_allowed", "use POST"));
    if (auto who = caller(req, ctx, respond, false)) respond(result_response(req, ctx.relay.close_api(*who, id)));
    return;
  }
  if (!tail.empty()) return respond(error_response(req, http::status::not_found, "not_found", "no such route"));
  if (req.method() != http::verb::get) return respond(error_response(req, http::status::method_not_allowed, "method_not_allowed", "use GET"));
  auto who = caller(req, ctx, respond, true);  // a customer may read their own chat (after a reload)
  if (!who) return;
  respond(result_response(req, ctx.relay.transcript(*who, id)));
}

void static_file(const Request& req, RouteContext& ctx, const Respond& respond, const std::string& path) {
  if (req.method() != http::verb::get && req.method() != http::verb::head)
    return respond(error_response(req, http::status::method_not_allowed, "method_not_allowed", "use GET"));
  auto file = shipped_file(ctx.static_dir, path);
  std::ifstream in;
  if (file) in.open(*file, std::ios::binary);
  if (!file || !in.is_open()) return respond(error_response(req, http::status::not_found, "not_found", "no such file"));
  std::ostringstream s;
  s << in.rdbuf();
  auto res = text_response(req, http::status::ok, s.str(), mime_type(*file));
  if (req.method() == http::verb::head) res.body().clear();
  respond(std::move(res));
}

void route(const Request& req, RouteContext& ctx, const Respond& respond) {
  const std::string path = request_path(req);
  if (path == "/healthz")
    return respond(json_response(req, http::status::ok, json{{"status", "ok"}, {"open_conversations", ctx.relay.open_count()}}));
  if (path == "/metrics") return respond(text_response(req, http::status::ok, ctx.metrics.render(), "text/plain; version=0.0.4"));
  if (path == "/ws") return respond(error_response(req, http::status::bad_request, "not_websocket", "/ws takes a WebSocket upgrade"));
  if (path == kApi || (path.starts_with(kApi) && path[kApi.size()] == '/')) return api(req, ctx, respond, std::string_view(path).substr(kApi.size()));
  if (is_admin_path(path)) return handle_admin_request(req, ctx, respond, path);
  if (is_data_path(path)) return handle_data_request(req, ctx, respond, path);
  if (path.starts_with("/api/")) return respond(error_response(req, http::status::not_found, "not_found", "no such route"));
  static_file(req, ctx, respond, path);
}

}  // namespace

Response json_response(const Request& req, http::status status, const json& body) {
  return text_response(req, status, coach::dump(body) + "\n", "application/json");
}

Response error_response(const Request& req, http::status status, const std::string& code, const std::string& message) {
  return json_response(req, status, json{{"error", code}, {"message", message}});
}

void set_security_headers(Response& res, const std::string& frame_ancestors) {
  res.set("X-Content-Type-Options", "nosniff");
  const auto type = res[http::field::content_type];
  if (type.starts_with("text/html"))
    res.set("Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors " +
                frame_ancestors);
}

void handle_request(const Request& req, RouteContext& ctx, const Respond& respond) noexcept {
  // `respond` may be called later (POST events answers once stored); a throw before it was
  // called is answered 500. One that escapes after it was called is only logged.
  auto answered = std::make_shared<std::atomic<bool>>(false);
  Respond once = [answered, &ctx, respond](Response res) {
    if (answered->exchange(true)) return;
    set_security_headers(res, ctx.frame_ancestors);
    respond(std::move(res));
  };
  try {
    route(req, ctx, once);
  } catch (const std::exception& e) {
    log_event("route_failed", {{"path", request_path(req).substr(0, 128)}, {"error", e.what()}});
    ctx.metrics.count_error("internal");
    try {
      once(error_response(req, http::status::internal_server_error, "internal", "the server could not answer this request; it was logged"));
    } catch (...) {
    }
  }
}

}  // namespace tact::gateway
