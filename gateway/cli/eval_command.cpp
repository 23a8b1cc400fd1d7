// tact eval FILE: precision, recall and F1 per act against hand labels.
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

int usage() {
  std::cerr << "usage: tact eval FILE [--rules FILE] [--json] [--errors]\n"
               "FILE is JSONL: {\"id\",\"role\",\"text\",\"labels\":[...]} per line.\n";
  return 2;
}

}  // namespace

int eval_command(const Args& args) {
  std::string file, rules_path;
  bool as_json = false, show_errors = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--rules" && i + 1 < args.size()) rules_path = args[++i];
    else if (args[i] == "--json") as_json = true;
    else if (args[i] == "--errors") show_errors = true;
    else if (file.empty() && args[i].rfind("--", 0) != 0) file = args[i];
    else return usage();
  }
  if (file.empty()) return usage();
  auto rules = load_rules(rules_path, std::cerr);
  if (!rules) return 2;
  auto text = read_file(file, std::cerr);
  if (!text) return 2;

  std::map<std::string, Counts> by_act;
  for (auto role : {coach::Role::customer, coach::Role::agent})
    for (auto act : coach::acts_of(role)) by_act[std::string(act)];
  std::istringstream in(*text);
  std::string line;
  int lineno = 0, messages = 0;
  while (std::getline(in, line)) {
    ++lineno;
    if (line.empty()) continue;
    auto j = json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object() || !j.contains("text") || !j["text"].is_string() || !j.contains("role") ||
        !j["role"].is_string() || !j.contains("labels") || !j["labels"].is_array()) {
      std::cerr << file << ":" << lineno << ": expected {\"role\",\"text\",\"labels\"}\n";
      return 2;
    }
    auto role = coach::parse_role(j["role"].get<std::string>());
    if (!role) {
      std::cerr << file << ":" << lineno << ": unknown role\n";
      return 2;
    }
    ++messages;
    std::set<std::string> gold;
    for (const auto& l : j["labels"])
      if (l.is_string()) gold.insert(l.get<std::string>());
    const auto a = coach::annotate(*rules, *role, j["text"].get<std::string>(), coach::Spans::no);
    const std::set<std::string> got(a.acts.begin(), a.acts.end());
    for (auto act : coach::acts_of(*role)) {
      const std::string name(act);
      const bool g = gold.count(name), p = got.count(name);
      auto& c = by_act[name];
      if (g && p) ++c.tp;
      else if (p) ++c.fp;
      else if (g) ++c.fn;
      if (show_errors && g != p)
        std::cerr << (p ? "FP " : "FN ") << name << "  " << j.value("id", "") << "  " << j["text"].get<std::string>() << "\n";
    }
  }
  if (as_json) {
    json out = json::object();
    for (const auto& [act, c] : by_act)
      out[act] = {{"precision", c.precision()}, {"recall", c.recall()}, {"f1", c.f1()}, {"support", c.support()},
                  {"tp", c.tp}, {"fp", c.fp}, {"fn", c.fn}};
    std::cout << coach::dump(json{{"messages", messages}, {"acts", out}}) << "\n";
    return 0;
  }
  std::cout << file << ": " << messages << " messages\n";
  std::cout << std::left << std::setw(18) << "act" << std::right << std::setw(9) << "support" << std::setw(11)
            << "precision" << std::setw(8) << "recall" << std::setw(7) << "F1" << "\n";
  std::cout << std::fixed << std::setprecision(2);
  for (auto role : {coach::Role::customer, coach::Role::agent})
    for (auto act : coach::acts_of(role)) {
      const auto& c = by_act[std::string(act)];
      std::cout << std::left << std::setw(18) << act << std::right << std::setw(9) << c.support() << std::setw(11)
                << c.precision() << std::setw(8) << c.recall() << std::setw(7) << c.f1() << "\n";
    }
  return 0;
}

}  // namespace tact::cli
