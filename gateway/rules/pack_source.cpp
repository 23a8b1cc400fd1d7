#include "rules/pack_source.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <ostream>
#include <sstream>

namespace tact::gateway {

std::optional<std::string> read_file(const std::string& path, std::ostream& err) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    err << "tact: cannot read " << path << ": " << std::strerror(errno) << "\n";
    return std::nullopt;
  }
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

coach::RuleSetPtr load_rules(const std::string& path, std::ostream& err) {
  std::string text;
  const std::string name = path.empty() ? "the built-in default rules" : path;
  if (path.empty()) {
    text = std::string(default_pack_text());
  } else {
    auto t = read_file(path, err);
    if (!t) return nullptr;
    text = std::move(*t);
  }
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded()) {
    err << "tact: " << name << " is not valid JSON; check it with a JSON validator\n";
    return nullptr;
  }
  auto result = coach::compile(j);
  if (!result.rules) {
    err << "tact: " << name << " was refused (" << result.problems.size() << " problem"
        << (result.problems.size() == 1 ? "" : "s") << "):\n";
    for (const auto& p : result.problems) err << "  " << p.to_string() << "\n";
  }
  return result.rules;
}

}  // namespace tact::gateway
