#include "coach_stats.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace tact::coach {

using nlohmann::json;

namespace {

struct RuleCount {
  std::string kind;
  int shown = 0, disputed = 0;
  std::vector<std::pair<std::int64_t, std::string>> reasons;  // (at, reason)
};

struct TemplateCount {
  std::string step;
  int shown = 0, used = 0, edited = 0;
};

std::string text_of(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

const json& array_of(const json& j, const char* key) {
  static const json empty = json::array();
  auto it = j.find(key);
  return it != j.end() && it->is_array() ? *it : empty;
}

}  // namespace

json coach_stats(const std::vector<CoachShown>& shown, const std::vector<CoachFeedback>& feedback) {
  std::map<std::string, RuleCount> rules;
  std::map<std::string, TemplateCount> templates;
  // What each message showed: (conversation, message) -> flag rules and offered templates.
  std::map<std::pair<std::string, std::string>, std::pair<std::set<std::string>, std::set<std::string>>> seen;
  std::string conversation;
  std::set<std::string> offered_before;  // templates of the previous coach event of this conversation
  for (const auto& s : shown) {
    if (!s.coach.is_object()) continue;
    if (s.conversation != conversation) {
      conversation = s.conversation;
      offered_before.clear();
    }
    auto& here = seen[{s.conversation, s.message_id}];
    for (const auto& f : array_of(s.coach, "flags")) {
      const auto rule = text_of(f, "rule");
      if (rule.empty() || !here.first.insert(rule).second) continue;
      auto& r = rules[rule];
      r.kind = text_of(f, "kind");
      ++r.shown;
    }
    std::set<std::string> offered;
    for (const auto& sug : array_of(s.coach, "suggestions")) {
      const auto id = text_of(sug, "template");
      if (id.empty() || !offered.insert(id).second) continue;
      here.second.insert(id);
      auto& t = templates[id];
      t.step = text_of(sug, "step");
      if (!offered_before.count(id)) ++t.shown;
    }
    offered_before = std::move(offered);
  }
  for (const auto& f : feedback) {
    auto it = seen.find({f.conversation, f.message_id});
    if (it == seen.end()) continue;
    if (f.kind == "dispute" && it->second.first.count(f.target)) {
      auto& r = rules[f.target];
      ++r.disputed;
      if (!f.reason.empty()) r.reasons.emplace_back(f.at, f.reason);
    } else if ((f.kind == "used" || f.kind == "edited") && it->second.second.count(f.target)) {
      auto& t = templates[f.target];
      ++(f.kind == "used" ? t.used : t.edited);
    }
  }
  json out{{"rules", json::array()}, {"templates", json::array()}};
  for (auto& [id, r] : rules) {
    const auto stood = r.shown - r.disputed;
    const json precision = r.shown > 0 ? json(static_cast<double>(stood) / r.shown) : json(nullptr);
    std::sort(r.reasons.begin(), r.reasons.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    json reasons = json::array();
    for (std::size_t i = 0; i < r.reasons.size() && i < kReasonsPerRule; ++i) reasons.push_back(r.reasons[i].second);
    const bool low = r.shown >= kLowPrecisionShown && static_cast<double>(stood) / r.shown < kLowPrecision;
    out["rules"].push_back({{"rule", id}, {"kind", r.kind}, {"shown", r.shown}, {"disputed", r.disputed},
                            {"precision", precision}, {"low", low}, {"reasons", reasons}});
  }
  for (const auto& [id, t] : templates) {
    const int ignored = std::max(0, t.shown - t.used - t.edited);
    out["templates"].push_back(
        {{"template", id}, {"step", t.step}, {"shown", t.shown}, {"used", t.used}, {"edited", t.edited}, {"ignored", ignored}});
  }
  return out;
}

}  // namespace tact::coach
