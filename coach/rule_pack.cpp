#include "rule_pack.hpp"

#include <set>

#include "json_read.hpp"

namespace tact::coach {
namespace {

using nlohmann::json;

void parse_examples(const json& r, JsonReader& reader, Rule& rule, const PackLimits& limits) {
  auto it = r.find("examples");
  if (it == r.end() || !it->is_object()) {
    reader.fail("examples", "is required: an object with \"match\" and \"no_match\" lists of texts");
    return;
  }
  rule.must_match = reader.strings(*it, "match", "examples.match", true);
  rule.must_not_match = reader.strings(*it, "no_match", "examples.no_match", true);
  const auto need = std::to_string(limits.min_examples);
  if (rule.must_match.size() < limits.min_examples)
    reader.fail("examples.match", "has " + std::to_string(rule.must_match.size()) + " texts; a rule needs at least " +
                                      need + " that must match");
  if (rule.must_not_match.size() < limits.min_examples)
    reader.fail("examples.no_match", "has " + std::to_string(rule.must_not_match.size()) +
                                         " texts; a rule needs at least " + need + " that must not match");
}

void check_patterns(JsonReader& reader, const std::vector<std::string>& patterns, const char* field,
                    const PackLimits& limits) {
  for (std::size_t i = 0; i < patterns.size(); ++i) {
    const auto f = std::string(field) + "[" + std::to_string(i) + "]";
    if (patterns[i].empty()) reader.fail(f, "is empty; an empty pattern would match every message");
    if (patterns[i].size() > limits.max_pattern_bytes)
      reader.fail(f, "is " + std::to_string(patterns[i].size()) + " bytes; the limit is " +
                         std::to_string(limits.max_pattern_bytes));
  }
}

Rule parse_rule(const json& r, std::size_t index, std::vector<Problem>& problems, const PackLimits& limits) {
  Rule rule;
  if (!r.is_object()) {
    problems.push_back({"", "rules[" + std::to_string(index) + "]", "must be an object", {}});
    return rule;
  }
  // Name the rule in its problems as soon as its id is known.
  std::string id = "rules[" + std::to_string(index) + "]";
  if (auto it = r.find("id"); it != r.end() && it->is_string() && !it->get<std::string>().empty()) id = it->get<std::string>();
  JsonReader reader(problems, id);
  rule.id = reader.string(r, "id", "id", true).value_or("");
  if (auto it = r.find("id"); it != r.end() && it->is_string() && rule.id.empty()) reader.fail("id", "must not be empty");
  const auto role = reader.string(r, "role", "role", true);
  if (role) {
    if (auto parsed = parse_role(*role)) rule.role = *parsed;
    else reader.fail("role", "\"" + *role + "\" is not a role; use \"customer\" or \"agent\"");
  }
  rule.act = reader.string(r, "act", "act", true).value_or("");
  if (role && parse_role(*role) && !rule.act.empty() && !is_act_of(rule.role, rule.act)) {
    std::string known;
    for (auto a : acts_of(rule.role)) known += (known.empty() ? "" : ", ") + std::string(a);
    reader.fail("act", "\"" + rule.act + "\" is not a " + *role + " act; use one of: " + known);
  }
  rule.patterns = reader.strings(r, "patterns", "patterns", true);
  if (r.contains("patterns") && r["patterns"].is_array() && rule.patterns.empty())
    reader.fail("patterns", "needs at least one pattern");
  rule.unless = reader.strings(r, "unless", "unless", false);
  check_patterns(reader, rule.patterns, "patterns", limits);
  check_patterns(reader, rule.unless, "unless", limits);
  rule.case_sensitive = reader.boolean(r, "case_sensitive", "case_sensitive").value_or(false);
  rule.description = reader.string(r, "description", "description", false).value_or("");
  parse_examples(r, reader, rule, limits);
  return rule;
}

}  // namespace

ParsedPack parse_rule_pack(const json& j, const PackLimits& limits) {
  ParsedPack out;
  auto& problems = out.problems;
  out.pack.source = j;
  if (!j.is_object()) {
    problems.push_back({"", "", std::string("a rule pack must be a JSON object, not ") + j.type_name(), {}});
    return out;
  }
  JsonReader reader(problems, "");
  out.pack.name = reader.string(j, "name", "name", false).value_or("unnamed");
  auto rules = j.find("rules");
  if (rules == j.end() || !rules->is_array()) {
    problems.push_back({"", "rules", "is required: an array of rules", {}});
  } else if (rules->size() > limits.max_rules) {
    problems.push_back({"", "rules", "has " + std::to_string(rules->size()) + " rules; the limit is " +
                                         std::to_string(limits.max_rules), {}});
  } else {
    std::set<std::string, std::less<>> seen;
    for (std::size_t i = 0; i < rules->size(); ++i) {
      Rule rule = parse_rule((*rules)[i], i, problems, limits);
      if (!rule.id.empty() && !seen.insert(rule.id).second)
        problems.push_back({rule.id, "id", "duplicate id: another rule already uses \"" + rule.id + "\"", {}});
      out.pack.rules.push_back(std::move(rule));
    }
  }
  out.pack.coaching = parse_coaching_config(j, problems);
  out.pack.redact = parse_redact_section(j, limits.max_pattern_bytes, problems);
  return out;
}

}  // namespace tact::coach
