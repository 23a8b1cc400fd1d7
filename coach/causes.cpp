#include "causes.hpp"

#include <set>

#include "json_read.hpp"
#include "normalize.hpp"
#include "re2_options.hpp"

namespace tact::coach {
namespace {

using nlohmann::json;

bool valid_id(const std::string& id) {
  if (id.empty() || id.size() > kMaxCauseIdBytes) return false;
  for (char c : id)
    if (!((c >= 'a' && c <= 'z') || c == '_')) return false;
  return true;
}

std::string field_at(const std::string& base, const char* name, std::size_t i) {
  return base + "." + name + "[" + std::to_string(i) + "]";
}

void check_patterns(JsonReader& reader, const std::vector<std::string>& list, const std::string& at, const char* name,
                    const Lexicons& lexicons, std::size_t max_bytes) {
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto f = field_at(at, name, i);
    if (list[i].empty()) reader.fail(f, "is empty; an empty pattern would match every message");
    if (list[i].size() > max_bytes)
      reader.fail(f, "is " + std::to_string(list[i].size()) + " bytes; the limit is " + std::to_string(max_bytes));
    for (const auto& unknown : expand_lexicons(list[i], lexicons).unknown)
      reader.fail(f, "refers to the unknown lexicon {" + unknown + "}; define it under \"lexicons\"");
  }
}

}  // namespace

std::vector<CauseSpec> parse_causes_section(const json& pack, const Lexicons& lexicons, std::size_t min_examples,
                                            std::size_t max_pattern_bytes, std::vector<Problem>& problems) {
  std::vector<CauseSpec> out;
  if (!pack.is_object()) return out;
  auto section = pack.find("causes");
  if (section == pack.end()) return out;
  if (!section->is_array()) {
    problems.push_back({"", "causes", std::string("must be an array of causes, not ") + section->type_name(), {}});
    return out;
  }
  if (section->size() > kMaxCauses) {
    problems.push_back({"", "causes", "has " + std::to_string(section->size()) + " causes; the limit is " + std::to_string(kMaxCauses), {}});
    return out;
  }
  std::set<std::string, std::less<>> seen;
  for (std::size_t i = 0; i < section->size(); ++i) {
    const json& c = (*section)[i];
    const std::string at = "causes[" + std::to_string(i) + "]";
    if (!c.is_object()) {
      problems.push_back({"", at, "must be an object with \"id\", \"label\", \"patterns\" and \"examples\"", {}});
      continue;
    }
    std::string name = at;
    if (auto it = c.find("id"); it != c.end() && it->is_string() && !it->get<std::string>().empty()) name = it->get<std::string>();
    JsonReader reader(problems, name);
    for (const auto& [key, v] : c.items())
      if (key != "id" && key != "label" && key != "description" && key != "patterns" && key != "unless" && key != "examples")
        reader.fail(at + "." + key, "is not a cause field; use \"id\", \"label\", \"description\", \"patterns\", \"unless\" or \"examples\"");
    CauseSpec spec;
    spec.id = reader.string(c, "id", at + ".id", true).value_or("");
    if (c.contains("id") && c["id"].is_string()) {
      if (!valid_id(spec.id))
        reader.fail(at + ".id", "must be 1 to " + std::to_string(kMaxCauseIdBytes) + " lower-case letters or '_', e.g. \"delivery\"");
      else if (spec.id == kOtherCause)
        reader.fail(at + ".id", "\"other\" is reserved for a complaint that no cause matches; name the cause for what it is about");
      else if (!seen.insert(spec.id).second)
        reader.fail(at + ".id", "duplicate id: another cause already uses \"" + spec.id + "\"");
    }
    spec.label = reader.string(c, "label", at + ".label", true).value_or("");
    if (c.contains("label") && c["label"].is_string() && (spec.label.empty() || spec.label.size() > 64))
      reader.fail(at + ".label", "must be 1 to 64 bytes, e.g. \"Delivery\"");
    spec.description = reader.string(c, "description", at + ".description", false).value_or("");
    spec.patterns = reader.strings(c, "patterns", at + ".patterns", true);
    if (c.contains("patterns") && c["patterns"].is_array() && spec.patterns.empty())
      reader.fail(at + ".patterns", "needs at least one pattern");
    spec.unless = reader.strings(c, "unless", at + ".unless", false);
    check_patterns(reader, spec.patterns, at, "patterns", lexicons, max_pattern_bytes);
    check_patterns(reader, spec.unless, at, "unless", lexicons, max_pattern_bytes);
    auto ex = c.find("examples");
    if (ex == c.end() || !ex->is_object()) {
      reader.fail(at + ".examples", "is required: an object with \"match\" and \"no_match\" lists of customer messages");
    } else {
      spec.must_match = reader.strings(*ex, "match", at + ".examples.match", true);
      spec.must_not_match = reader.strings(*ex, "no_match", at + ".examples.no_match", true);
      const auto need = std::to_string(min_examples);
      if (spec.must_match.size() < min_examples)
        reader.fail(at + ".examples.match", "has " + std::to_string(spec.must_match.size()) + " texts; at least " + need +
                                                " customer messages must show this cause");
      if (spec.must_not_match.size() < min_examples)
        reader.fail(at + ".examples.no_match", "has " + std::to_string(spec.must_not_match.size()) + " texts; at least " + need +
                                                   " customer messages must not show it");
    }
    out.push_back(std::move(spec));
  }
  return out;
}

