// /api/rules: rule administration (docs/protocol.md, "Rule administration"). Admins only: the
// route table has checked the role before the body was read.
#include "http/responses.hpp"
#include "http/route_table.hpp"
#include "protocol/json_limits.hpp"
#include "rules/rule_admin.hpp"

namespace tact::gateway {
namespace {

using nlohmann::json;


Response answer(const Request& req, const AdminAnswer& a) { return json_response(req, static_cast<http::status>(a.status), a.body); }

// "/versions/12" -> 12; nullopt for anything that is not a positive decimal.
std::optional<std::int64_t> version_number(std::string_view s) {
  if (s.empty() || s.size() > 15 || s.find_first_not_of("0123456789") != std::string_view::npos) return std::nullopt;
  return std::stoll(std::string(s));
}

std::optional<std::int64_t> version_field(const json& body, const char* key) {
  auto it = body.find(key);
  if (it == body.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<std::int64_t>();
}

void post(const Request& req, RuleAdmin& admin, const Identity& who, const Respond& respond, std::string_view action) {
  if (!nested_within(req.body()))
    return respond(error_response(req, http::status::bad_request, "too_deep",
                                  "the body nests arrays or objects deeper than " + std::to_string(kMaxJsonDepth) + " levels"));
  auto body = parse_untrusted(req.body());
  if (!body.is_object()) return respond(error_response(req, http::status::bad_request, "bad_json", "the body must be a JSON object"));
  auto bad = [&](const char* code, const std::string& message) { respond(error_response(req, http::status::bad_request, code, message)); };
  if (action == "rollback") {
    if (!body.contains("version")) return bad("missing_field", "\"version\" is required");
    auto v = version_field(body, "version");
    if (!v) return bad("bad_field", "\"version\" must be a version number");
    std::optional<std::int64_t> base;
    if (body.contains("base_version") && !(base = version_field(body, "base_version")))
      return bad("bad_field", "\"base_version\" must be a version number");
    return respond(answer(req, admin.rollback(who, *v, base)));
  }
  if (!body.contains("pack")) return bad("missing_field", "\"pack\" is required");
  const json& pack = body.at("pack");
  if (!pack.is_object()) return bad("bad_field", "\"pack\" must be a rule pack (a JSON object)");
  if (action == "validate") return respond(answer(req, admin.validate(pack)));
  if (action == "test") return respond(answer(req, admin.test(pack, body.value("texts", json()))));
  if (action == "preview") return respond(answer(req, admin.preview(pack)));
  // publish
  if (!body.contains("message") || !body.contains("base_version"))
    return bad("missing_field", "\"message\" and \"base_version\" (the live version the change started from) are required");
  if (!body.at("message").is_string()) return bad("bad_field", "\"message\" must be a string");
  auto base = version_field(body, "base_version");
  if (!base) return bad("bad_field", "\"base_version\" must be a version number");
  respond(answer(req, admin.publish(who, pack, body.at("message").get<std::string>(), *base)));
}

// The rule administration, or the 503 already sent (a server built without it).
RuleAdmin* admin_of(const RouteCall& c) {
  if (!c.ctx.admin)
    c.respond(error_response(c.req, http::status::service_unavailable, "unavailable", "rule administration is not available"));
  return c.ctx.admin;
}

}  // namespace

void get_rule_versions(const RouteCall& c) {
  if (auto* a = admin_of(c)) c.respond(answer(c.req, a->versions()));
}

void get_live_rules(const RouteCall& c) {
  if (auto* a = admin_of(c)) c.respond(answer(c.req, a->live_answer()));
}

void get_rule_audit(const RouteCall& c) {
  if (auto* a = admin_of(c)) c.respond(answer(c.req, a->audit()));
}

void get_rule_version(const RouteCall& c) {
  auto* a = admin_of(c);
  if (!a) return;
  auto v = version_number(c.param);
  if (!v) return c.respond(error_response(c.req, http::status::not_found, "not_found", "versions are numbered 1, 2, ..."));
  c.respond(answer(c.req, a->version(*v)));
}

void post_rules(const RouteCall& c) {
  auto* a = admin_of(c);
  if (!a) return;
  const std::string path = request_path(c.req);
  post(c.req, *a, *c.who, c.respond, std::string_view(path).substr(path.rfind('/') + 1));
}

}  // namespace tact::gateway
