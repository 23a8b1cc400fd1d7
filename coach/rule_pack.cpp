#include "rule_pack.hpp"

#include <algorithm>
#include <set>

#include "json_read.hpp"
#include "normalize.hpp"

namespace tact::coach {
namespace {

using nlohmann::json;

std::string at(const std::string& field, std::size_t i) { return field + "[" + std::to_string(i) + "]"; }

void parse_examples(const json& r, JsonReader& reader, std::vector<std::string>& must_match,
                    std::vector<std::string>& must_not_match, const PackLimits& limits) {
  auto it = r.find("examples");
  if (it == r.end() || !it->is_object()) {
    reader.fail("examples", "is required: an object with \"match\" and \"no_match\" lists of texts");
    return;
  }
  must_match = reader.strings(*it, "match", "examples.match", true);
  must_not_match = reader.strings(*it, "no_match", "examples.no_match", true);
  const auto need = std::to_string(limits.min_examples);
  if (must_match.size() < limits.min_examples)
    reader.fail("examples.match", "has " + std::to_string(must_match.size()) + " texts; at least " + need +
                                      " must match");
  if (must_not_match.size() < limits.min_examples)
    reader.fail("examples.no_match", "has " + std::to_string(must_not_match.size()) + " texts; at least " + need +
                                         " must not match");
}

// Checks one pattern or veto as written and expands its lexicon references.
std::string expand(JsonReader& reader, const std::string& source, const std::string& field, const Lexicons& lexicons,
                   const PackLimits& limits) {
  if (source.empty()) reader.fail(field, "is empty; an empty pattern would match every message");
  if (source.size() > limits.max_pattern_bytes)
    reader.fail(field, "is " + std::to_string(source.size()) + " bytes; the limit is " +
                           std::to_string(limits.max_pattern_bytes));
  auto e = expand_lexicons(source, lexicons);
  for (const auto& name : e.unknown)
    reader.fail(field, "refers to the unknown lexicon {" + name + "}; define it under \"lexicons\"");
  if (e.regex.size() > limits.max_expanded_bytes)
    reader.fail(field, "is " + std::to_string(e.regex.size()) + " bytes once lexicons are expanded; the limit is " +
                           std::to_string(limits.max_expanded_bytes));
  return std::move(e.regex);
}

void parse_vetoes(JsonReader& reader, const json& obj, const std::string& field, const Lexicons& lexicons,
                  const PackLimits& limits, std::vector<std::string>& source, std::vector<std::string>& expanded) {
  source = reader.strings(obj, "unless", field, false);
  for (std::size_t i = 0; i < source.size(); ++i) expanded.push_back(expand(reader, source[i], at(field, i), lexicons, limits));
}

void parse_patterns(const json& r, JsonReader& reader, Rule& rule, const Lexicons& lexicons, const PackLimits& limits,
                    bool rule_negatable) {
  auto it = r.find("patterns");
  if (it == r.end()) {
    reader.fail("patterns", "is required");
    return;
  }
  if (!it->is_array() || it->empty()) {
    reader.fail("patterns", "needs at least one pattern: a string, or an object with \"pattern\"");
    return;
  }
  for (std::size_t i = 0; i < it->size(); ++i) {
    const auto& p = (*it)[i];
    const auto f = at("patterns", i);
    Pattern pat;
    pat.negatable = rule_negatable;
    if (p.is_string()) {
      pat.source = p.get<std::string>();
    } else if (p.is_object()) {
      for (const auto& [key, v] : p.items())
        if (key != "pattern" && key != "unless" && key != "negatable")
          reader.fail(f + "." + key, "is not a pattern field; use \"pattern\", \"unless\" or \"negatable\"");
      pat.source = reader.string(p, "pattern", f + ".pattern", true).value_or("");
      parse_vetoes(reader, p, f + ".unless", lexicons, limits, pat.unless_source, pat.unless);
      pat.negatable = reader.boolean(p, "negatable", f + ".negatable").value_or(rule_negatable);
      if (!p.contains("pattern")) continue;
    } else {
      reader.fail(f, std::string("must be a string or an object with \"pattern\", not ") + p.type_name());
      continue;
    }
    pat.regex = expand(reader, pat.source, p.is_object() ? f + ".pattern" : f, lexicons, limits);
    rule.patterns.push_back(std::move(pat));
  }
}

Rule parse_rule(const json& r, std::size_t index, std::vector<Problem>& problems, const Lexicons& lexicons,
                const PackLimits& limits) {
  Rule rule;
  if (!r.is_object()) {
    problems.push_back({"", at("rules", index), "must be an object", {}});
    return rule;
  }
  // Name the rule in its problems as soon as its id is known.
  std::string id = at("rules", index);
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
  const bool negatable = reader.boolean(r, "negatable", "negatable").value_or(false);
  parse_patterns(r, reader, rule, lexicons, limits, negatable);
  parse_vetoes(reader, r, "unless", lexicons, limits, rule.unless_source, rule.unless);
  if (auto scope = reader.string(r, "scope", "scope", false)) {
    if (*scope == "clause") rule.scope = Scope::clause;
    else if (*scope == "sentence") rule.scope = Scope::sentence;
    else if (*scope == "message") rule.scope = Scope::message;
    else reader.fail("scope", "\"" + *scope + "\" is not a scope; use \"clause\", \"sentence\" or \"message\"");
  }
  rule.case_sensitive = reader.boolean(r, "case_sensitive", "case_sensitive").value_or(false);
  rule.description = reader.string(r, "description", "description", false).value_or("");
  parse_examples(r, reader, rule.must_match, rule.must_not_match, limits);
  return rule;
}

Negation parse_negation(const json& j, std::vector<Problem>& problems) {
  Negation n;
  auto it = j.find("negation");
  if (it == j.end()) return n;
  JsonReader reader(problems, "");
  if (!it->is_object()) {
    reader.fail("negation", "must be an object with \"negators\"");
    return n;
  }
  for (const auto& [key, v] : it->items())
    if (key != "negators" && key != "after" && key != "except" && key != "window_words")
      reader.fail("negation." + key, "is not a negation field; use \"negators\", \"after\", \"except\" or \"window_words\"");
  auto read = [&](const char* key, bool required) {
    auto words = reader.strings(*it, key, std::string("negation.") + key, required);
    for (std::size_t i = 0; i < words.size(); ++i) {
      words[i] = normalize(words[i]).text;
      if (words[i].empty()) reader.fail(at(std::string("negation.") + key, i), "is empty");
    }
    return words;
  };
  n.negators = read("negators", true);
  n.after = read("after", false);
  n.except = read("except", false);
  n.window_words = static_cast<int>(reader.number(*it, "window_words", "negation.window_words", 1, 50).value_or(n.window_words));
  return n;
}

void parse_implications(const json& j, RulePack& pack, std::vector<Problem>& problems, std::set<std::string, std::less<>>& ids,
                        const PackLimits& limits) {
  auto it = j.find("implies");
  if (it == j.end()) return;
  if (!it->is_array()) {
    problems.push_back({"", "implies", "must be an array of implications", {}});
    return;
  }
  for (std::size_t i = 0; i < it->size(); ++i) {
    const auto& o = (*it)[i];
    std::string id = at("implies", i);
    if (!o.is_object()) {
      problems.push_back({"", id, "must be an object with \"id\", \"if\", \"then\" and \"examples\"", {}});
      continue;
    }
    if (auto f = o.find("id"); f != o.end() && f->is_string() && !f->get<std::string>().empty()) id = f->get<std::string>();
    JsonReader reader(problems, id);
    Implication imp;
    imp.id = reader.string(o, "id", "id", true).value_or("");
    imp.then = reader.string(o, "then", "then", true).value_or("");
    imp.if_acts = reader.strings(o, "if", "if", true);
    imp.and_not = reader.strings(o, "and_not", "and_not", false);
    imp.description = reader.string(o, "description", "description", false).value_or("");
    if (!imp.id.empty() && !ids.insert(imp.id).second)
      reader.fail("id", "duplicate id: a rule or implication already uses \"" + imp.id + "\"");
    // The role is the one whose vocabulary has "then"; every act named must be of that role.
    if (is_act_of(Role::customer, imp.then)) imp.role = Role::customer;
    else if (is_act_of(Role::agent, imp.then)) imp.role = Role::agent;
    else if (!imp.then.empty()) reader.fail("then", "\"" + imp.then + "\" is not an act");
    if (imp.if_acts.empty() && o.contains("if")) reader.fail("if", "needs at least one act");
    const auto role_name = std::string(to_string(imp.role));
    for (const auto* list : {&imp.if_acts, &imp.and_not})
      for (std::size_t k = 0; k < list->size(); ++k)
        if (!is_act_of(imp.role, (*list)[k]))
          reader.fail(at(list == &imp.if_acts ? "if" : "and_not", k),
                      "\"" + (*list)[k] + "\" is not a " + role_name + " act (\"then\" is one)");
    if (std::find(imp.if_acts.begin(), imp.if_acts.end(), imp.then) != imp.if_acts.end())
      reader.fail("then", "\"" + imp.then + "\" is also in \"if\": the implication would say nothing");
    parse_examples(o, reader, imp.must_match, imp.must_not_match, limits);
    pack.implies.push_back(std::move(imp));
  }
}

}  // namespace

std::string_view to_string(Scope s) noexcept {
  switch (s) {
    case Scope::clause: return "clause";
    case Scope::sentence: return "sentence";
    case Scope::message: return "message";
  }
  return "clause";
}

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
  out.pack.lexicons = parse_lexicons(j, problems);
  out.pack.negation = parse_negation(j, problems);
  std::set<std::string, std::less<>> seen;
  auto rules = j.find("rules");
  if (rules == j.end() || !rules->is_array()) {
    problems.push_back({"", "rules", "is required: an array of rules", {}});
  } else if (rules->size() > limits.max_rules) {
    problems.push_back({"", "rules", "has " + std::to_string(rules->size()) + " rules; the limit is " +
                                         std::to_string(limits.max_rules), {}});
  } else {
    for (std::size_t i = 0; i < rules->size(); ++i) {
      Rule rule = parse_rule((*rules)[i], i, problems, out.pack.lexicons, limits);
      if (!rule.id.empty() && !seen.insert(rule.id).second)
        problems.push_back({rule.id, "id", "duplicate id: another rule already uses \"" + rule.id + "\"", {}});
      const bool negatable = std::any_of(rule.patterns.begin(), rule.patterns.end(), [](const Pattern& p) { return p.negatable; });
      if (negatable && out.pack.negation.negators.empty())
        problems.push_back({rule.id, "negatable", "the pack has no \"negation\".\"negators\" to cancel a match with", {}});
      out.pack.rules.push_back(std::move(rule));
    }
  }
  parse_implications(j, out.pack, problems, seen, limits);
  out.pack.coaching = parse_coaching_config(j, problems);
  out.pack.redact = parse_redact_section(j, limits.max_pattern_bytes, problems);
  out.pack.causes = parse_causes_section(j, out.pack.lexicons, limits.min_examples, limits.max_pattern_bytes, problems);
  return out;
}

}  // namespace tact::coach
