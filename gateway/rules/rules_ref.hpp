#pragma once
// A compiled rule set and the name coach events give it. Immutable once made: the live one is
// swapped whole (rules/rule_admin.hpp), and each message copies the pointer once.
#include <string>

#include "rule_set.hpp"

namespace tact::gateway {

struct RulesRef {
  coach::RuleSetPtr set;
  std::string version;  // "<name>@<12 hex of sha256>"
};

// "<pack name>@<first 12 hex of the SHA-256 of the pack's JSON>"
std::string rules_version(const coach::RuleSet& rules);

}  // namespace tact::gateway
