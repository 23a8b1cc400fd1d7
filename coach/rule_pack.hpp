#pragma once
// A rule pack as written by an admin (rules/schema.json): parsed and checked field by field.
// Parsing never throws on bad content; every problem found is returned, so a pack is either
// wholly accepted or refused with all its reasons.
//
// Besides its rules, a pack may hold:
// - "lexicons": named word lists, referenced in patterns and vetoes as {name} (lexicon.hpp);
// - "negation": the negators that cancel a negatable pattern's match in its clause;
// - "implies": acts that follow from other acts of the same message ("frustration without
//   gratitude implies complaint"), each with its own examples.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "causes.hpp"
#include "coaching_config.hpp"
#include "lexicon.hpp"
#include "problem.hpp"
#include "redact_pack.hpp"
#include "role.hpp"

namespace tact::coach {

// Where a rule's patterns match and its vetoes reach (clauses.hpp says how text is split).
// clause (the default): a match lies in one clause, and a veto cancels the matches of its clause;
// sentence: the same with sentences, for phrasings that span a clause ("sorry, but ...");
// message: the whole message, as every rule worked before clauses existed.
enum class Scope { clause, sentence, message };

std::string_view to_string(Scope s) noexcept;

struct Pattern {
  std::string source;               // as written, with {lexicon} references
  std::string regex;                // RE2 syntax, references expanded
  std::vector<std::string> unless;  // expanded vetoes of this pattern alone, in the unit of its match
  std::vector<std::string> unless_source;
  bool negatable = false;           // a negator just before the match, in its clause, cancels it
};

struct Rule {
  std::string id;
  std::string act;
  Role role = Role::agent;
  std::vector<Pattern> patterns;
  std::vector<std::string> unless;         // expanded vetoes of every pattern, in the unit of the match
  std::vector<std::string> unless_source;  // as written
  Scope scope = Scope::clause;
  bool case_sensitive = false;
  std::string description;
  std::vector<std::string> must_match;
  std::vector<std::string> must_not_match;
};

struct Negation {
  std::vector<std::string> negators;  // normalized words and phrases: "not", "can't", "unable to"
  std::vector<std::string> after;     // phrases that negate what comes before them: "isn't possible"
  std::vector<std::string> except;    // phrases that contain a negator but negate nothing: "no problem"
  int window_words = 4;               // how many words before (and after) a match are searched
};

// "then" is added to a message's acts when it has every act of "if" and none of "and_not".
// Implications run in pack order after the rules, so one may build on an earlier one.
struct Implication {
  std::string id;
  Role role = Role::customer;
  std::vector<std::string> if_acts;
  std::vector<std::string> and_not;
  std::string then;
  std::string description;
  std::vector<std::string> must_match;
  std::vector<std::string> must_not_match;
};

struct RulePack {
  std::string name;
  std::vector<Rule> rules;
  Lexicons lexicons;
  Negation negation;
  std::vector<Implication> implies;
  CoachingConfig coaching;
  RedactSpec redact;      // the optional `redact` section (redact_pack.hpp)
  std::vector<CauseSpec> causes;  // the optional `causes` section (causes.hpp)
  nlohmann::json source;  // the pack exactly as given, for storage and round trips
};

struct PackLimits {
  std::size_t max_rules = 2000;
  std::size_t max_pattern_bytes = 2000;    // as written
  std::size_t max_expanded_bytes = 20000;  // once lexicons are expanded
  std::size_t min_examples = 3;            // of each kind, per rule and per implication
};

struct ParsedPack {
  RulePack pack;
  std::vector<Problem> problems;  // empty when the pack is acceptable
};

ParsedPack parse_rule_pack(const nlohmann::json& j, const PackLimits& limits = {});

}  // namespace tact::coach
