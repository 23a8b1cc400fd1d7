// tact eval FILE: precision, recall and F1 per act against hand labels; --by-rule: true and false
// positives per rule; --compare OTHER_PACK: per-act F1 of two packs on the same file.
#include <iomanip>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "annotator.hpp"
#include "commands.hpp"
#include "json_io.hpp"
#include "pack_loader.hpp"

namespace tact::cli {
namespace {

using nlohmann::json;

struct Counts {
  int tp = 0, fp = 0, fn = 0;
  double precision() const { return tp + fp ? double(tp) / (tp + fp) : 0; }
  double recall() const { return tp + fn ? double(tp) / (tp + fn) : 0; }
  double f1() const {
    const double p = precision(), r = recall();
    return p + r > 0 ? 2 * p * r / (p + r) : 0;
  }
  int support() const { return tp + fn; }
};

struct Labeled {
  std::string id;
  coach::Role role;
  std::string text;
  std::set<std::string> gold;
};

struct RuleCounts {
  std::string act;
  int tp = 0, fp = 0;
};

struct Result {
  std::map<std::string, Counts> by_act;
  std::vector<std::pair<std::string, RuleCounts>> by_rule;  // pack order: rules, then implications
};

int usage() {
  std::cerr << "usage: tact eval FILE [--rules FILE] [--json] [--errors] [--by-rule] [--compare OTHER_PACK]\n"
               "FILE is JSONL: {\"id\",\"role\",\"text\",\"labels\":[...]} per line.\n"
               "--by-rule: true and false positives of every rule (and implication), worst precision first.\n"
               "--compare: per-act F1 of the pack (--rules, or the built-in one) beside OTHER_PACK's.\n";
  return 2;
}

std::optional<std::vector<Labeled>> read_labeled(const std::string& file) {
  auto text = read_file(file, std::cerr);
  if (!text) return std::nullopt;
  std::vector<Labeled> out;
  std::istringstream in(*text);
  std::string line;
  int lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (line.empty()) continue;
    auto j = json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("text") || !j["text"].is_string() || !j.contains("role") ||
        !j["role"].is_string() || !j.contains("labels") || !j["labels"].is_array()) {
      std::cerr << file << ":" << lineno << ": expected {\"role\",\"text\",\"labels\"}\n";
      return std::nullopt;
    }
    auto role = coach::parse_role(j["role"].get<std::string>());
    if (!role) {
      std::cerr << file << ":" << lineno << ": unknown role\n";
      return std::nullopt;
    }
    Labeled l{j.value("id", ""), *role, j["text"].get<std::string>(), {}};
    for (const auto& g : j["labels"])
      if (g.is_string()) l.gold.insert(g.get<std::string>());
    out.push_back(std::move(l));
  }
  return out;
}

Result evaluate(const coach::RuleSet& rules, const std::vector<Labeled>& messages, bool show_errors) {
  Result r;
  for (auto role : {coach::Role::customer, coach::Role::agent})
    for (auto act : coach::acts_of(role)) r.by_act[std::string(act)];
  std::map<std::string, std::size_t> rule_index;
  for (const auto& cr : rules.rules()) {
    rule_index[cr.rule->id] = r.by_rule.size();
    r.by_rule.push_back({cr.rule->id, {cr.rule->act}});
  }
  for (const auto& imp : rules.pack().implies) {
    rule_index[imp.id] = r.by_rule.size();
    r.by_rule.push_back({imp.id, {imp.then}});
  }
  for (const auto& m : messages) {
    const auto a = coach::annotate(rules, m.role, m.text, coach::Spans::no);
    const std::set<std::string> got(a.acts.begin(), a.acts.end());
    for (auto act : coach::acts_of(m.role)) {
      const std::string name(act);
      const bool g = m.gold.count(name), p = got.count(name);
      auto& c = r.by_act[name];
      if (g && p) ++c.tp;
      else if (p) ++c.fp;
      else if (g) ++c.fn;
      if (show_errors && g != p) std::cerr << (p ? "FP " : "FN ") << name << "  " << m.id << "  " << m.text << "\n";
    }
    for (const auto& id : a.rules) {
      auto& rc = r.by_rule[rule_index.at(id)].second;
      if (m.gold.count(rc.act)) ++rc.tp;
      else ++rc.fp;
    }
  }
  return r;
}

