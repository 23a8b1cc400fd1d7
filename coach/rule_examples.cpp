#include "rule_examples.hpp"

#include <algorithm>
#include <map>

#include "annotator.hpp"
#include "normalize.hpp"

namespace tact::coach {
namespace {

bool fires(const Annotation& a, const std::string& id) {
  return std::find(a.rules.begin(), a.rules.end(), id) != a.rules.end();
}

}  // namespace

std::vector<ExampleResult> run_examples(const RuleSet& rules) {
  std::vector<ExampleResult> out;
  for (const auto& cr : rules.rules()) {
    const Rule& r = *cr.rule;
    for (const auto& text : r.must_match)
      out.push_back({r.id, text, true, fires(annotate(rules, r.role, text), r.id)});
    for (const auto& text : r.must_not_match)
      out.push_back({r.id, text, false, !fires(annotate(rules, r.role, text), r.id)});
  }
  return out;
}

std::vector<LintFinding> lint(const RuleSet& rules) {
  std::vector<LintFinding> out;
  // Every example of the pack, normalized, by role: a pattern none of them matches is dead weight
  // or a typo.
  std::map<Role, std::vector<std::string>> texts;
  for (const auto& cr : rules.rules()) {
    for (const auto& t : cr.rule->must_match) texts[cr.rule->role].push_back(normalize(t).text);
    for (const auto& t : cr.rule->must_not_match) texts[cr.rule->role].push_back(normalize(t).text);
  }
  std::map<std::pair<Role, std::string>, std::string> pattern_owner;
  for (const auto& cr : rules.rules()) {
    const Rule& r = *cr.rule;
    for (std::size_t i = 0; i < cr.patterns.size(); ++i) {
      const auto field = "patterns[" + std::to_string(i) + "]";
      const auto& ts = texts[r.role];
      if (std::none_of(ts.begin(), ts.end(), [&](const std::string& t) { return RE2::PartialMatch(t, *cr.patterns[i]); }))
        out.push_back({r.id, field, "no example in the pack matches this pattern: add one, or remove the pattern"});
      auto [it, fresh] = pattern_owner.emplace(std::make_pair(r.role, r.patterns[i]), r.id);
      if (!fresh) out.push_back({r.id, field, "the same pattern is already in rule \"" + it->second + "\""});
    }
    std::vector<std::string> seen;
    for (const auto* list : {&r.must_match, &r.must_not_match})
      for (const auto& t : *list) {
        if (std::find(seen.begin(), seen.end(), t) != seen.end())
          out.push_back({r.id, "examples", "the example \"" + t + "\" appears twice"});
        seen.push_back(t);
      }
  }
  return out;
}

}  // namespace tact::coach
