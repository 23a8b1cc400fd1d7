#pragma once
// The `tact` subcommands. Each takes its own arguments (after the subcommand's name) and returns
// the process exit status.
#include <string>
#include <vector>

namespace tact::cli {

using Args = std::vector<std::string>;

int annotate_command(const Args& args);
int rules_command(const Args& args);
int eval_command(const Args& args);

}  // namespace tact::cli
