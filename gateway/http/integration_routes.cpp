// Integrations with chat platforms (docs/integrations/): Chatwoot's webhook, and the admin API
// that configures integrations and mints their agents' tokens. The route table lets only admins
// into /api/integrations; the webhook is checked by its signature (integrations/chatwoot/).
#include "http/responses.hpp"
#include "http/route_table.hpp"
#include "integrations/chatwoot/receiver.hpp"
#include "integrations/integration_store.hpp"
#include "protocol/json_limits.hpp"

namespace tact::gateway {
namespace {

using nlohmann::json;

std::string header(const Request& req, std::string_view name, std::size_t max) {
  auto it = req.find(name);
  if (it == req.end()) return {};
  return std::string(it->value().substr(0, max));
}

Request head_of(const Request& req) {
  Request head;
  head.version(req.version());
  head.keep_alive(req.keep_alive());
  return head;
}

bool unavailable(const RouteCall& c, const void* part) {
  if (part) return false;
  c.respond(error_response(c.req, http::status::service_unavailable, "unavailable", "integrations are not available"));
  return true;
}

}  // namespace

void post_chatwoot_webhook(const RouteCall& c) {
  if (unavailable(c, c.ctx.chatwoot)) return;
  chatwoot::WebhookRequest w{std::string(c.param), header(c.req, "X-Chatwoot-Timestamp", 32),
                             header(c.req, "X-Chatwoot-Signature", 128), header(c.req, "X-Chatwoot-Delivery", 256), c.req.body()};
  c.ctx.chatwoot->handle(w, [head = head_of(c.req), respond = c.respond](chatwoot::WebhookAnswer a) {
    respond(json_response(head, static_cast<http::status>(a.status), a.body));
  });
}

void get_integrations(const RouteCall& c) {
  if (unavailable(c, c.ctx.integrations)) return;
  json list = json::array();
  for (const auto& i : c.ctx.integrations->list()) list.push_back(public_view(i));
  c.respond(json_response(c.req, http::status::ok, json{{"integrations", std::move(list)}}));
}

// {"name","url","account","webhook_secret","api_token"?,"notes"?,"platform"?}: adds it, or changes
// it (a secret left out keeps the stored one).
void post_integration(const RouteCall& c) {
  if (unavailable(c, c.ctx.integrations)) return;
  auto bad = [&](const std::string& code, const std::string& message) {
    c.respond(error_response(c.req, http::status::bad_request, code, message));
  };
  const auto body = parse_untrusted(c.req.body());
  if (!body.is_object()) return bad("bad_json", "the body must be a JSON object");
  auto text = [&](const char* key) -> std::optional<std::string> {
    auto it = body.find(key);
    if (it == body.end() || it->is_null()) return std::string();
    if (!it->is_string()) return std::nullopt;
    return it->get<std::string>();
  };
  const auto name = text("name"), url = text("url"), secret = text("webhook_secret"), token = text("api_token"),
             platform = text("platform");
  if (!name || !url || !secret || !token || !platform)
    return bad("bad_field", "\"name\", \"url\", \"webhook_secret\", \"api_token\" and \"platform\" must be strings");
  Integration i;
  const auto existing = c.ctx.integrations->find(*name);
  if (existing) i = *existing;
  i.name = *name;
  i.platform = platform->empty() ? "chatwoot" : *platform;
  if (!url->empty() || !existing) i.url = *url;
  if (!secret->empty() || !existing) i.webhook_secret = *secret;
  if (!token->empty() || !existing) i.api_token = *token;
  if (auto a = body.find("account"); a != body.end()) {
    if (!a->is_number_integer()) return bad("bad_field", "\"account\" must be the Chatwoot account id, an integer");
    i.account = a->get<std::int64_t>();
  }
  if (auto n = body.find("notes"); n != body.end()) {
    if (!n->is_boolean()) return bad("bad_field", "\"notes\" must be true or false");
    i.notes = n->get<bool>();
  }
  if (!existing) i.created_at = c.ctx.now_ms();
  std::string error;
  if (!c.ctx.integrations->put(i, error)) return bad("bad_field", error);
  c.respond(json_response(c.req, existing ? http::status::ok : http::status::created, public_view(i)));
}

void delete_integration(const RouteCall& c) {
  if (unavailable(c, c.ctx.integrations)) return;
  if (!c.ctx.integrations->remove(std::string(c.param)))
    return c.respond(error_response(c.req, http::status::not_found, "not_found", "no integration of that name"));
  c.respond(json_response(c.req, http::status::ok, json{{"removed", std::string(c.param)}}));
}

// {"agent": the platform's user id, "name"?, "ttl_days"?: 1..365 (30)}: a token for that agent's
// dashboard app (chatwoot.html), valid for the conversations the platform assigns to them.
void post_integration_token(const RouteCall& c) {
  if (unavailable(c, c.ctx.integrations)) return;
  const auto integration = c.ctx.integrations->find(std::string(c.param));
  if (!integration) return c.respond(error_response(c.req, http::status::not_found, "not_found", "no integration of that name"));
  const auto body = parse_untrusted(c.req.body());
  auto bad = [&](const std::string& message) { c.respond(error_response(c.req, http::status::bad_request, "bad_field", message)); };
  if (!body.is_object()) return bad("the body must be a JSON object {\"agent\": ID, \"name\": \"...\", \"ttl_days\": 30}");
  const auto agent = body.find("agent");
  if (agent == body.end() || !agent->is_number_integer() || agent->get<std::int64_t>() <= 0)
    return bad("\"agent\" must be the agent's user id in the platform (a positive integer)");
  std::string name;
  if (auto n = body.find("name"); n != body.end()) {
    if (!n->is_string() || n->get_ref<const std::string&>().size() > 256) return bad("\"name\" must be a string of at most 256 bytes");
    name = n->get<std::string>();
  }
  std::int64_t days = 30;
  if (auto d = body.find("ttl_days"); d != body.end()) {
    if (!d->is_number_integer() || d->get<std::int64_t>() < 1 || d->get<std::int64_t>() > kMaxAgentTokenDays)
      return bad("\"ttl_days\" must be 1 to " + std::to_string(kMaxAgentTokenDays));
    days = d->get<std::int64_t>();
  }
  const auto sub = integration_agent_sub(*integration, agent->get<std::int64_t>());
  const std::int64_t exp = c.ctx.now_ms() / 1000 + days * 86400;
  const auto token = sign_token({UserRole::agent, sub, name, exp}, c.ctx.secret);
  c.respond(json_response(c.req, http::status::ok, json{{"token", token}, {"sub", sub}, {"exp", exp}}));
}

}  // namespace tact::gateway
