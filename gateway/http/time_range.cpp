#include "http/time_range.hpp"

#include <string>

#include "http/responses.hpp"
#include "insights.hpp"

namespace tact::gateway {

std::optional<TimeRange> read_time_range(const RouteCall& c, std::int64_t default_days) {
  constexpr std::int64_t kDayMs = 86400000;
  auto bad = [&](const std::string& message) {
    c.respond(error_response(c.req, http::status::bad_request, "bad_field", message));
    return std::nullopt;
  };
  const auto from_text = query_param(c.req, "from");
  const auto to_text = query_param(c.req, "to");
  TimeRange r;
  r.to = c.ctx.now_ms() + 1;
  if (to_text) {
    auto t = coach::parse_time_bound(*to_text, true);
    if (!t) return bad("\"to\" must be an ISO date such as 2026-12-01 (that whole day is included) or ms since the epoch");
    r.to = *t;
  }
  r.from = r.to - default_days * kDayMs;
  if (from_text) {
    auto f = coach::parse_time_bound(*from_text, false);
    if (!f) return bad("\"from\" must be an ISO date such as 2026-12-01 or ms since the epoch");
    r.from = *f;
  }
  if (r.from >= r.to) return bad("\"from\" must be before \"to\"");
  if (r.to - r.from > kMaxRangeDays * kDayMs)
    return bad("the range is at most " + std::to_string(kMaxRangeDays) + " days; ask for a shorter one");
  return r;
}

}  // namespace tact::gateway
