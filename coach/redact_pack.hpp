#pragma once
// The `redact` section of a rule pack (rules/schema.json): what personal data looks like, as data.
//
//   "redact": [{"id": "card", "label": "[CARD]", "patterns": ["\\b(?:\\d[ -]?){12,18}\\d\\b"],
//               "validator": "luhn", "case_sensitive": false,
//               "examples": {"match": ["my card is 4111 1111 1111 1111"], "no_match": ["order #4411"]}}]
//
// Each entry: a unique `id`, a `label` that replaces what it finds ("[CARD]"), RE2 `patterns`,
// an optional `validator` for what a regex cannot decide ("luhn": the digits pass the Luhn check;
// "iban": the ISO 13616 mod-97 check), and examples: texts in which the entry must find something
// and texts in which it must find nothing (at least kMinRedactExamples of each). The section is
// optional: a pack without it redacts nothing. Parsing never throws; problems name the entry's
// id and the field ("redact[0].patterns[1]").
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "problem.hpp"

namespace tact::coach {

enum class Validator { none, luhn, iban };

struct RedactEntry {
  std::string id;
  std::string label;
  std::vector<std::string> patterns;
  Validator validator = Validator::none;
  bool case_sensitive = false;
  std::vector<std::string> must_match;
  std::vector<std::string> must_not_match;
};

struct RedactSpec {
  std::vector<RedactEntry> entries;
};

inline constexpr std::size_t kMinRedactExamples = 2;
inline constexpr std::size_t kMaxRedactEntries = 64;
inline constexpr std::size_t kMaxLabelBytes = 32;

// Parses j["redact"] when present; problems are appended to `problems`.
RedactSpec parse_redact_section(const nlohmann::json& pack, std::size_t max_pattern_bytes, std::vector<Problem>& problems);

}  // namespace tact::coach
