#pragma once
// Where rule packs come from: a file, or the default pack built into the binary. For `tact serve`
// (the first rule version) and the commands that take --rules.
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

#include "rule_set.hpp"

namespace tact::gateway {

// The text of rules/default.json as it was when the binary was built.
std::string_view default_pack_text();

// Reads and compiles `path` (or the built-in default when empty). On failure prints every problem
// to `err` and returns null.
coach::RuleSetPtr load_rules(const std::string& path, std::ostream& err);

// Reads a whole file; nullopt (and a message in `err`) when it cannot be read.
std::optional<std::string> read_file(const std::string& path, std::ostream& err);

}  // namespace tact::gateway
