#include "admin_routes.hpp"

#include "json_limits.hpp"
#include "rule_admin.hpp"

namespace tact::gateway {
namespace {

using nlohmann::json;

constexpr std::string_view kRules = "/api/rules";

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

}  // namespace

bool is_admin_path(std::string_view path) { return path == kRules || (path.starts_with(kRules) && path[kRules.size()] == '/'); }

void handle_admin_request(const Request& req, RouteContext& ctx, const Respond& respond, std::string_view path) {
  auto check = authenticate(req, ctx.secret, ctx.now_ms() / 1000);
  if (!check.claims) return respond(error_response(req, refusal_status(check), check.error, check.message));
  if (check.claims->role != UserRole::admin)
    return respond(error_response(req, http::status::unauthorized, "wrong_role", "only admins may use the rule administration API"));
  if (!ctx.admin) return respond(error_response(req, http::status::service_unavailable, "unavailable", "rule administration is not available"));
  const Identity who{check.claims->role, check.claims->sub, check.claims->name};
  RuleAdmin& admin = *ctx.admin;
  std::string_view rest = path.substr(kRules.size());  // "", "/versions", "/versions/{v}", "/live", "/audit", "/{action}"
  const bool get = req.method() == http::verb::get;
  auto method_not_allowed = [&](const char* use) {
    respond(error_response(req, http::status::method_not_allowed, "method_not_allowed", std::string("use ") + use));
  };
  if (rest == "/versions" || rest == "/live" || rest == "/audit") {
    if (!get) return method_not_allowed("GET");
    return respond(answer(req, rest == "/versions" ? admin.versions() : rest == "/live" ? admin.live_answer() : admin.audit()));
  }
  if (rest.starts_with("/versions/")) {
    if (!get) return method_not_allowed("GET");
    auto v = version_number(rest.substr(10));
    if (!v) return respond(error_response(req, http::status::not_found, "not_found", "versions are numbered 1, 2, ..."));
    return respond(answer(req, admin.version(*v)));
  }
  if (rest == "/validate" || rest == "/test" || rest == "/preview" || rest == "/publish" || rest == "/rollback") {
    if (req.method() != http::verb::post) return method_not_allowed("POST");
    return post(req, admin, who, respond, rest.substr(1));
  }
  respond(error_response(req, http::status::not_found, "not_found", "no such route"));
}

}  // namespace tact::gateway
