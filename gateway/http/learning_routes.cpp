// The learning loop's routes (docs/protocol.md, "Lessons and feedback on the coach"): the team's
// lessons and the coach's numbers by its users' say. The route table has checked the caller's
// role; the relay (relay_learning.cpp) does the rest.
#include "http/responses.hpp"
#include "http/route_table.hpp"
#include "http/time_range.hpp"
#include "protocol/json_limits.hpp"

namespace tact::gateway {
namespace {

// A cause id as the pack writes them: [a-z_], at most 32 bytes.
bool valid_cause(std::string_view s) {
  if (s.empty() || s.size() > 32) return false;
  for (char ch : s)
    if (!((ch >= 'a' && ch <= 'z') || ch == '_')) return false;
  return true;
}

}  // namespace

// {"text": "...", "cause": "delivery"?}: the cause defaults to the review's root cause.
void post_conversation_lesson(const RouteCall& c) {
  auto id = conversation_id(c);
  if (!id) return;
  auto bad = [&](const std::string& message) { c.respond(error_response(c.req, http::status::bad_request, "bad_field", message)); };
  const auto body = parse_untrusted(c.req.body());
  if (!body.is_object())
    return c.respond(error_response(c.req, http::status::bad_request, "bad_json",
                                    "the body must be a JSON object, nested at most " + std::to_string(kMaxJsonDepth) +
                                        " deep: {\"text\": \"the lesson\", \"cause\": \"delivery\" (optional)}"));
  auto text = body.find("text");
  if (text == body.end() || !text->is_string()) return bad("\"text\" is required: the lesson, as a string");
  std::optional<std::string> cause;
  if (auto it = body.find("cause"); it != body.end() && !it->is_null()) {
    if (!it->is_string() || !valid_cause(it->get_ref<const std::string&>()))
      return bad("\"cause\" is a cause id of the rules, such as delivery (lower-case letters and _), or leave it out for the review's");
    cause = it->get<std::string>();
  }
  c.ctx.relay.add_lesson(*c.who, *id, text->get<std::string>(), std::move(cause),
                         [head = response_head(c.req), respond = c.respond](EventResult r) { respond(result_response(head, r)); });
}

void get_lessons(const RouteCall& c) {
  const auto cause = query_param(c.req, "cause").value_or("");
  if (!cause.empty() && !valid_cause(cause))
    return c.respond(error_response(c.req, http::status::bad_request, "bad_field",
                                    "\"cause\" is a cause id of the rules, such as delivery (lower-case letters and _)"));
  c.respond(result_response(c.req, c.ctx.relay.lessons(cause)));
}

void delete_lesson(const RouteCall& c) {
  const auto id = percent_decode(c.param).value_or("");
  c.ctx.relay.delete_lesson(id, [head = response_head(c.req), respond = c.respond](EventResult r) { respond(result_response(head, r)); });
}

void get_rule_stats(const RouteCall& c) {
  // Without a range: the last 90 days up to now.
  const auto range = read_time_range(c, 90);
  if (!range) return;
  c.respond(result_response(c.req, c.ctx.relay.rule_stats(range->from, range->to)));
}

}  // namespace tact::gateway
