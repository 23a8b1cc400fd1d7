#pragma once
// HTTP routes as plain functions from a request to a response (docs/protocol.md, "HTTP"),
// testable without sockets. `respond` is called exactly once, maybe later and from another
// thread (POST events answers once stored).
#include <cstdint>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "http_types.hpp"
#include "metrics.hpp"
#include "relay.hpp"

namespace tact::gateway {

class RuleAdmin;

struct RouteContext {
  Relay& relay;
  Metrics& metrics;
  std::string secret;
  std::string static_dir;
  std::function<std::int64_t()> now_ms;
  RuleAdmin* admin = nullptr;  // /api/rules (admin_routes.hpp); null: 503
  // Who may frame the pages (CSP frame-ancestors; --frame-ancestors): host consoles embed the panel.
  std::string frame_ancestors = "'self'";
  Store* store = nullptr;  // /api/data (privacy/data_requests.hpp); null: 503
};

using Respond = std::function<void(Response)>;

// Never throws: a route that fails unexpectedly is answered 500 and logged; the server goes on.
void handle_request(const Request& req, RouteContext& ctx, const Respond& respond) noexcept;

// The headers every answer carries (nosniff; for pages a CSP with `frame_ancestors`).
void set_security_headers(Response& res, const std::string& frame_ancestors);

Response json_response(const Request& req, http::status status, const nlohmann::json& body);
Response error_response(const Request& req, http::status status, const std::string& code, const std::string& message);

}  // namespace tact::gateway
