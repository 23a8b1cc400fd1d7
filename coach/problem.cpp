#include "problem.hpp"

#include <nlohmann/json.hpp>

namespace tact::coach {

std::string Problem::to_string() const {
  std::string s;
  if (!rule_id.empty()) s += "rule \"" + rule_id + "\": ";
  if (!field.empty()) s += field + ": ";
  s += reason;
  if (position) s += " (at position " + std::to_string(*position) + ")";
  return s;
}

void to_json(nlohmann::json& j, const Problem& p) {
  j = nlohmann::json{{"rule", p.rule_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(p.rule_id)},
                     {"field", p.field},
                     {"reason", p.reason}};
  if (p.position) j["position"] = *p.position;
}

}  // namespace tact::coach
