#pragma once
// ?from=&to= of the learning routes (GET /api/insights, GET /api/rules/stats): ISO dates (UTC; a
// date as `to` means the end of that day) or ms since the epoch (coach::parse_time_bound).
#include <cstdint>
#include <optional>

#include "http/route_table.hpp"

namespace tact::gateway {

struct TimeRange {
  std::int64_t from = 0, to = 0;  // [from, to)
};

inline constexpr std::int64_t kMaxRangeDays = 400;

// The range of the request (without `to`: up to now; without `from`: `default_days` before `to`),
// or nullopt with 400 bad_field already answered.
std::optional<TimeRange> read_time_range(const RouteCall& c, std::int64_t default_days);

}  // namespace tact::gateway
