// /api/conversations: the HTTP API of a host platform that keeps its own chat (docs/protocol.md,
// "HTTP"). The route table has checked the caller's role; which conversation they may touch is
// relay/access.hpp's, inside the relay.
#include <cctype>

#include "http/responses.hpp"
#include "http/route_table.hpp"
#include "protocol/json_limits.hpp"

namespace tact::gateway {
namespace {

using nlohmann::json;

bool valid_id(std::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == ':' || c == '-')) return false;
  return true;
}

// An "at" of a body: ms since the epoch, between 1970 and 9999 (the coach subtracts and formats
// times, which must not overflow); nullopt otherwise.
std::optional<std::int64_t> time_of(const json& at) {
  constexpr std::int64_t kMaxAt = 253402300799999;
  const bool in_range = at.is_number_unsigned() ? at.get<std::uint64_t>() <= static_cast<std::uint64_t>(kMaxAt)
                                                : at.is_number_integer() && at.get<std::int64_t>() >= 0;
  if (!in_range) return std::nullopt;
  return at.get<std::int64_t>();
}

}  // namespace

Response result_response(const Request& req, const EventResult& r) {
  return json_response(req, static_cast<http::status>(r.status), r.body);
}

// The conversation id of the path (percent-decoded: browsers encode the ':' of host ids such as
// "chatwoot:support:42"), or the 404 already sent.
std::optional<std::string> conversation_id(const RouteCall& c) {
  if (auto id = percent_decode(c.param); id && valid_id(*id)) return id;
  c.respond(error_response(c.req, http::status::not_found, "not_found", "no such conversation"));
  return std::nullopt;
}

Request response_head(const Request& req) {
  Request head;
  head.version(req.version());
  head.keep_alive(req.keep_alive());
  return head;
}

void list_conversations(const RouteCall& c) { c.respond(json_response(c.req, http::status::ok, c.ctx.relay.list(*c.who))); }

// ?after=SEQ: only the messages after that one, what a client that reconnects (to any node) missed.
void get_conversation(const RouteCall& c) {
  auto id = conversation_id(c);
  if (!id) return;
  std::int64_t after = 0;
  if (auto a = query_param(c.req, "after")) {
    const bool digits = !a->empty() && a->size() <= 15 && a->find_first_not_of("0123456789") == std::string::npos;
    if (!digits)
      return c.respond(error_response(c.req, http::status::bad_request, "bad_field",
                                      "?after= must be the seq of the last message you have, a whole number (0 for all)"));
    after = std::stoll(*a);
  }
  c.respond(result_response(c.req, c.ctx.relay.transcript(*c.who, *id, after)));
}

void get_conversation_review(const RouteCall& c) {
  if (auto id = conversation_id(c)) c.respond(result_response(c.req, c.ctx.relay.review(*c.who, *id)));
}

// An optional body {"at": ms}: when the host platform closed it (a replay of past chats closes
// each at its end); now without one.
void close_conversation(const RouteCall& c) {
  auto id = conversation_id(c);
  if (!id) return;
  std::optional<std::int64_t> at;
  if (!c.req.body().empty()) {
    const auto body = parse_untrusted(c.req.body());
    const auto given = body.is_object() && body.contains("at") ? time_of(body["at"]) : std::nullopt;
    if (!body.is_object() || (body.contains("at") && !given))
      return c.respond(error_response(c.req, http::status::bad_request, "bad_field",
                                      "the body is optional; when given it is {\"at\": ms since the epoch (1970..9999)}"));
    at = given;
  }
  c.respond(result_response(c.req, c.ctx.relay.close_api(*c.who, *id, at)));
}

void post_conversation_event(const RouteCall& c) {
  auto id = conversation_id(c);
  if (!id) return;
  const auto& req = c.req;
  auto bad = [&](const char* code, const std::string& message) {
    c.respond(error_response(req, http::status::bad_request, code, message));
  };
  auto body = parse_untrusted(req.body());
  if (!body.is_object()) return bad("bad_json", "the body must be a JSON object, nested at most " + std::to_string(kMaxJsonDepth) + " deep");
  std::string name;
  if (auto name_it = body.find("name"); name_it != body.end()) {
    if (!name_it->is_string() || name_it->get_ref<const std::string&>().size() > 256)
      return bad("bad_field", "\"name\" must be a string of at most 256 bytes");
    name = name_it->get<std::string>();
  }
  auto role_it = body.find("role");
  auto text_it = body.find("text");
  if (role_it == body.end() || text_it == body.end()) return bad("missing_field", "\"role\" and \"text\" are required");
  auto role = role_it->is_string() ? coach::parse_role(role_it->get<std::string>()) : std::nullopt;
  if (!role) return bad("bad_field", "\"role\" must be \"customer\" or \"agent\"");
  if (!text_it->is_string() || text_it->get_ref<const std::string&>().empty()) return bad("bad_field", "\"text\" must be a non-empty string");
  if (text_it->get_ref<const std::string&>().find('\0') != std::string::npos || name.find('\0') != std::string::npos)
    return bad("bad_field", "\"text\" and \"name\" must not contain U+0000 (NUL); remove it and send again");
  // The host's id of this message: a resend (after a timeout, to another node) is answered with
  // the stored one and "duplicate": true, not stored twice.
  std::string client_id;
  if (auto cid = body.find("client_id"); cid != body.end()) {
    if (!cid->is_string() || cid->get_ref<const std::string&>().empty() || cid->get_ref<const std::string&>().size() > 128 ||
        cid->get_ref<const std::string&>().find('\0') != std::string::npos)
      return bad("bad_field", "\"client_id\" must be a string of 1 to 128 bytes without U+0000");
    client_id = cid->get<std::string>();
  }
  std::int64_t at = c.ctx.now_ms();
  if (auto at_it = body.find("at"); at_it != body.end()) {
    auto given = time_of(*at_it);
    if (!given) return bad("bad_field", "\"at\" must be ms since the epoch (1970..9999)");
    at = *given;
  }
  // Only what the answer needs is captured: the request may be gone when it is stored.
  const auto head = response_head(req);
  PostedEvent event{*role, text_it->get<std::string>(), at, std::move(name), {}, std::move(client_id), {}};
  c.ctx.relay.post_event(*c.who, *id, std::move(event), [head, respond = c.respond](EventResult r) { respond(result_response(head, r)); });
}

}  // namespace tact::gateway
