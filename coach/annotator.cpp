#include "annotator.hpp"

#include <algorithm>

#include "normalize.hpp"

namespace tact::coach {
namespace {

struct RuleHits {
  std::vector<std::uint32_t> patterns;
  bool vetoed = false;
};

// Which set entries match. Falls back to each pattern's own RE2 when the set's DFA is out of memory.
std::vector<int> scan(const RuleSet& rules, const RuleSet::RoleIndex& idx, std::string_view text, bool& fallback) {
  std::vector<int> hits;
  if (!idx.set) return hits;
  RE2::Set::ErrorInfo info{};
  if (idx.set->Match(text, &hits, &info) || info.kind == RE2::Set::kNoError) {
    std::sort(hits.begin(), hits.end());
    return hits;
  }
  fallback = true;
  hits.clear();
  for (std::size_t i = 0; i < idx.entries.size(); ++i) {
    const auto& e = idx.entries[i];
    const auto& cr = rules.rules()[e.rule];
    const RE2& re = e.veto ? *cr.unless[e.pattern] : *cr.patterns[e.pattern];
    if (RE2::PartialMatch(text, re)) hits.push_back(static_cast<int>(i));
  }
  return hits;
}

Annotation run(const RuleSet& rules, Role role, std::string_view text, const NormalizedText* mapping, Spans spans) {
  Annotation out;
  const auto& idx = rules.index(role);
  const auto hits = scan(rules, idx, text, out.scan_fallback);
  // Group the hits by rule, keeping pack order.
  std::vector<std::pair<std::uint32_t, RuleHits>> by_rule;
  for (int h : hits) {
    const auto& e = idx.entries[static_cast<std::size_t>(h)];
    if (by_rule.empty() || by_rule.back().first != e.rule) by_rule.push_back({e.rule, {}});
    auto& rh = by_rule.back().second;
    if (e.veto) rh.vetoed = true;
    else rh.patterns.push_back(e.pattern);
  }
  std::vector<std::string_view> acts;
  for (const auto& [ri, rh] : by_rule) {
    if (rh.vetoed || rh.patterns.empty()) continue;
    const auto& cr = rules.rules()[ri];
    out.rules.push_back(cr.rule->id);
    acts.push_back(cr.rule->act);
    if (spans == Spans::no) continue;
    // One span per fired rule, from its first matching pattern: each span costs a forward and a
    // reverse DFA pass over the text, the main cost of annotating beyond the set scan.
    for (auto pi : rh.patterns) {
      re2::StringPiece m;
      if (!cr.patterns[pi]->Match(text, 0, text.size(), RE2::UNANCHORED, &m, 1) || m.empty()) continue;
      const auto b = static_cast<std::size_t>(m.data() - text.data());
      ByteRange r{static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(b + m.size())};
      if (mapping) r = mapping->to_original(b, b + m.size());
      out.spans.push_back({r.begin, r.end, cr.rule->act, cr.rule->id});
      break;
    }
  }
  for (auto act : acts_of(role))
    if (std::find(acts.begin(), acts.end(), act) != acts.end()) out.acts.emplace_back(act);
  std::sort(out.spans.begin(), out.spans.end(), [](const Span& a, const Span& b) {
    return std::tie(a.begin, a.end, a.rule) < std::tie(b.begin, b.end, b.rule);
  });
  return out;
}

}  // namespace

bool Annotation::has(std::string_view act) const { return std::find(acts.begin(), acts.end(), act) != acts.end(); }

Annotation annotate(const RuleSet& rules, Role role, std::string_view text, Spans spans) {
  const auto n = normalize(text);
  return run(rules, role, n.text, &n, spans);
}

Annotation annotate(const RuleSet& rules, Role role, const NormalizedText& normalized, Spans spans) {
  return run(rules, role, normalized.text, &normalized, spans);
}

Annotation annotate_normalized(const RuleSet& rules, Role role, std::string_view normalized) {
  return run(rules, role, normalized, nullptr, Spans::yes);
}

}  // namespace tact::coach
