#include "insights.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <map>

namespace tact::coach {
namespace {

using nlohmann::json;

constexpr std::int64_t kDayMs = 86400000;

// Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian, UTC).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned mp = m > 2 ? m - 3 : m + 9;
  const unsigned doy = (153 * mp + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

struct Stats {
  std::int64_t conversations = 0;
  std::map<std::string, std::int64_t> per_day;
  std::vector<std::int64_t> first_responses;
  double health_sum = 0;
  std::int64_t health_n = 0;
  std::map<std::string, std::map<std::string, std::int64_t>> steps;  // step -> status -> n
  std::vector<std::string> step_order;
  std::map<std::string, std::int64_t> outcomes;
  std::map<std::string, std::int64_t> flags;
  std::map<std::string, std::int64_t> causes;
  std::map<std::string, std::string> cause_labels;
  std::map<std::string, std::map<std::string, std::int64_t>> cause_days;
  std::array<std::int64_t, 5> ratings{};
  std::int64_t rating_sum = 0, rating_n = 0;

  void add(const ReviewRow& row) {
    const auto& r = row.review;
    const auto day = utc_day(row.closed_at);
    ++conversations;
    ++per_day[day];
    if (auto it = r.find("first_response_ms"); it != r.end() && it->is_number_integer()) first_responses.push_back(it->get<std::int64_t>());
    if (auto h = r.find("health"); h != r.end() && h->is_object())
      if (auto f = h->find("final"); f != h->end() && f->is_number()) {
        health_sum += f->get<double>();
        ++health_n;
      }
    if (auto s = r.find("steps"); s != r.end() && s->is_array())
      for (const auto& step : *s) {
        if (!step.is_object() || !step.contains("step") || !step["step"].is_string() || !step.contains("status") || !step["status"].is_string()) continue;
        const auto name = step["step"].get<std::string>();
        if (!steps.count(name)) step_order.push_back(name);
        ++steps[name][step["status"].get<std::string>()];
      }
    if (auto o = r.find("outcome"); o != r.end() && o->is_object() && o->contains("result") && (*o)["result"].is_string())
      ++outcomes[(*o)["result"].get<std::string>()];
    if (auto fl = r.find("flags"); fl != r.end() && fl->is_array())
      for (const auto& f : *fl)
        if (f.is_object() && f.contains("kind") && f["kind"].is_string()) ++flags[f["kind"].get<std::string>()];
    if (auto c = r.find("root_cause"); c != r.end() && c->is_object() && c->contains("id") && (*c)["id"].is_string()) {
      const auto id = (*c)["id"].get<std::string>();
      ++causes[id];
      ++cause_days[id][day];
      if (c->contains("label") && (*c)["label"].is_string()) cause_labels[id] = (*c)["label"].get<std::string>();
    }
    if (row.rating && row.rating->score >= 1 && row.rating->score <= 5) {
      ++ratings[static_cast<std::size_t>(row.rating->score - 1)];
      rating_sum += row.rating->score;
      ++rating_n;
    }
  }

  json to_json() const {
    json out;
    out["conversations"] = conversations;
    out["per_day"] = per_day;
    auto responses = first_responses;
    if (responses.empty()) {
      out["median_first_response_ms"] = nullptr;
    } else {
      std::sort(responses.begin(), responses.end());
      const auto n = responses.size();
      out["median_first_response_ms"] = n % 2 ? responses[n / 2] : (responses[n / 2 - 1] + responses[n / 2]) / 2;
    }
    out["average_final_health"] = health_n ? json(health_sum / static_cast<double>(health_n)) : json(nullptr);
    json step_json = json::object();
    for (const auto& name : step_order) {
      const auto& by = steps.at(name);
      auto count = [&](const char* status) {
        auto it = by.find(status);
        return it == by.end() ? std::int64_t{0} : it->second;
      };
      const auto total = count("done") + count("missed") + count("spoiled");
      step_json[name] = {{"done", count("done")}, {"missed", count("missed")}, {"spoiled", count("spoiled")},
                         {"rate", total ? static_cast<double>(count("done")) / static_cast<double>(total) : 0.0}};
    }
    out["steps"] = std::move(step_json);
    out["outcomes"] = outcomes;
    auto top = [](const std::map<std::string, std::int64_t>& m, std::size_t limit) {
      std::vector<std::pair<std::string, std::int64_t>> v(m.begin(), m.end());
      std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
      if (v.size() > limit) v.resize(limit);
      return v;
    };
    json flag_json = json::array();
    for (const auto& [kind, n] : top(flags, kTopFlags)) flag_json.push_back({{"kind", kind}, {"count", n}});
    out["top_flags"] = std::move(flag_json);
    json cause_json = json::array();
    for (const auto& [id, n] : top(causes, causes.size())) {
      auto label = cause_labels.find(id);
      cause_json.push_back({{"id", id}, {"label", label == cause_labels.end() ? id : label->second}, {"count", n}, {"per_day", cause_days.at(id)}});
    }
    out["top_causes"] = std::move(cause_json);
    json dist = json::object();
    for (std::size_t i = 0; i < ratings.size(); ++i) dist[std::to_string(i + 1)] = ratings[i];
    out["ratings"] = {{"count", rating_n},
                      {"mean", rating_n ? json(static_cast<double>(rating_sum) / static_cast<double>(rating_n)) : json(nullptr)},
                      {"distribution", std::move(dist)}};
    return out;
  }
};

}  // namespace

std::string utc_day(std::int64_t ms) {
  std::int64_t z = (ms >= 0 ? ms / kDayMs : (ms - kDayMs + 1) / kDayMs) + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = static_cast<std::int64_t>(yoe) + era * 400 + (m <= 2);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(y), m, d);
  return buf;
}

std::optional<std::int64_t> parse_time_bound(std::string_view text, bool end_of_day) {
  if (text.empty() || text.size() > 20) return std::nullopt;
  const bool digits = text.find_first_not_of("0123456789") == std::string_view::npos;
  if (digits) {
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || p != text.data() + text.size()) return std::nullopt;
    return v;
  }
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  int y = 0;
  unsigned m = 0, d = 0;
  auto num = [&](std::size_t at, std::size_t n, auto& out) {
    auto [p, ec] = std::from_chars(text.data() + at, text.data() + at + n, out);
    return ec == std::errc() && p == text.data() + at + n;
  };
  if (!num(0, 4, y) || !num(5, 2, m) || !num(8, 2, d) || y < 1970 || m < 1 || m > 12 || d < 1) return std::nullopt;
  static constexpr unsigned kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > kDays[m - 1] || (m == 2 && d == 29 && !leap)) return std::nullopt;
  const auto day = days_from_civil(y, m, d) + (end_of_day ? 1 : 0);
  return day * kDayMs;
}

