#include "rule_set.hpp"
#include "template_check.hpp"

#include "re2_options.hpp"

namespace tact::coach {
namespace {

// For "missing )", RE2 names the whole pattern; point at the group that is never closed instead.
std::optional<int> unclosed_paren(const std::string& p) {
  std::vector<int> open;
  bool in_class = false;
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (p[i] == '\\') {
      ++i;
    } else if (in_class) {
      in_class = p[i] != ']';
    } else if (p[i] == '[') {
      in_class = true;
    } else if (p[i] == '(') {
      open.push_back(static_cast<int>(i));
    } else if (p[i] == ')' && !open.empty()) {
      open.pop_back();
    }
  }
  if (open.empty()) return std::nullopt;
  return open.back();
}

// Compiles the expanded regex; positions in problems refer to the pattern as written when it has
// no lexicon reference (they are the same text), else they are left out.
std::unique_ptr<RE2> compile_one(const Rule& rule, const std::string& source, const std::string& regex,
                                 const std::string& field, const CompileLimits& limits, std::vector<Problem>& problems) {
  auto re = std::make_unique<RE2>(regex, regex_options(rule.case_sensitive, limits.regex_max_mem));
  if (re->error_code() == RE2::ErrorPatternTooLarge) {
    problems.push_back({rule.id, field,
                        "the pattern compiles to more than its memory allows (" + std::to_string(limits.regex_max_mem) +
                            " bytes per pattern): repeat counts such as {300} of a class like \\pL multiply its size; simplify it",
                        std::nullopt});
    return nullptr;
  }
  if (!re->ok()) {
    std::optional<int> position;
    if (re->error_code() == RE2::ErrorMissingParen) {
      position = unclosed_paren(source);
    } else if (auto at = source.find(re->error_arg()); !re->error_arg().empty() && at != std::string::npos) {
      position = static_cast<int>(at);
    }
    problems.push_back({rule.id, field, "invalid regular expression: " + re->error(), position});
    return nullptr;
  }
  return re;
}

// The form a rule's pattern takes inside its role's set, which is case-sensitive as a whole.
std::string set_form(const Rule& rule, const std::string& pattern) {
  return rule.case_sensitive ? "(?:" + pattern + ")" : "(?i:" + pattern + ")";
}

std::string alternation(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : "|") + RE2::QuoteMeta(w);
  return out;
}

}  // namespace

std::size_t RuleSet::pattern_count() const {
  std::size_t n = 0;
  for (const auto* idx : {&customer_, &agent_})
    for (const auto& s : idx->scopes) n += s.entries.size();
  return n;
}

