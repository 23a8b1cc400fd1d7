// tact: the one executable. Subcommands are listed in usage().
#include <cstring>
#include <iostream>

#include "cli/commands.hpp"

namespace {

void usage(std::ostream& out) {
  out << "usage: tact COMMAND [ARGS]\n\n"
         "commands:\n"
         "  annotate [--rules FILE]       label JSONL messages from stdin, one JSON line out per line in\n"
         "  rules test [FILE]             run every rule's examples (default: the built-in rules)\n"
         "  rules lint [FILE]             find dead patterns, duplicates and other smells\n"
         "  rules publish|history|rollback  rule versions of a server (--server URL --token T, or --data DIR)\n"
         "  eval FILE [--rules FILE]      precision, recall and F1 per act on labeled JSONL\n"
         "  serve [--listen ADDR:PORT] ... the live gateway: WebSocket relay with coaching (docs/protocol.md)\n"
         "  token --role R --sub ID ...   print a token for the gateway\n"
         "  replay FILE [--json]          play recorded conversations through the coach, print an aggregate\n"
         "  data export|erase --customer SUB [--data DIR]  a customer's data, as JSON, or erased\n"
         "  help                          this text\n";
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || std::strcmp(argv[1], "help") == 0 || std::strcmp(argv[1], "--help") == 0) {
    usage(argc < 2 ? std::cerr : std::cout);
    return argc < 2 ? 2 : 0;
  }
  const std::string command = argv[1];
  const tact::cli::Args args(argv + 2, argv + argc);
  if (command == "annotate") return tact::cli::annotate_command(args);
  if (command == "rules") return tact::cli::rules_command(args);
  if (command == "eval") return tact::cli::eval_command(args);
  if (command == "replay") return tact::cli::replay_command(args);
  if (command == "serve") return tact::cli::serve_command(args);
  if (command == "token") return tact::cli::token_command(args);
  if (command == "data") return tact::cli::data_command(args);
  std::cerr << "tact: unknown command \"" << command << "\"\n\n";
  usage(std::cerr);
  return 2;
}