void print_acts(const std::string& file, std::size_t messages, const Result& r) {
  std::cout << file << ": " << messages << " messages\n";
  std::cout << std::left << std::setw(18) << "act" << std::right << std::setw(9) << "support" << std::setw(11)
            << "precision" << std::setw(8) << "recall" << std::setw(7) << "F1" << "\n";
  std::cout << std::fixed << std::setprecision(2);
  for (auto role : {coach::Role::customer, coach::Role::agent})
    for (auto act : coach::acts_of(role)) {
      const auto& c = r.by_act.at(std::string(act));
      std::cout << std::left << std::setw(18) << act << std::right << std::setw(9) << c.support() << std::setw(11)
                << c.precision() << std::setw(8) << c.recall() << std::setw(7) << c.f1() << "\n";
    }
}

void print_rules(const Result& r) {
  auto rows = r.by_rule;
  // Worst first: the rules whose false positives cost most precision.
  std::stable_sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) {
    return a.second.fp * (b.second.tp + b.second.fp) > b.second.fp * (a.second.tp + a.second.fp);
  });
  std::cout << "\n" << std::left << std::setw(36) << "rule" << std::setw(18) << "act" << std::right << std::setw(6)
            << "TP" << std::setw(6) << "FP" << std::setw(11) << "precision" << "\n";
  for (const auto& [id, c] : rows) {
    std::cout << std::left << std::setw(36) << id << std::setw(18) << c.act << std::right << std::setw(6) << c.tp
              << std::setw(6) << c.fp << std::setw(11);
    if (c.tp + c.fp) std::cout << std::fixed << std::setprecision(2) << double(c.tp) / (c.tp + c.fp) << "\n";
    else std::cout << "-" << "\n";
  }
}

void print_compare(const Result& a, const Result& b, const std::string& a_name, const std::string& b_name) {
  std::cout << "\nF1 per act: " << a_name << " against " << b_name << "\n";
  std::cout << std::left << std::setw(18) << "act" << std::right << std::setw(9) << "support" << std::setw(9) << "this"
            << std::setw(9) << "other" << std::setw(8) << "delta" << "\n";
  std::cout << std::fixed << std::setprecision(2);
  for (auto role : {coach::Role::customer, coach::Role::agent})
    for (auto act : coach::acts_of(role)) {
      const auto& x = a.by_act.at(std::string(act));
      const auto& y = b.by_act.at(std::string(act));
      std::cout << std::left << std::setw(18) << act << std::right << std::setw(9) << x.support() << std::setw(9)
                << x.f1() << std::setw(9) << y.f1() << std::setw(8) << std::showpos << x.f1() - y.f1() << std::noshowpos
                << "\n";
    }
}

json acts_json(const Result& r) {
  json out = json::object();
  for (const auto& [act, c] : r.by_act)
    out[act] = {{"precision", c.precision()}, {"recall", c.recall()}, {"f1", c.f1()}, {"support", c.support()},
                {"tp", c.tp}, {"fp", c.fp}, {"fn", c.fn}};
  return out;
}

}  // namespace

int eval_command(const Args& args) {
  std::string file, rules_path, compare_path;
  bool as_json = false, show_errors = false, by_rule = false, compare = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--rules" && i + 1 < args.size()) rules_path = args[++i];
    else if (args[i] == "--compare" && i + 1 < args.size()) compare = true, compare_path = args[++i];
    else if (args[i] == "--json") as_json = true;
    else if (args[i] == "--errors") show_errors = true;
    else if (args[i] == "--by-rule") by_rule = true;
    else if (file.empty() && args[i].rfind("--", 0) != 0) file = args[i];
    else return usage();
  }
  if (file.empty()) return usage();
  auto rules = load_rules(rules_path, std::cerr);
  if (!rules) return 2;
  coach::RuleSetPtr other;
  if (compare && !(other = load_rules(compare_path, std::cerr))) return 2;
  const auto messages = read_labeled(file);
  if (!messages) return 2;

  const auto result = evaluate(*rules, *messages, show_errors);
  std::optional<Result> other_result;
  if (other) other_result = evaluate(*other, *messages, false);
  if (as_json) {
    json out{{"messages", messages->size()}, {"acts", acts_json(result)}};
    if (by_rule) {
      json rows = json::object();
      for (const auto& [id, c] : result.by_rule) rows[id] = {{"act", c.act}, {"tp", c.tp}, {"fp", c.fp}};
      out["rules"] = rows;
    }
    if (other_result) out["compare"] = {{"pack", compare_path}, {"acts", acts_json(*other_result)}};
    std::cout << coach::dump(out) << "\n";
    return 0;
  }
  print_acts(file, messages->size(), result);
  if (by_rule) print_rules(result);
  if (other_result)
    print_compare(result, *other_result, rules_path.empty() ? "built-in rules" : rules_path, compare_path);
  return 0;
}

}  // namespace tact::cli
