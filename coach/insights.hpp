#pragma once
// Team insights (issue 22): stored reviews (review.hpp) aggregated per agent and for the team over
// a time range. Pure: the rows come in, JSON goes out; no clock, no store.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace tact::coach {

struct RatingValue {
  int score = 0;  // 1..5
  std::string comment;
  std::int64_t at = 0;
};

// One closed conversation's stored review.
struct ReviewRow {
  std::string conversation;
  std::string agent;  // sub, "" when none was assigned
  std::int64_t closed_at = 0;
  nlohmann::json review;  // review_json() as stored
  std::optional<RatingValue> rating;
};

// How many flags and causes a "top" list shows.
inline constexpr std::size_t kTopFlags = 5;
// How many of the latest reviews "recent" lists.
inline constexpr std::size_t kRecentReviews = 50;

// {"from","to","team":STATS,"agents":[{"agent", ...STATS}],
//  "recent":[{"conversation","agent","closed_at","cause":{"id","label"},"outcome","final_health","rating"}]}
// (agents sorted by sub; recent: the latest kRecentReviews, newest first), where STATS is
// {"conversations","per_day":{"2026-12-01":n},"median_first_response_ms","average_final_health",
//  "steps":{step:{"done","missed","spoiled","rate"}},"outcomes":{result:n},
//  "top_flags":[{"kind","count"}],"top_causes":[{"id","label","count","per_day":{day:n}}],
//  "ratings":{"count","mean","distribution":{"1".."5":n}}}.
// Medians and averages are null when nothing was measured; `rate` is done / conversations whose
// review lists the step. Rows outside [from, to) by closed_at are left out.
nlohmann::json insights(const std::vector<ReviewRow>& rows, std::int64_t from, std::int64_t to);

// "2026-12-01" (UTC), for the days of per_day.
std::string utc_day(std::int64_t ms);

// A bound of the range as a query gives it: ms since the epoch ("1764547200000"), or an ISO date
// ("2026-12-01", UTC). An ISO date as the end (`end_of_day`) means the end of that day, so
// from=2026-12-01&to=2026-12-01 is that whole day. nullopt when it is neither.
std::optional<std::int64_t> parse_time_bound(std::string_view text, bool end_of_day);

}  // namespace tact::coach