CauseSetPtr compile_causes(const std::vector<CauseSpec>& specs, const Lexicons& lexicons, std::int64_t regex_max_mem,
                           std::vector<Problem>& problems) {
  std::shared_ptr<CauseSet> set(new CauseSet());
  const auto before = problems.size();
  std::vector<CauseSet::Compiled> compiled;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const auto& spec = specs[i];
    const std::string at = "causes[" + std::to_string(i) + "]";
    CauseSet::Compiled c{spec, {}, {}};
    auto build = [&](const std::vector<std::string>& list, const char* name, std::vector<std::unique_ptr<RE2>>& into) {
      for (std::size_t k = 0; k < list.size(); ++k) {
        const auto expanded = expand_lexicons(list[k], lexicons);
        if (!expanded.unknown.empty()) continue;  // already a problem of the parse
        auto re = std::make_unique<RE2>(expanded.regex, regex_options(false, regex_max_mem));
        if (!re->ok()) {
          problems.push_back({spec.id, field_at(at, name, k), "invalid regular expression: " + re->error(), {}});
          continue;
        }
        into.push_back(std::move(re));
      }
    };
    build(spec.patterns, "patterns", c.patterns);
    build(spec.unless, "unless", c.unless);
    compiled.push_back(std::move(c));
  }
  if (problems.size() == before) set->causes_ = std::move(compiled);
  return set;
}

std::vector<std::string> CauseSet::match(std::string_view text) const {
  if (causes_.empty()) return {};
  return match_normalized(normalize_text(text));
}

std::vector<std::string> CauseSet::match_normalized(std::string_view normalized) const {
  std::vector<std::string> out;
  for (const auto& c : causes_) {
    bool hit = false;
    for (const auto& re : c.patterns) hit = hit || RE2::PartialMatch(normalized, *re);
    if (!hit) continue;
    bool vetoed = false;
    for (const auto& re : c.unless) vetoed = vetoed || RE2::PartialMatch(normalized, *re);
    if (!vetoed) out.push_back(c.spec.id);
  }
  return out;
}

void CauseTally::add(const std::vector<std::string>& ids, std::size_t index) {
  for (const auto& id : ids)
    if (++counts_[id] == 1) {
      first_[id] = index;
      order_.push_back(id);
    }
}

const std::string* CauseTally::best() const {
  const std::string* best = nullptr;
  for (const auto& id : order_)
    if (!best || counts_.at(id) > counts_.at(*best)) best = &id;
  return best;
}

std::size_t CauseTally::first_index(const std::string& id) const {
  auto it = first_.find(id);
  return it == first_.end() ? 0 : it->second;
}

std::size_t CauseTally::memory_bytes() const {
  std::size_t n = sizeof(*this);
  for (const auto& id : order_) n += 3 * (64 + id.capacity());
  return n;
}

std::string CauseSet::label(std::string_view id) const {
  for (const auto& c : causes_)
    if (c.spec.id == id) return c.spec.label;
  return "Other";
}

}  // namespace tact::coach
