#pragma once
// HTTP requests in, answers out, without sockets (docs/protocol.md, "HTTP"): the context routes
// share and the entry point. The routes themselves are in route_table.hpp. `respond` is called
// exactly once, maybe later and from another thread (POST events answers once stored; rule
// administration runs on the background thread).
#include <cstdint>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "http/http_types.hpp"
#include "http/responses.hpp"
#include "obs/metrics.hpp"
#include "relay/relay.hpp"
#include "store/store.hpp"

namespace tact::gateway {

class RuleAdmin;
class IntegrationStore;
namespace chatwoot {
class Receiver;
}

struct RouteContext {
  Relay& relay;
  Metrics& metrics;
  std::string secret;
  std::string static_dir;
  std::function<std::int64_t()> now_ms;
  RuleAdmin* admin = nullptr;  // /api/rules (rule_routes.cpp); null: 503
  // Who may frame the pages (CSP frame-ancestors; --frame-ancestors): host consoles embed the panel.
  std::string frame_ancestors = "'self'";
  Store* store = nullptr;  // /api/data (http/data_requests.hpp); null: 503
  IntegrationStore* integrations = nullptr;  // /api/integrations; null: 503
  chatwoot::Receiver* chatwoot = nullptr;    // its webhooks; null: 503
};

using Respond = std::function<void(Response)>;

// Never throws: a route that fails unexpectedly is answered 500 and logged; the server goes on.
void handle_request(const Request& req, RouteContext& ctx, const Respond& respond) noexcept;

}  // namespace tact::gateway
