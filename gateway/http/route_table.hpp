#pragma once
// Every HTTP route in one table: method, path, who may call it, where it runs, and its handler.
// Who may call a route is decided here and nowhere else (authorize()), from the headers alone, so
// the connection can refuse a stranger before reading a body (net/http_session.cpp). Which
// conversation a caller may touch is relay/access.hpp's: routes hand it the verified identity.
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "auth/identity.hpp"
#include "http/routes.hpp"

namespace tact::gateway {

// Who may call a route: a set of roles, or anyone (no token needed).
enum RoleSet : unsigned {
  anyone = 0,
  customers = 1,
  agents = 2,
  supervisors = 4,
  admins = 8,
  staff = agents | supervisors | admins,
  signed_in = customers | staff,
};

struct RouteCall {
  const Request& req;
  RouteContext& ctx;
  const Identity* who;     // null on routes for anyone
  std::string_view param;  // the path's {param} segment, "" when it has none
  const Respond& respond;
};

// How large a route's body may be.
enum class BodyLimit {
  message,  // --max-message
  packs,    // --max-admin-body (whole rule packs)
  webhook,  // kMaxWebhookBody: a chat platform's payloads carry the conversation too
};
inline constexpr std::size_t kMaxWebhookBody = 256 * 1024;

struct Route {
  http::verb method;
  std::string_view pattern;  // "/api/conversations/{}/events": {} is one segment
  unsigned roles;            // RoleSet; anyone needs no token
  std::string_view refusal;  // said to a signed-in caller of another role
  BodyLimit body = BodyLimit::message;
  bool background = false;   // runs on the background thread (compiles, tests, replays rule packs)
  void (*handler)(const RouteCall&);
};

const std::vector<Route>& route_table();

struct RouteLookup {
  const Route* route = nullptr;  // null: no route for this method and path
  std::string param;
  std::string allowed;  // when the path is known but not the method: "GET, POST"
  bool api = false;     // under /api/ (never a static file)
};
RouteLookup find_route(http::verb method, std::string_view path);

// Who the request's token names, checked once for HTTP routes and WebSocket upgrades alike: its
// signature and expiry, and for a platform agent's token that its integration still exists.
TokenCheck identify(const Request& req, const RouteContext& ctx);

// The caller, or the refusal to send: a token that fails (401, or 400 for two tokens), or a role
// the route does not take (403 wrong_role). Needs only the request's headers.
std::variant<Identity, Response> authorize(const Route& route, const Request& req, const RouteContext& ctx);

// Shared by the handlers (conversation_routes.cpp).
Response result_response(const Request& req, const EventResult& r);
// The conversation id of the path (percent-decoded), or nullopt with the 404 already sent.
std::optional<std::string> conversation_id(const RouteCall& c);
// What an answer sent later needs of its request (which may be gone by then).
Request response_head(const Request& req);

// The handlers, by area (conversation_routes.cpp, rule_routes.cpp, public_routes.cpp).
void list_conversations(const RouteCall& c);
void get_conversation(const RouteCall& c);
void post_conversation_event(const RouteCall& c);
void close_conversation(const RouteCall& c);
void get_conversation_review(const RouteCall& c);
void get_insights(const RouteCall& c);  // insights_routes.cpp
void post_conversation_lesson(const RouteCall& c);  // learning_routes.cpp
void get_lessons(const RouteCall& c);
void delete_lesson(const RouteCall& c);
void get_rule_stats(const RouteCall& c);
void get_rule_versions(const RouteCall& c);
void get_rule_version(const RouteCall& c);
void get_live_rules(const RouteCall& c);
void get_rule_audit(const RouteCall& c);
void post_rules(const RouteCall& c);  // validate, test, preview, publish, rollback: the last path segment
void get_healthz(const RouteCall& c);
void get_metrics(const RouteCall& c);
void get_ws_without_upgrade(const RouteCall& c);
void post_chatwoot_webhook(const RouteCall& c);  // integration_routes.cpp: checked by its signature, not a token
void get_integrations(const RouteCall& c);
void post_integration(const RouteCall& c);
void delete_integration(const RouteCall& c);
void post_integration_token(const RouteCall& c);

}  // namespace tact::gateway
