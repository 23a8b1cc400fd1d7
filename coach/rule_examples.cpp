#include "rule_examples.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "annotator.hpp"
#include "lexicon.hpp"
#include "normalize.hpp"

namespace tact::coach {
namespace {

bool fires(const Annotation& a, const std::string& id) {
  return std::find(a.rules.begin(), a.rules.end(), id) != a.rules.end();
}

RE2::Options lint_options(bool case_sensitive) {
  RE2::Options o;
  o.set_log_errors(false);
  o.set_case_sensitive(case_sensitive);
  return o;
}

bool any_match(const std::vector<std::string>& texts, const RE2& re) {
  return std::any_of(texts.begin(), texts.end(), [&](const std::string& t) { return RE2::PartialMatch(t, re); });
}

}  // namespace

std::vector<ExampleResult> run_examples(const RuleSet& rules) {
  std::vector<ExampleResult> out;
  auto run = [&](const std::string& id, Role role, const std::vector<std::string>& match,
                 const std::vector<std::string>& no_match) {
    for (const auto& text : match) out.push_back({id, text, true, fires(annotate(rules, role, text), id)});
    for (const auto& text : no_match) out.push_back({id, text, false, !fires(annotate(rules, role, text), id)});
  };
  for (const auto& cr : rules.rules()) run(cr.rule->id, cr.rule->role, cr.rule->must_match, cr.rule->must_not_match);
  for (const auto& imp : rules.pack().implies) run(imp.id, imp.role, imp.must_match, imp.must_not_match);
  // Causes: a customer message the cause must (not) be found in.
  const auto shows = [&](const std::string& id, const std::string& text) {
    const auto found = rules.causes().match(text);
    return std::find(found.begin(), found.end(), id) != found.end();
  };
  for (const auto& c : rules.causes().causes()) {
    const auto id = std::string(kCauseExamplePrefix) + c.spec.id;
    for (const auto& text : c.spec.must_match) out.push_back({id, text, true, shows(c.spec.id, text)});
    for (const auto& text : c.spec.must_not_match) out.push_back({id, text, false, !shows(c.spec.id, text)});
  }
  return out;
}

std::vector<LintFinding> lint(const RuleSet& rules) {
  std::vector<LintFinding> out;
  const auto& pack = rules.pack();
  // Every example of the pack, normalized, by role: a pattern none of them matches is dead weight
  // or a typo.
  std::map<Role, std::vector<std::string>> texts;
  for (const auto& cr : rules.rules()) {
    for (const auto& t : cr.rule->must_match) texts[cr.rule->role].push_back(normalize(t).text);
    for (const auto& t : cr.rule->must_not_match) texts[cr.rule->role].push_back(normalize(t).text);
  }
  for (const auto& imp : pack.implies) {
    for (const auto& t : imp.must_match) texts[imp.role].push_back(normalize(t).text);
    for (const auto& t : imp.must_not_match) texts[imp.role].push_back(normalize(t).text);
  }
  std::map<std::pair<Role, std::string>, std::string> pattern_owner;
  // lexicon -> entries some example exercises; and which lexicons any pattern uses.
  std::map<std::string, std::set<std::string>, std::less<>> exercised;
  for (const auto& cr : rules.rules()) {
    const Rule& r = *cr.rule;
    const auto& ts = texts[r.role];
    // Every pattern and veto as written, with its field name.
    std::vector<std::pair<std::string, std::string>> sources;
    for (std::size_t i = 0; i < r.patterns.size(); ++i) {
      const auto field = "patterns[" + std::to_string(i) + "]";
      sources.push_back({field, r.patterns[i].source});
      for (std::size_t v = 0; v < r.patterns[i].unless_source.size(); ++v)
        sources.push_back({field + ".unless[" + std::to_string(v) + "]", r.patterns[i].unless_source[v]});
      if (i < cr.patterns.size() && cr.patterns[i].re && !any_match(ts, *cr.patterns[i].re))
        out.push_back({r.id, field, "no example in the pack matches this pattern: add one, or remove the pattern"});
      auto [it, fresh] = pattern_owner.emplace(std::make_pair(r.role, r.patterns[i].source), r.id);
      if (!fresh) out.push_back({r.id, field, "the same pattern is already in rule \"" + it->second + "\""});
    }
    for (std::size_t v = 0; v < r.unless_source.size(); ++v)
      sources.push_back({"unless[" + std::to_string(v) + "]", r.unless_source[v]});
    for (const auto& [field, source] : sources)
      for (const auto& name : lexicon_refs(source)) {
        auto& seen = exercised[name];
        const auto lex = pack.lexicons.words.find(name);
        if (lex == pack.lexicons.words.end()) continue;
        for (const auto& word : lex->second) {
          if (seen.count(word)) continue;
          RE2 re(expand_lexicons(source, pack.lexicons, name, word).regex, lint_options(r.case_sensitive));
          if (re.ok() && any_match(ts, re)) seen.insert(word);
        }
      }
    std::vector<std::string> seen;
    for (const auto* list : {&r.must_match, &r.must_not_match})
      for (const auto& t : *list) {
        if (std::find(seen.begin(), seen.end(), t) != seen.end())
          out.push_back({r.id, "examples", "the example \"" + t + "\" appears twice"});
        seen.push_back(t);
      }
  }
  for (const auto& [name, words] : pack.lexicons.words) {
    auto used = exercised.find(name);
    if (used == exercised.end()) {
      out.push_back({"", "lexicons." + name, "no pattern or veto uses {" + name + "}: use it, or remove it"});
      continue;
    }
    for (std::size_t i = 0; i < words.size(); ++i)
      if (!used->second.count(words[i]))
        out.push_back({"", "lexicons." + name + "[" + std::to_string(i) + "]",
                       "no example exercises \"" + words[i] + "\" in a pattern that uses {" + name + "}: add one"});
  }
  return out;
}

}  // namespace tact::coach
