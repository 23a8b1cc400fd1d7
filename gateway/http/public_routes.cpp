// Routes for anyone: health, metrics, and a plain GET of /ws.
#include "http/responses.hpp"
#include "http/route_table.hpp"

namespace tact::gateway {

void get_healthz(const RouteCall& c) {
  nlohmann::json body{{"status", "ok"}, {"open_conversations", c.ctx.relay.open_count()}};
  // A cluster node whose bus is down still serves the conversations it holds: 200, and it says so.
  if (auto cluster = c.ctx.relay.cluster_status(); !cluster.is_null()) {
    body["cluster"] = cluster;
    if (cluster["bus"] != "up") body["status"] = "degraded";
  }
  c.respond(json_response(c.req, http::status::ok, body));
}

void get_metrics(const RouteCall& c) {
  c.respond(text_response(c.req, http::status::ok, c.ctx.metrics.render(), "text/plain; version=0.0.4"));
}

void get_ws_without_upgrade(const RouteCall& c) {
  c.respond(error_response(c.req, http::status::bad_request, "not_websocket", "/ws takes a WebSocket upgrade"));
}

}  // namespace tact::gateway
