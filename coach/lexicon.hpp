#pragma once
// Lexicons: named lists of words and phrases in a rule pack ("lexicons": {"refund_word": ["refund",
// "credit", "money back"]}), used in patterns as {refund_word}. At compile time each reference is
// replaced by a non-capturing alternation of the escaped entries, longest first, so one list can
// grow a phrase family used by many patterns. Entries are literal text (normalized like messages:
// curly quotes made ASCII, white space collapsed); matching stays case-insensitive per rule.
//
// A reference is "{" name "}" where name is [A-Za-z_][A-Za-z0-9_]*; RE2's own braces ("{2}",
// "{1,3}"), escaped braces ("\{") and braces inside a character class are left alone.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "problem.hpp"

namespace tact::coach {

struct Lexicons {
  std::map<std::string, std::vector<std::string>, std::less<>> words;  // name -> entries, as normalized
};

// Reads the pack's "lexicons" object; every bad name or entry becomes a problem.
Lexicons parse_lexicons(const nlohmann::json& pack, std::vector<Problem>& problems);

// The names a pattern refers to, in order of appearance (duplicates kept).
std::vector<std::string> lexicon_refs(std::string_view pattern);

struct Expansion {
  std::string regex;                  // the pattern with every reference replaced
  std::vector<std::string> unknown;   // names that are not in the lexicons (regex is then unusable)
};

// Expands every reference. With only_name set, that lexicon expands to only_word alone (lint uses
// this to see which entries an example exercises).
Expansion expand_lexicons(std::string_view pattern, const Lexicons& lexicons, std::string_view only_name = {},
                          std::string_view only_word = {});

}  // namespace tact::coach
