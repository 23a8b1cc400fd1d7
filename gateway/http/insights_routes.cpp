// GET /api/insights?from=&to=&agent= (docs/protocol.md, "After the close"): the range is read
// here (time_range.hpp); who may ask is relay/access.hpp's (decide_insights), the numbers
// coach/insights.hpp's.
#include "http/responses.hpp"
#include "http/route_table.hpp"
#include "http/time_range.hpp"

namespace tact::gateway {

void get_insights(const RouteCall& c) {
  const auto agent = query_param(c.req, "agent").value_or("");
  if (agent.size() > 256)
    return c.respond(error_response(c.req, http::status::bad_request, "bad_field", "\"agent\" is at most 256 bytes (an agent's sub)"));
  // Without a range: the last 30 days up to now.
  const auto range = read_time_range(c, 30);
  if (!range) return;
  const auto r = c.ctx.relay.insights(*c.who, range->from, range->to, agent);
  c.respond(json_response(c.req, static_cast<http::status>(r.status), r.body));
}

}  // namespace tact::gateway
