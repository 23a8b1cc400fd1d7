// tact annotate: JSONL in, JSONL out, one line per line, streaming.
#include <iostream>

#include "annotator.hpp"
#include "commands.hpp"
#include "json_io.hpp"
#include "pack_loader.hpp"

namespace tact::cli {
namespace {

using nlohmann::json;

json error_line(const json& id, std::string message) { return json{{"id", id}, {"error", std::move(message)}}; }

// One input line to one output line. Never throws on bad content.
json annotate_line(const coach::RuleSet& rules, const std::string& line, std::size_t& fallbacks) {
  auto in = json::parse(line, nullptr, false);
  if (in.is_discarded()) return error_line(nullptr, "not valid JSON; each line must be one JSON object");
  if (!in.is_object()) return error_line(nullptr, std::string("expected a JSON object, got ") + in.type_name());
  json id = in.contains("id") ? in["id"] : json(nullptr);
  auto role_it = in.find("role");
  if (role_it == in.end() || !role_it->is_string())
    return error_line(id, "missing \"role\": give \"customer\" or \"agent\"");
  auto role = coach::parse_role(role_it->get<std::string>());
  if (!role) return error_line(id, "unknown role \"" + role_it->get<std::string>() + "\": use \"customer\" or \"agent\"");
  auto text_it = in.find("text");
  if (text_it == in.end() || !text_it->is_string()) return error_line(id, "missing \"text\": give the message as a string");
  const auto annotation = coach::annotate(rules, *role, text_it->get<std::string>());
  if (annotation.scan_fallback) ++fallbacks;
  json out = annotation;
  out["id"] = id;
  return out;
}

}  // namespace

int annotate_command(const Args& args) {
  std::string rules_path;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--rules" && i + 1 < args.size()) {
      rules_path = args[++i];
    } else {
      std::cerr << "tact annotate: unknown argument \"" << args[i] << "\"\nusage: tact annotate [--rules FILE] < in.jsonl\n";
      return 2;
    }
  }
  auto rules = load_rules(rules_path, std::cerr);
  if (!rules) return 2;
  std::ios::sync_with_stdio(false);
  std::string line;
  std::size_t fallbacks = 0;
  while (std::getline(std::cin, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto out = annotate_line(*rules, line, fallbacks);
    std::cout << coach::dump(out) << '\n';
    // Flush whenever we would otherwise wait for input, so the stream flows line by line.
    if (std::cin.rdbuf()->in_avail() <= 0) std::cout.flush();
    if (!std::cout) {
      std::cerr << "tact annotate: cannot write output\n";
      return 1;
    }
  }
  std::cout.flush();
  if (std::cin.bad()) {
    std::cerr << "tact annotate: cannot read input\n";
    return 1;
  }
  if (fallbacks) std::cerr << "tact annotate: " << fallbacks << " messages rescanned after the DFA ran out of memory\n";
  return std::cout ? 0 : 1;
}

}  // namespace tact::cli
