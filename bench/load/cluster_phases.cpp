#include "cluster_phases.hpp"

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include "services.hpp"
#include "tact_process.hpp"
#include "traffic.hpp"

namespace tact::bench {
namespace {

using Clock = std::chrono::steady_clock;

int parent_of(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return -1;
  std::istringstream fields(stat.substr(close + 2));
  std::string state;
  int ppid = -1;
  fields >> state >> ppid;
  return ppid;
}

// A process and its children (PostgreSQL's backends come and go with their connections; the
// bench's connections stay open through a phase).
double cpu_of_tree(int root) {
  if (root <= 0) return 0;
  double total = cpu_seconds(root);
  for (const auto& e : std::filesystem::directory_iterator("/proc")) {
    const auto name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const int pid = std::stoi(name);
    if (parent_of(pid) == root) total += cpu_seconds(pid);
  }
  return total;
}

using Node = TactProcess;

Node spawn(const ClusterBenchOptions& o, const std::string& dir, const std::vector<std::string>& extra) {
  return spawn_tact(o.tact_bin, dir, o.secret, extra, true);
}

struct Setup {
  std::string name;
  std::vector<Node> nodes;
  std::vector<int> backing;  // PostgreSQL's postmaster, redis-server
};

struct Paced {
  double rate = 0, p50 = 0, p99 = 0, tact_us = 0, backing_us = 0;
};

struct Figures {
  double closed_rate = 0;
  Paced at_reference;  // at the SQLite node's share: the same offered load for every setup
  Paced at_own;        // at the setup's own share of its maximum: the same utilisation of its path
};

double cpu_of(const Setup& s, bool backing) {
  double total = 0;
  if (backing)
    for (int pid : s.backing) total += cpu_of_tree(pid);
  else
    for (const auto& n : s.nodes) total += cpu_seconds(n.pid);
  return total;
}

// paced_rate 0: the reference setup, paced at its own share only.
Figures measure(const ClusterBenchOptions& o, const Setup& s, double paced_rate) {
  Figures f;
  net::io_context ioc;
  TrafficOptions to{s.nodes[0].port, o.secret, o.conversations, "b", 0, {}};
  for (const auto& n : s.nodes) to.ports.push_back(n.port);
  if (s.nodes.size() == 1) to.ports.clear();
  Traffic traffic(ioc, to);
  if (!traffic.connect(std::chrono::seconds(120))) {
    std::fprintf(stderr, "bench_load: %s: cannot connect %d conversations\n", s.name.c_str(), o.conversations);
    return f;
  }
  auto phase = [&](double rate, Paced* paced) {
    traffic.set_rate(rate);
    traffic.start();
    ioc.run_for(std::chrono::seconds(2));  // warm up (the first messages open the conversations)
    traffic.take_latencies();
    const auto before = traffic.coached();
    const double tact0 = cpu_of(s, false), backing0 = cpu_of(s, true);
    const auto start = Clock::now();
    ioc.run_for(std::chrono::seconds(o.seconds));
    const double secs = std::chrono::duration<double>(Clock::now() - start).count();
    const auto coached = static_cast<double>(traffic.coached() - before);
    auto lat = traffic.take_latencies();
    traffic.stop();
    ioc.run_for(std::chrono::milliseconds(500));
    if (!paced) {
      f.closed_rate = coached / secs;
      return;
    }
    paced->rate = coached / secs;
    paced->p50 = percentile(lat, 0.5);
    paced->p99 = percentile(lat, 0.99);
    paced->tact_us = coached > 0 ? 1e6 * (cpu_of(s, false) - tact0) / coached : 0;
    paced->backing_us = coached > 0 ? 1e6 * (cpu_of(s, true) - backing0) / coached : 0;
  };
  phase(0, nullptr);
  phase(f.closed_rate * o.share, &f.at_own);
  f.at_reference = f.at_own;
  if (paced_rate > 0) phase(paced_rate, &f.at_reference);
  traffic.close();
  ioc.run_for(std::chrono::milliseconds(200));
  return f;
}

void stop(Setup& s) {
  for (auto& n : s.nodes) {
    kill(n.pid, SIGTERM);
    waitpid(n.pid, nullptr, 0);
  }
}

void print(const Setup& s, const Figures& f) {
  auto line = [&](const char* name, const char* load, const Paced& p) {
    std::printf("%-28s closed %7.0f msgs/s | paced %7.0f msgs/s (%s) p50 %6.0f us  p99 %6.0f us | CPU per message: tact %6.1f us, "
                "PostgreSQL+Redis %6.1f us, total %6.1f us\n",
                name, f.closed_rate, p.rate, load, p.p50, p.p99, p.tact_us, p.backing_us, p.tact_us + p.backing_us);
  };
  line(s.name.c_str(), "as SQLite", f.at_reference);
  line("", "own share", f.at_own);
  std::fflush(stdout);
}

}  // namespace

void cluster_phases(const ClusterBenchOptions& o) {
  struct Dir {
    Dir() {
      std::string t = (std::filesystem::temp_directory_path() / "tact-bench-nodes-XXXXXX").string();
      path = mkdtemp(t.data());
    }
    ~Dir() { std::filesystem::remove_all(path); }
    std::string path;
  } dir;
  test::PostgresServer pg;
  std::printf("bench_load --nodes %d: %d conversations, %d s per phase; paced at %.0f%% of the SQLite node's maximum (as SQLite),\n"
              "and at %.0f%% of each setup's own maximum (own share: the same utilisation of its own path)\n",
              o.nodes, o.conversations, o.seconds, o.share * 100, o.share * 100);
  // One node, SQLite: the reference (and the paced rate for all three).
  Setup sqlite{"1 node, SQLite", {spawn(o, dir.path + "/sqlite", {})}, {}};
  auto base = measure(o, sqlite, 0);
  stop(sqlite);
  print(sqlite, base);
  const double rate = base.closed_rate * o.share;

  Setup one_pg{"1 node, PostgreSQL", {spawn(o, dir.path, {"--store", pg.new_database()})}, {pg.pid()}};
  print(one_pg, measure(o, one_pg, rate));
  stop(one_pg);

  test::RedisServer redis;
  const auto store = pg.new_database();
  Setup cluster{std::to_string(o.nodes) + " nodes, PostgreSQL+Redis", {}, {pg.pid(), redis.pid()}};
  for (int i = 0; i < o.nodes; ++i) cluster.nodes.push_back(spawn(o, dir.path, {"--store", store, "--bus", redis.url()}));
  print(cluster, measure(o, cluster, rate));
  stop(cluster);
}

}  // namespace tact::bench
