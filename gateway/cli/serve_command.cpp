// tact serve: the live gateway (docs/protocol.md). Every option also reads an environment
// variable (TACT_LISTEN, TACT_DATA, …) and a config file (--config FILE, INI or TOML: `listen =
// "127.0.0.1:8080"`); the command line wins over the environment, which wins over the file.
#include <iostream>

#include <CLI/CLI.hpp>

#include "app/server.hpp"
#include "commands.hpp"

namespace tact::cli {

int serve_command(const Args& args) {
  gateway::ServerOptions o;
#ifdef TACT_WEB_WIDGET_DIR
  o.static_dir = TACT_WEB_WIDGET_DIR;
#endif
  CLI::App app{"tact serve: the live gateway: WebSocket relay with coaching, HTTP API, rule administration", "tact serve"};
  app.set_config("--config", "", "read options from this INI or TOML file (keys as the long options, without --)");
  app.get_config_ptr()->envname("TACT_CONFIG");
  auto opt = [&](const char* name, auto& into, const char* env, const std::string& help) {
    return app.add_option(name, into, help)->envname(env)->capture_default_str();
  };
  opt("--listen", o.listen, "TACT_LISTEN", "ADDRESS:PORT to listen on");
  opt("--threads", o.threads, "TACT_THREADS", "io threads (0: one per core)")->check(CLI::Range(0, 256));
  opt("--data", o.data_dir, "TACT_DATA", "data dir: the secret, and the SQLite store unless --store says otherwise");
  opt("--store", o.store, "TACT_STORE",
      "where conversations are kept: sqlite:DIR (the same as --data DIR) or postgresql://USER@HOST:PORT/DATABASE")
      ->check([](const std::string& v) {
        std::string error;
        return v.empty() || gateway::parse_store_location(v, error) ? std::string() : error;
      });
  opt("--rules", o.rules_path, "TACT_RULES",
      "rule pack that seeds the first rule version when the data dir has none (\"\": the built-in pack)");
  opt("--static", o.static_dir, "TACT_STATIC", "the pages and assets to serve (web-widget/)");
  opt("--max-message", o.limits.max_message, "TACT_MAX_MESSAGE", "bytes per WebSocket frame and HTTP body")
      ->check(CLI::Range(64, 16 << 20));
  opt("--send-queue", o.limits.send_queue, "TACT_SEND_QUEUE", "frames queued per connection before it is dropped")
      ->check(CLI::Range(1, 1 << 20));
  opt("--rate", o.limits.rate, "TACT_RATE", "frames per second per connection (bursts of twice that)")
      ->check(CLI::Range(0.0, static_cast<double>(1 << 24)));
  opt("--allowed-origin", o.limits.allowed_origins, "TACT_ALLOWED_ORIGIN", "Origins that may open a WebSocket (repeat; none: any)");
  opt("--health-every", o.health_every_ms, "TACT_HEALTH_EVERY", "ms between the supervisors' health sweeps")
      ->check(CLI::Range(10, 3600000));
  opt("--max-admin-body", o.limits.max_admin_body, "TACT_MAX_ADMIN_BODY", "bytes per body under /api/rules (whole packs)")
      ->check(CLI::Range(1024, 64 << 20));
  opt("--max-rules", o.admin.compile.pack.max_rules, "TACT_MAX_RULES", "rules per pack")->check(CLI::Range(1, 100000));
  opt("--max-pattern", o.admin.compile.pack.max_pattern_bytes, "TACT_MAX_PATTERN", "bytes per pattern")->check(CLI::Range(16, 1 << 20));
  std::int64_t rules_memory = o.admin.compile.set_max_mem;
  opt("--rules-memory", rules_memory, "TACT_RULES_MEMORY", "bytes for each role's compiled set, and for all patterns' programs")
      ->check(CLI::Range(std::int64_t{1} << 20, std::int64_t{4} << 30));
  opt("--preview-limit", o.admin.preview_messages, "TACT_PREVIEW_LIMIT", "stored messages a rule preview replays")
      ->check(CLI::Range(0, 100000));
  opt("--max-api-conversations", o.max_api_conversations, "TACT_MAX_API_CONVERSATIONS",
      "open API conversations one caller may have")
      ->check(CLI::Range(1, 10000000));
  opt("--frame-ancestors", o.frame_ancestors, "TACT_FRAME_ANCESTORS", "who may frame the pages (CSP frame-ancestors)")
      ->check([](const std::string& v) {
        return v.empty() || v.find_first_of(";,\r\n") != std::string::npos ? std::string("a list of sources without ; or ,") : std::string();
      });
  std::string redact = "store";
  opt("--redact", redact, "TACT_REDACT",
      "who sees personal data redacted: store (stored text, supervisors, transcripts), all (the live agent too), off")
      ->check([](const std::string& v) {
        return gateway::parse_redact_mode(v) ? std::string() : "--redact takes off, store or all, not \"" + v + "\"";
      });
  opt("--retain-days", o.retention.days, "TACT_RETAIN_DAYS", "delete conversations closed this many days ago (0: at once; unset: keep)")
      ->check(CLI::Range(0, 36500));
  std::int64_t note_timeout = o.notes.timeout.count(), note_backoff = o.notes.backoff.count(), note_interval = o.notes.min_interval.count();
  opt("--note-timeout", note_timeout, "TACT_NOTE_TIMEOUT", "ms an integration's platform has to answer one private note")
      ->check(CLI::Range(std::int64_t{50}, std::int64_t{120000}));
  opt("--note-attempts", o.notes.attempts, "TACT_NOTE_ATTEMPTS", "tries per private note (timeouts, 429 and 5xx are retried)")
      ->check(CLI::Range(1, 10));
  opt("--note-backoff", note_backoff, "TACT_NOTE_BACKOFF", "ms before the first retry of a private note (doubled each time)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{600000}));
  opt("--note-interval", note_interval, "TACT_NOTE_INTERVAL", "ms: at most one private note per conversation this often")
      ->check(CLI::Range(std::int64_t{0}, std::int64_t{3600000}));
  opt("--bus", o.bus, "TACT_BUS", "redis://HOST:PORT: run as one node of a cluster (needs --store postgresql://…)")
      ->check([](const std::string& v) { return v.empty() || v.rfind("redis://", 0) == 0 ? std::string() : std::string("--bus takes redis://HOST:PORT"); });
  opt("--node-id", o.node, "TACT_NODE_ID", "this node's id in the cluster (default: host-pid-random)")
      ->check([](const std::string& v) {
        return v.size() <= 64 && v.find_first_of(" \t\r\n:") == std::string::npos ? std::string() : std::string("at most 64 characters, no spaces or ':'");
      });
  opt("--lease-ms", o.lease_ms, "TACT_LEASE_MS", "ms before a dead node's conversations move to another")->check(CLI::Range(300, 600000));
  app.add_flag("--check", o.check_only, "check the options, the data dir and the rules, then exit without serving");
  app.add_flag("--demo", o.demo, "print demo links with tokens (only when listening on loopback)")->envname("TACT_DEMO");
  try {
    std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 takes them last first
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e, std::cout, std::cerr);
    return code == 0 ? 0 : 2;  // --help is 0; any bad option is a usage error, as for every command
  }
  o.redact = *gateway::parse_redact_mode(redact);  // checked above: one of the three
  std::string unused;
  if (auto at = gateway::parse_store_location(o.store, unused); at && at->kind == gateway::StoreLocation::sqlite) {
    o.data_dir = at->where;  // sqlite:DIR is --data DIR
    o.store.clear();
  }
  o.admin.compile.set_max_mem = rules_memory;
  o.notes.timeout = std::chrono::milliseconds(note_timeout);
  o.notes.backoff = std::chrono::milliseconds(note_backoff);
  o.notes.min_interval = std::chrono::milliseconds(note_interval);
  o.admin.compile.programs_max_mem = rules_memory;
  return gateway::run_server(o, std::cout, std::cerr);
}

}  // namespace tact::cli
