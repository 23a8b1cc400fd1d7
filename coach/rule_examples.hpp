#pragma once
// Every rule carries texts that must and must not fire it; this runs them all against a rule set.
#include <string>
#include <vector>

#include "rule_set.hpp"

namespace tact::coach {

struct ExampleResult {
  std::string rule_id;
  std::string text;
  bool must_match = true;  // false: a no_match example
  bool passed = false;
};

// One result per example of every rule, in pack order.
std::vector<ExampleResult> run_examples(const RuleSet& rules);

// A lint finding: not a reason to refuse a pack, but worth an admin's look.
struct LintFinding {
  std::string rule_id;
  std::string field;
  std::string message;
};

// Patterns that none of the pack's examples exercise, duplicate patterns and examples, rules that
// share an act and a role and fire on exactly the same examples.
std::vector<LintFinding> lint(const RuleSet& rules);

}  // namespace tact::coach