namespace {

const json& field(const json& j, const char* key) {
  static const json none;
  auto it = j.is_object() ? j.find(key) : j.end();
  return it != j.end() ? *it : none;
}

// The range's latest reviews, newest first: what a supervisor opens to read one and write a lesson.
json recent(const std::vector<ReviewRow>& rows, std::int64_t from, std::int64_t to) {
  std::vector<const ReviewRow*> in;
  for (const auto& row : rows)
    if (row.closed_at >= from && row.closed_at < to) in.push_back(&row);
  std::stable_sort(in.begin(), in.end(), [](const ReviewRow* a, const ReviewRow* b) { return a->closed_at > b->closed_at; });
  json out = json::array();
  for (std::size_t i = 0; i < in.size() && i < kRecentReviews; ++i) {
    const auto& row = *in[i];
    const auto& cause = field(row.review, "root_cause");
    out.push_back({{"conversation", row.conversation},
                   {"agent", row.agent},
                   {"closed_at", row.closed_at},
                   {"cause", {{"id", field(cause, "id")}, {"label", field(cause, "label")}}},
                   {"outcome", field(field(row.review, "outcome"), "result")},
                   {"final_health", field(field(row.review, "health"), "final")},
                   {"rating", row.rating ? json(row.rating->score) : json(nullptr)}});
  }
  return out;
}

}  // namespace

nlohmann::json insights(const std::vector<ReviewRow>& rows, std::int64_t from, std::int64_t to) {
  Stats team;
  std::map<std::string, Stats> agents;
  for (const auto& row : rows) {
    if (row.closed_at < from || row.closed_at >= to) continue;
    team.add(row);
    agents[row.agent].add(row);
  }
  json agent_json = json::array();
  for (const auto& [agent, stats] : agents) {
    auto j = stats.to_json();
    j["agent"] = agent;
    agent_json.push_back(std::move(j));
  }
  return json{{"from", from}, {"to", to}, {"team", team.to_json()}, {"agents", std::move(agent_json)}, {"recent", recent(rows, from, to)}};
}

}  // namespace tact::coach
