#include "redact_pack.hpp"

#include <set>

#include "json_read.hpp"

namespace tact::coach {

using nlohmann::json;

RedactSpec parse_redact_section(const json& pack, std::size_t max_pattern_bytes, std::vector<Problem>& problems) {
  RedactSpec spec;
  if (!pack.is_object()) return spec;
  auto section = pack.find("redact");
  if (section == pack.end()) return spec;
  if (!section->is_array()) {
    problems.push_back({"", "redact", std::string("must be an array of redaction entries, not ") + section->type_name(), {}});
    return spec;
  }
  if (section->size() > kMaxRedactEntries) {
    problems.push_back({"", "redact", "has " + std::to_string(section->size()) + " entries; the limit is " +
                                          std::to_string(kMaxRedactEntries), {}});
    return spec;
  }
  std::set<std::string, std::less<>> seen;
  for (std::size_t i = 0; i < section->size(); ++i) {
    const json& e = (*section)[i];
    const std::string at = "redact[" + std::to_string(i) + "]";
    if (!e.is_object()) {
      problems.push_back({"", at, "must be an object", {}});
      continue;
    }
    std::string id = at;
    if (auto it = e.find("id"); it != e.end() && it->is_string() && !it->get<std::string>().empty()) id = it->get<std::string>();
    JsonReader reader(problems, id);
    RedactEntry entry;
    entry.id = reader.string(e, "id", at + ".id", true).value_or("");
    if (e.contains("id") && e["id"].is_string() && entry.id.empty()) reader.fail(at + ".id", "must not be empty");
    if (!entry.id.empty() && !seen.insert(entry.id).second)
      reader.fail(at + ".id", "duplicate id: another redaction entry already uses \"" + entry.id + "\"");
    entry.label = reader.string(e, "label", at + ".label", true).value_or("");
    if (e.contains("label") && e["label"].is_string() && (entry.label.empty() || entry.label.size() > kMaxLabelBytes))
      reader.fail(at + ".label", "must be 1 to " + std::to_string(kMaxLabelBytes) + " bytes, e.g. \"[CARD]\"");
    entry.patterns = reader.strings(e, "patterns", at + ".patterns", true);
    if (e.contains("patterns") && e["patterns"].is_array() && entry.patterns.empty())
      reader.fail(at + ".patterns", "needs at least one pattern");
    for (std::size_t p = 0; p < entry.patterns.size(); ++p) {
      const auto f = at + ".patterns[" + std::to_string(p) + "]";
      if (entry.patterns[p].empty()) reader.fail(f, "is empty; an empty pattern would match every message");
      if (entry.patterns[p].size() > max_pattern_bytes)
        reader.fail(f, "is " + std::to_string(entry.patterns[p].size()) + " bytes; the limit is " + std::to_string(max_pattern_bytes));
    }
    if (auto v = reader.string(e, "validator", at + ".validator", false)) {
      if (*v == "luhn") entry.validator = Validator::luhn;
      else if (*v == "iban") entry.validator = Validator::iban;
      else if (*v != "none") reader.fail(at + ".validator", "\"" + *v + "\" is not a validator; use \"luhn\", \"iban\" or \"none\"");
    }
    entry.case_sensitive = reader.boolean(e, "case_sensitive", at + ".case_sensitive").value_or(false);
    auto ex = e.find("examples");
    if (ex == e.end() || !ex->is_object()) {
      reader.fail(at + ".examples", "is required: an object with \"match\" and \"no_match\" lists of texts");
    } else {
      entry.must_match = reader.strings(*ex, "match", at + ".examples.match", true);
      entry.must_not_match = reader.strings(*ex, "no_match", at + ".examples.no_match", true);
      const auto need = std::to_string(kMinRedactExamples);
      if (entry.must_match.size() < kMinRedactExamples)
        reader.fail(at + ".examples.match", "has " + std::to_string(entry.must_match.size()) +
                                                " texts; a redaction entry needs at least " + need + " in which it finds something");
      if (entry.must_not_match.size() < kMinRedactExamples)
        reader.fail(at + ".examples.no_match", "has " + std::to_string(entry.must_not_match.size()) +
                                                   " texts; a redaction entry needs at least " + need + " in which it finds nothing");
    }
    spec.entries.push_back(std::move(entry));
  }
  return spec;
}

}  // namespace tact::coach
