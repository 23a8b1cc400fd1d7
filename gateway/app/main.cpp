// tact: the one executable. `tact --help` lists the subcommands; `tact serve --help` its options.
#include <iostream>

#include <CLI/CLI.hpp>

#include "cli/commands.hpp"

#ifndef TACT_VERSION
#define TACT_VERSION "dev"
#endif

int main(int argc, char** argv) {
  namespace cli = tact::cli;
  CLI::App app{"Tact: real-time coaching for live-chat customer service", "tact"};
  app.set_version_flag("--version", "tact " TACT_VERSION);
  app.require_subcommand(1);
  struct Command {
    const char* name;
    const char* help;
    int (*run)(const cli::Args&);
  };
  // Each subcommand reads its own arguments (serve with CLI11, options, environment and config).
  const Command commands[] = {
      {"serve", "the live gateway: WebSocket relay with coaching, HTTP API (docs/protocol.md); --help for its options", cli::serve_command},
      {"annotate", "label JSONL messages from stdin, one JSON line out per line in [--rules FILE]", cli::annotate_command},
      {"rules", "rules test|lint [FILE]; rules publish|history|rollback (--server URL --token T, or --data DIR)", cli::rules_command},
      {"eval", "precision, recall and F1 per act on labeled JSONL: eval FILE [--rules FILE]", cli::eval_command},
      {"replay", "play recorded conversations through the coach: replay FILE [--json]", cli::replay_command},
      {"token", "print a token for the gateway: token --role R --sub ID [--name N] [--ttl 8h]", cli::token_command},
      {"data", "a customer's data on a stopped server's data dir: data export|erase --customer SUB [--data DIR]; data redact",
       cli::data_command},
      {"report", "team insights from a data dir's reviews: report [--data DIR] [--from DATE] [--to DATE] [--agent SUB] [--html FILE] [--json]",
       cli::report_command},
      {"integrations", "chat platforms Tact is installed in: integrations add chatwoot NAME --url URL --account ID --webhook-secret S; list; remove; token",
       cli::integrations_command},
  };
  std::vector<std::pair<CLI::App*, const Command*>> subs;
  for (const auto& c : commands) {
    auto* sub = app.add_subcommand(c.name, c.help);
    sub->prefix_command();  // everything after the name is the command's own
    if (std::string(c.name) == "serve") sub->set_help_flag();  // serve prints its own, with every option
    subs.emplace_back(sub, &c);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  for (const auto& [sub, c] : subs)
    if (sub->parsed()) return c->run(sub->remaining());
  return 2;
}
