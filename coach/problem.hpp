#pragma once
// A reason a rule pack is refused: which rule, which field, why, and where in a pattern.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace tact::coach {

struct Problem {
  std::string rule_id;  // empty for pack-level problems
  std::string field;    // e.g. "patterns[2]", "examples.match", "playbook.steps[0].acts"
  std::string reason;
  std::optional<int> position;  // byte offset in the pattern, for regex errors

  std::string to_string() const;
};

void to_json(nlohmann::json& j, const Problem& p);

}  // namespace tact::coach
