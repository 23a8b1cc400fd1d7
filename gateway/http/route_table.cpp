#include "http/route_table.hpp"

#include <atomic>
#include <fstream>
#include <memory>
#include <sstream>

#include "http/data_requests.hpp"
#include "integrations/integration_store.hpp"
#include "http/responses.hpp"
#include "http/static_files.hpp"
#include "obs/log.hpp"

namespace tact::gateway {
namespace {

unsigned role_bit(UserRole r) {
  switch (r) {
    case UserRole::customer: return customers;
    case UserRole::agent: return agents;
    case UserRole::supervisor: return supervisors;
    case UserRole::admin: return admins;
  }
  return 0;
}

// "/a/{}/b" against "/a/x/b": true, with `param` = "x".
bool matches(std::string_view pattern, std::string_view path, std::string& param) {
  while (!pattern.empty() && !path.empty()) {
    const auto p_end = pattern.find('/', 1), q_end = path.find('/', 1);
    const auto p_seg = pattern.substr(0, p_end), q_seg = path.substr(0, q_end);
    if (p_seg == "/{}") {
      if (q_seg.size() < 2) return false;
      param = std::string(q_seg.substr(1));
    } else if (p_seg != q_seg) {
      return false;
    }
    pattern.remove_prefix(p_seg.size());
    path.remove_prefix(q_seg.size());
  }
  return pattern.empty() && path.empty();
}

constexpr std::string_view kOnlyAdmins = "only admins may use the rule administration API";
constexpr std::string_view kOnlyAdminsData = "only admins may export or erase a customer's data";
constexpr std::string_view kOnlyAdminsIntegrations = "only admins may configure integrations";
constexpr std::string_view kNoCustomers = "customers may not use this route";
constexpr std::string_view kLessonsByStaff = "lessons are written by supervisors and admins; ask yours to write one";

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

void dispatch(const Request& req, RouteContext& ctx, const Respond& respond) {
  const std::string path = request_path(req);
  const auto found = find_route(req.method(), path);
  if (!found.route) {
    if (!found.allowed.empty()) {
      auto res = error_response(req, http::status::method_not_allowed, "method_not_allowed", "use " + found.allowed);
      res.set(http::field::allow, found.allowed);
      return respond(std::move(res));
    }
    if (found.api) return respond(error_response(req, http::status::not_found, "not_found", "no such route"));
    return static_file(req, ctx, respond, path);
  }
  const Route& route = *found.route;
  if (route.roles == anyone) return route.handler({req, ctx, nullptr, found.param, respond});
  auto who = authorize(route, req, ctx);
  if (auto* refusal = std::get_if<Response>(&who)) return respond(std::move(*refusal));
  route.handler({req, ctx, &std::get<Identity>(who), found.param, respond});
}

}  // namespace

const std::vector<Route>& route_table() {
  using V = http::verb;
  static const std::vector<Route> table = {
      {V::get, "/healthz", anyone, {}, BodyLimit::message, false, get_healthz},
      {V::get, "/metrics", anyone, {}, BodyLimit::message, false, get_metrics},
      {V::get, "/ws", anyone, {}, BodyLimit::message, false, get_ws_without_upgrade},
      {V::get, "/api/conversations", staff, kNoCustomers, BodyLimit::message, false, list_conversations},
      // A customer reads their own chat (after a reload); relay/access.hpp decides which.
      {V::get, "/api/conversations/{}", signed_in, {}, BodyLimit::message, false, get_conversation},
      {V::post, "/api/conversations/{}/events", staff, kNoCustomers, BodyLimit::message, false, post_conversation_event},
      {V::post, "/api/conversations/{}/close", staff, kNoCustomers, BodyLimit::message, false, close_conversation},
      // After the close (issue 22): relay/access.hpp refuses the customer (403) and other agents (404).
      {V::get, "/api/conversations/{}/review", signed_in, {}, BodyLimit::message, false, get_conversation_review},
      {V::get, "/api/insights", staff, kNoCustomers, BodyLimit::message, false, get_insights},
      // Lessons (issue 22): the team reads them, supervisors and admins write them.
      {V::post, "/api/conversations/{}/lessons", supervisors | admins, kLessonsByStaff, BodyLimit::message, false, post_conversation_lesson},
      {V::get, "/api/lessons", staff, kNoCustomers, BodyLimit::message, false, get_lessons},
      {V::delete_, "/api/lessons/{}", supervisors | admins, kLessonsByStaff, BodyLimit::message, false, delete_lesson},
      {V::get, "/api/rules/stats", admins, kOnlyAdmins, BodyLimit::message, false, get_rule_stats},
      {V::get, "/api/rules/versions", admins, kOnlyAdmins, BodyLimit::message, false, get_rule_versions},
      {V::get, "/api/rules/versions/{}", admins, kOnlyAdmins, BodyLimit::message, false, get_rule_version},
      {V::get, "/api/rules/live", admins, kOnlyAdmins, BodyLimit::message, false, get_live_rules},
      {V::get, "/api/rules/audit", admins, kOnlyAdmins, BodyLimit::message, false, get_rule_audit},
      {V::post, "/api/rules/validate", admins, kOnlyAdmins, BodyLimit::packs, true, post_rules},
      {V::post, "/api/rules/test", admins, kOnlyAdmins, BodyLimit::packs, true, post_rules},
      {V::post, "/api/rules/preview", admins, kOnlyAdmins, BodyLimit::packs, true, post_rules},
      {V::post, "/api/rules/publish", admins, kOnlyAdmins, BodyLimit::packs, true, post_rules},
      {V::post, "/api/rules/rollback", admins, kOnlyAdmins, BodyLimit::packs, true, post_rules},
      // Data subject requests (docs/protocol.md, "Privacy"): export and erase one customer's data.
      {V::get, "/api/data/customers/{}", admins, kOnlyAdminsData, BodyLimit::message, false, customer_data},
      {V::delete_, "/api/data/customers/{}", admins, kOnlyAdminsData, BodyLimit::message, false, customer_data},
      // Integrations (docs/integrations/): a chat platform's webhook is verified by its signature.
      {V::post, "/integrations/chatwoot/{}/webhook", anyone, {}, BodyLimit::webhook, false, post_chatwoot_webhook},
      {V::get, "/api/integrations", admins, kOnlyAdminsIntegrations, BodyLimit::message, false, get_integrations},
      {V::post, "/api/integrations", admins, kOnlyAdminsIntegrations, BodyLimit::message, false, post_integration},
      {V::delete_, "/api/integrations/{}", admins, kOnlyAdminsIntegrations, BodyLimit::message, false, delete_integration},
      {V::post, "/api/integrations/{}/tokens", admins, kOnlyAdminsIntegrations, BodyLimit::message, false, post_integration_token},
  };
  return table;
}

RouteLookup find_route(http::verb method, std::string_view path) {
  RouteLookup out;
  out.api = path == "/api" || path.starts_with("/api/");
  for (const auto& r : route_table()) {
    std::string param;
    if (!matches(r.pattern, path, param)) continue;
    // HEAD is GET without the body, for every GET route.
    if (r.method == method || (method == http::verb::head && r.method == http::verb::get)) {
      out.route = &r;
      out.param = std::move(param);
      out.allowed.clear();
      return out;
    }
    const auto name = std::string(http::to_string(r.method));
    if (out.allowed.find(name) == std::string::npos) out.allowed += (out.allowed.empty() ? "" : ", ") + name;
  }
  return out;
}

TokenCheck identify(const Request& req, const RouteContext& ctx) {
  auto check = authenticate(req, ctx.secret, ctx.now_ms() / 1000);
  if (!check.claims) return check;
  if (const auto integration = integration_of_agent_sub(check.claims->sub); !integration.empty()) {
    if (!ctx.integrations || !ctx.integrations->find(integration))
      return {std::nullopt, "revoked_token",
              "this token was minted for the integration \"" + integration + "\", which was removed; ask an admin for a new one"};
  }
  return check;
}

std::variant<Identity, Response> authorize(const Route& route, const Request& req, const RouteContext& ctx) {
  auto check = identify(req, ctx);
  if (!check.claims) return error_response(req, refusal_status(check), check.error, check.message);
  if (!(route.roles & role_bit(check.claims->role)))
    return error_response(req, http::status::forbidden, "wrong_role",
                          route.refusal.empty() ? "your role may not use this route" : std::string(route.refusal));
  return Identity{check.claims->role, check.claims->sub, check.claims->name};
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
    dispatch(req, ctx, once);
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
