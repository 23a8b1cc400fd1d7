// tact rules test|lint [FILE]; publish|history|rollback are in rules_admin_command.cpp
#include <iostream>

#include "commands.hpp"
#include "pack_loader.hpp"
#include "rule_examples.hpp"

namespace tact::cli {
namespace {

int usage() {
  std::cerr << "usage: tact rules test [FILE]   run every rule's examples\n"
               "       tact rules lint [FILE]   dead patterns, duplicates, unused lexicons and entries\n"
               "       tact rules publish FILE -m MESSAGE [--server URL --token T | --data DIR | --store LOCATION]\n"
               "       tact rules history [--json] [--server URL --token T | --data DIR | --store LOCATION]\n"
               "       tact rules rollback V [--server URL --token T | --data DIR | --store LOCATION]\n"
               "FILE defaults to the built-in default rules.\n";
  return 2;
}

int test(const coach::RuleSet& rules, const std::string& name) {
  const auto results = run_examples(rules);
  std::size_t failed = 0;
  for (const auto& r : results) {
    if (r.passed) continue;
    ++failed;
    std::cout << "FAIL " << r.rule_id << ": " << (r.must_match ? "should match" : "should not match") << ": \""
              << r.text << "\"\n";
  }
  // Redaction examples: a failing one refuses the pack at load, so here they all pass.
  const auto redact = coach::run_redact_examples(rules.redactor());
  std::cout << name << ": " << rules.rules().size() << " rules, " << results.size() << " examples; "
            << rules.redactor().entries().size() << " redaction entries, " << redact.size() << " redaction examples; "
            << rules.causes().causes().size() << " root causes (their examples are among the examples above)\n"
            << (results.size() - failed) << " passed, " << failed << " failed\n";
  // Loading the pack already refused any template variant that would not count for its step.
  std::size_t variants = 0;
  for (const auto& t : rules.coaching().templates) variants += t.variants.size();
  std::cout << variants << " template variants, each annotated as its own step when sent\n";
  return failed ? 1 : 0;
}

int lint(const coach::RuleSet& rules, const std::string& name) {
  const auto findings = coach::lint(rules);
  for (const auto& f : findings)
    std::cout << (f.rule_id.empty() ? "pack" : f.rule_id) << ": " << f.field << ": " << f.message << "\n";
  std::cout << name << ": " << findings.size() << " finding" << (findings.size() == 1 ? "" : "s") << "\n";
  return findings.empty() ? 0 : 1;
}

}  // namespace

int rules_command(const Args& args) {
  if (!args.empty() && (args[0] == "publish" || args[0] == "history" || args[0] == "rollback")) return rules_admin_command(args);
  if (args.empty() || args.size() > 2) return usage();
  const std::string path = args.size() == 2 ? args[1] : "";
  const std::string name = path.empty() ? "built-in rules" : path;
  if (args[0] != "test" && args[0] != "lint") return usage();
  auto rules = load_rules(path, std::cerr);
  if (!rules) return 1;
  return args[0] == "test" ? test(*rules, name) : lint(*rules, name);
}

}  // namespace tact::cli
