#include "rule_set.hpp"

namespace tact::coach {
namespace {

RE2::Options regex_options(bool case_sensitive, std::int64_t max_mem) {
  RE2::Options o;
  o.set_log_errors(false);
  o.set_case_sensitive(case_sensitive);
  o.set_max_mem(max_mem);
  return o;
}

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

std::unique_ptr<RE2> compile_one(const Rule& rule, const std::string& pattern, const std::string& field,
                                 const CompileLimits& limits, std::vector<Problem>& problems) {
  auto re = std::make_unique<RE2>(pattern, regex_options(rule.case_sensitive, limits.regex_max_mem));
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
      position = unclosed_paren(pattern);
    } else if (auto at = pattern.find(re->error_arg()); !re->error_arg().empty() && at != std::string::npos) {
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

}  // namespace

CompileResult compile(const nlohmann::json& pack_json, const CompileLimits& limits) {
  CompileResult result;
  auto parsed = parse_rule_pack(pack_json, limits.pack);
  result.problems = std::move(parsed.problems);
  // Regexes are still compiled when other fields are wrong, so that every problem is reported at once.

  std::shared_ptr<RuleSet> set(new RuleSet());
  set->pack_ = std::move(parsed.pack);
  for (auto* idx : {&set->customer_, &set->agent_}) {
    idx->set = std::make_unique<RE2::Set>(regex_options(true, limits.set_max_mem), RE2::UNANCHORED);
  }
  const auto& rules = set->pack_.rules;
  // Every pattern's own RE2 counts against the pack's budget (--rules-memory) beside the sets, so
  // many mid-sized patterns cannot add up to gigabytes. Counted by program size, which is fixed
  // once compiled (the DFA caches are bounded by each object's max_mem).
  std::int64_t program_bytes = 0;
  bool over_budget = false;
  for (std::uint32_t ri = 0; ri < rules.size() && !over_budget; ++ri) {
    const Rule& rule = rules[ri];
    RuleSet::CompiledRule compiled{&rule, {}, {}};
    auto& idx = rule.role == Role::customer ? set->customer_ : set->agent_;
    auto add = [&](const std::vector<std::string>& patterns, const char* field, bool veto,
                   std::vector<std::unique_ptr<RE2>>& into) {
      for (std::uint32_t pi = 0; pi < patterns.size(); ++pi) {
        const auto f = std::string(field) + "[" + std::to_string(pi) + "]";
        if (over_budget) return;
        auto re = compile_one(rule, patterns[pi], f, limits, result.problems);
        if (!re) continue;
        program_bytes += static_cast<std::int64_t>(re->ProgramSize()) * kBytesPerInstruction;
        if (program_bytes > limits.programs_max_mem) {
          result.problems.push_back({rule.id, f, "the patterns so far compile to more than the rules' memory budget of " +
                                                     std::to_string(limits.programs_max_mem) + " bytes; remove or simplify patterns", {}});
          over_budget = true;  // stop compiling: the rest would only cost more time
          return;
        }
        std::string error;
        if (idx.set->Add(set_form(rule, patterns[pi]), &error) < 0) {
          result.problems.push_back({rule.id, f, "cannot be added to the rule set: " + error, {}});
          continue;
        }
        idx.entries.push_back({ri, pi, veto});
        into.push_back(std::move(re));
      }
    };
    add(rule.patterns, "patterns", false, compiled.patterns);
    add(rule.unless, "unless", true, compiled.unless);
    set->rules_.push_back(std::move(compiled));
  }
  set->redactor_ = compile_redactor(set->pack_.redact, limits.regex_max_mem, result.problems);
  if (!result.problems.empty()) return result;
  for (auto* idx : {&set->customer_, &set->agent_}) {
    // An empty RE2::Set refuses to compile; a role with no rules simply never matches.
    if (idx->entries.empty()) {
      idx->set.reset();
      continue;
    }
    if (!idx->set->Compile()) {
      result.problems.push_back({"", "rules", "the patterns together exceed the rule set's memory budget of " +
                                                  std::to_string(limits.set_max_mem) + " bytes; remove or simplify patterns", {}});
      return result;
    }
  }
  result.rules = std::move(set);
  return result;
}

}  // namespace tact::coach
