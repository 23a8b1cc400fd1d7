#pragma once
// A rule pack as written by an admin (rules/schema.json): parsed and checked field by field.
// Parsing never throws on bad content; every problem found is returned, so a pack is either
// wholly accepted or refused with all its reasons.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "coaching_config.hpp"
#include "problem.hpp"
#include "redact_pack.hpp"
#include "role.hpp"

namespace tact::coach {

struct Rule {
  std::string id;
  std::string act;
  Role role = Role::agent;
  std::vector<std::string> patterns;  // RE2 syntax
  std::vector<std::string> unless;    // any match vetoes the rule for the whole message
  bool case_sensitive = false;
  std::string description;
  std::vector<std::string> must_match;
  std::vector<std::string> must_not_match;
};

struct RulePack {
  std::string name;
  std::vector<Rule> rules;
  CoachingConfig coaching;
  RedactSpec redact;      // the optional `redact` section (redact_pack.hpp)
  nlohmann::json source;  // the pack exactly as given, for storage and round trips
};

struct PackLimits {
  std::size_t max_rules = 2000;
  std::size_t max_pattern_bytes = 2000;
  std::size_t min_examples = 3;  // of each kind, per rule
};

struct ParsedPack {
  RulePack pack;
  std::vector<Problem> problems;  // empty when the pack is acceptable
};

ParsedPack parse_rule_pack(const nlohmann::json& j, const PackLimits& limits = {});

}  // namespace tact::coach
