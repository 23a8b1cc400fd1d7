// GET /api/insights?from=&to=&agent= (docs/protocol.md, "After the close"): the range is read
// here; who may ask is relay/access.hpp's (decide_insights), the numbers coach/insights.hpp's.
#include "http/responses.hpp"
#include "http/route_table.hpp"
#include "insights.hpp"

namespace tact::gateway {
namespace {

constexpr std::int64_t kDayMs = 86400000;
constexpr std::int64_t kMaxRangeDays = 400;

}  // namespace

void get_insights(const RouteCall& c) {
  const auto& req = c.req;
  auto bad = [&](const std::string& message) { c.respond(error_response(req, http::status::bad_request, "bad_field", message)); };
  const auto now = c.ctx.now_ms();
  const auto from_text = query_param(req, "from");
  const auto to_text = query_param(req, "to");
  const auto agent = query_param(req, "agent").value_or("");
  if (agent.size() > 256) return bad("\"agent\" is at most 256 bytes (an agent's sub)");
  // Without a range: the last 30 days up to now.
  std::int64_t to = now + 1;
  if (to_text) {
    auto t = coach::parse_time_bound(*to_text, true);
    if (!t) return bad("\"to\" must be an ISO date such as 2026-12-01 (that whole day is included) or ms since the epoch");
    to = *t;
  }
  std::int64_t from = to - 30 * kDayMs;
  if (from_text) {
    auto f = coach::parse_time_bound(*from_text, false);
    if (!f) return bad("\"from\" must be an ISO date such as 2026-12-01 or ms since the epoch");
    from = *f;
  }
  if (from >= to) return bad("\"from\" must be before \"to\"");
  if (to - from > kMaxRangeDays * kDayMs) return bad("the range is at most " + std::to_string(kMaxRangeDays) + " days; ask for a shorter one");
  const auto r = c.ctx.relay.insights(*c.who, from, to, agent);
  c.respond(json_response(req, static_cast<http::status>(r.status), r.body));
}

}  // namespace tact::gateway
