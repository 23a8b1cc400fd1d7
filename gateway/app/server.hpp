#pragma once
// `tact serve`: everything wired together. run_server() blocks until SIGTERM or SIGINT, then
// stops accepting, closes every WebSocket with 1001 after its queued writes, waits for the store,
// and returns the exit status.
#include <ostream>
#include <string>

#include "integrations/chatwoot/note_poster.hpp"
#include "rules/rule_admin.hpp"
#include "app/server_context.hpp"
#include "relay/redaction.hpp"
#include "store/retention.hpp"
#include "store/store_location.hpp"

namespace tact::gateway {

struct ServerOptions {
  std::string listen = "127.0.0.1:8080";
  int threads = 0;  // 0: the machine's cores
  std::string data_dir = "./tact-data";  // the secret; and the SQLite store unless `store` says otherwise
  std::string store;  // --store: "" (SQLite in data_dir), sqlite:DIR or postgresql://… (store/store_location.hpp)
  std::string rules_path;  // seeds the first rule version when the store has none ("" = built-in rules)
  std::string static_dir;
  SessionLimits limits;
  int health_every_ms = 2000;
  AdminLimits admin;
  // --demo: print links with tokens for the demo pages, only when listening on loopback (the
  // tokens would otherwise let anyone who sees the log in). The admin link's token lasts an hour.
  bool demo = false;
  // --check: open the data dir and the store, load and compile the live rules, parse --listen,
  // then exit 0 (or the reason and 1/2) without serving: systemd's check before start.
  bool check_only = false;
  std::string frame_ancestors = "'self'";
  std::size_t max_api_conversations = 1000;
  RedactMode redact = RedactMode::store;  // --redact off|store|all
  RetentionOptions retention;             // --retain-days N
  chatwoot::NotePosterOptions notes;      // --note-timeout, --note-attempts, --note-backoff, --note-interval
  // --bus redis://…: one node of a cluster (bus/bus.hpp, relay/cluster.cpp); needs a PostgreSQL store.
  std::string bus;
  std::string node;   // --node-id: this node's id on the bus ("" = host-pid-random)
  int lease_ms = 3000;  // --lease-ms: how long a dead node's conversations wait for another
};

int run_server(const ServerOptions& options, std::ostream& out, std::ostream& err);


}  // namespace tact::gateway