CompileResult compile(const nlohmann::json& pack_json, const CompileLimits& limits) {
  CompileResult result;
  auto parsed = parse_rule_pack(pack_json, limits.pack);
  result.problems = std::move(parsed.problems);
  // Regexes are still compiled when other fields are wrong, so that every problem is reported at once.

  std::shared_ptr<RuleSet> set(new RuleSet());
  set->pack_ = std::move(parsed.pack);
  for (auto* idx : {&set->customer_, &set->agent_})
    for (auto& s : idx->scopes) s.set = std::make_unique<RE2::Set>(regex_options(true, limits.set_max_mem), RE2::UNANCHORED);
  const auto& rules = set->pack_.rules;
  // Every pattern's own RE2 counts against the pack's budget (--rules-memory) beside the sets, so
  // many mid-sized patterns cannot add up to gigabytes. Counted by program size, which is fixed
  // once compiled (the DFA caches are bounded by each object's max_mem).
  std::int64_t program_bytes = 0;
  bool over_budget = false;
  for (std::uint32_t ri = 0; ri < rules.size() && !over_budget; ++ri) {
    const Rule& rule = rules[ri];
    RuleSet::CompiledRule compiled{&rule, {}, {}};
    auto& role_idx = rule.role == Role::customer ? set->customer_ : set->agent_;
    auto& idx = role_idx.scopes[static_cast<std::size_t>(rule.scope)];
    auto add = [&](const std::string& source, const std::string& regex, const std::string& field,
                   RuleSet::SetEntry entry) -> std::unique_ptr<RE2> {
      if (over_budget) return nullptr;
      auto re = compile_one(rule, source, regex, field, limits, result.problems);
      if (!re) return nullptr;
      program_bytes += static_cast<std::int64_t>(re->ProgramSize()) * kBytesPerInstruction;
      if (program_bytes > limits.programs_max_mem) {
        result.problems.push_back({rule.id, field, "the patterns so far compile to more than the rules' memory budget of " +
                                                       std::to_string(limits.programs_max_mem) + " bytes; remove or simplify patterns", {}});
        over_budget = true;  // stop compiling: the rest would only cost more time
        return nullptr;
      }
      std::string error;
      if (idx.set->Add(set_form(rule, regex), &error) < 0) {
        result.problems.push_back({rule.id, field, "cannot be added to the rule set: " + error, {}});
        return nullptr;
      }
      idx.entries.push_back(entry);
      return re;
    };
    for (std::uint32_t pi = 0; pi < rule.patterns.size(); ++pi) {
      const auto& p = rule.patterns[pi];
      const auto f = "patterns[" + std::to_string(pi) + "]";
      RuleSet::CompiledPattern cp;
      cp.negatable = p.negatable;
      role_idx.negatable = role_idx.negatable || p.negatable;
      cp.re = add(p.source, p.regex, f, {ri, pi, 0, RuleSet::EntryKind::pattern});
      for (std::uint32_t vi = 0; vi < p.unless.size(); ++vi)
        cp.unless.push_back(add(p.unless_source[vi], p.unless[vi], f + ".unless[" + std::to_string(vi) + "]",
                                {ri, pi, vi, RuleSet::EntryKind::pattern_veto}));
      compiled.patterns.push_back(std::move(cp));
    }
    for (std::uint32_t vi = 0; vi < rule.unless.size(); ++vi)
      compiled.unless.push_back(add(rule.unless_source[vi], rule.unless[vi], "unless[" + std::to_string(vi) + "]",
                                    {ri, vi, 0, RuleSet::EntryKind::rule_veto}));
    set->rules_.push_back(std::move(compiled));
  }
  const auto& neg = set->pack_.negation;
  if (!neg.negators.empty()) {
    // Exceptions first: where "no problem" starts, it wins over "no" and leaves group 1 empty.
    std::string re = "\\b(?:";
    if (!neg.except.empty()) re += "(?:" + alternation(neg.except) + ")|";
    re += "(" + alternation(neg.negators) + "))\\b";
    set->negator_ = std::make_unique<RE2>(re, regex_options(false, limits.regex_max_mem));
    if (!set->negator_->ok())
      result.problems.push_back({"", "negation", "cannot be compiled: " + set->negator_->error(), {}});
    if (!neg.after.empty()) {
      set->negator_after_ = std::make_unique<RE2>("\\b(?:" + alternation(neg.after) + ")\\b",
                                                  regex_options(false, limits.regex_max_mem));
      if (!set->negator_after_->ok())
        result.problems.push_back({"", "negation.after", "cannot be compiled: " + set->negator_after_->error(), {}});
    }
  }
  set->redactor_ = compile_redactor(set->pack_.redact, limits.regex_max_mem, result.problems);
  set->causes_ = compile_causes(set->pack_.causes, set->pack_.lexicons, limits.regex_max_mem, result.problems);
  if (!result.problems.empty()) return result;
  for (auto* role_idx : {&set->customer_, &set->agent_})
    for (auto& idx : role_idx->scopes) {
      // An empty RE2::Set refuses to compile; a scope with no rules simply never matches.
      if (idx.entries.empty()) {
        idx.set.reset();
        continue;
      }
      if (!idx.set->Compile()) {
        result.problems.push_back({"", "rules", "the patterns together exceed the rule set's memory budget of " +
                                                    std::to_string(limits.set_max_mem) + " bytes; remove or simplify patterns", {}});
        return result;
      }
    }
  // A suggestion that would not count for its step is refused like a rule that fails its examples.
  if (auto problems = check_templates(*set); !problems.empty()) {
    result.problems = std::move(problems);
    return result;
  }
  result.rules = std::move(set);
  return result;
}

}  // namespace tact::coach
