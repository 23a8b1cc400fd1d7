#pragma once
// The `tact` subcommands. Each takes its own arguments (after the subcommand's name) and returns
// the process exit status.
#include <string>
#include <vector>

namespace tact::cli {

using Args = std::vector<std::string>;

int annotate_command(const Args& args);
int rules_command(const Args& args);
int rules_admin_command(const Args& args);  // publish|history|rollback (rules_admin_command.cpp, in `tact`)
int eval_command(const Args& args);
int replay_command(const Args& args);
int serve_command(const Args& args);  // the live gateway (gateway/server.hpp)
int token_command(const Args& args);  // mints a JWT
int data_command(const Args& args);          // export|erase a customer's data (data_command.cpp, in `tact`)
int integrations_command(const Args& args);  // add|list|remove|token (integrations_command.cpp, in `tact`)
int report_command(const Args& args);        // team insights from a data dir (report_command.cpp, in `tact`)

}  // namespace tact::cli
