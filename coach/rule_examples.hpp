#pragma once
// Every rule and implication carries texts that must and must not fire it; this runs them all
// against a rule set.
#include <string>
#include <string_view>
#include <vector>

#include "rule_set.hpp"

namespace tact::coach {

struct ExampleResult {
  std::string rule_id;     // a rule's or an implication's id
  std::string text;
  bool must_match = true;  // false: a no_match example
  bool passed = false;
};

// What a cause's examples are reported under: "cause:delivery".
inline constexpr std::string_view kCauseExamplePrefix = "cause:";

// One result per example of every rule, then of every implication, then of every cause, in pack order.
std::vector<ExampleResult> run_examples(const RuleSet& rules);

// A lint finding: not a reason to refuse a pack, but worth an admin's look.
struct LintFinding {
  std::string rule_id;  // empty for a pack-level finding (a lexicon)
  std::string field;
  std::string message;
};

// Patterns and vetoes that none of the pack's examples exercise, duplicate patterns and examples,
// lexicons no pattern uses, and lexicon entries that no example of a rule using the lexicon contains
// where the lexicon is referenced.
std::vector<LintFinding> lint(const RuleSet& rules);

}  // namespace tact::coach
