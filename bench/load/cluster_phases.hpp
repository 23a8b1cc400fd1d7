#pragma once
// bench_load --nodes N: the same traffic against one node with SQLite, one node with PostgreSQL,
// and N nodes sharing a PostgreSQL and a Redis (each conversation's customer on one node and its
// agent on the next, so every message crosses nodes). PostgreSQL and Redis are started by the
// bench on free ports (tests/support/services.hpp). For each: the closed loop's coached msgs/s,
// then p50/p99 send→coach at one paced load (a share of the SQLite node's maximum, the same for
// all three), and CPU per message of the tact processes and of PostgreSQL + Redis.
#include <string>

namespace tact::bench {

struct ClusterBenchOptions {
  std::string tact_bin;
  std::string secret;
  int nodes = 3;
  int conversations = 1000;
  int seconds = 10;
  double share = 0.25;  // of the SQLite node's closed-loop maximum
};

void cluster_phases(const ClusterBenchOptions& o);

}  // namespace tact::bench
