#pragma once
// Starting the `tact serve` under measurement, and reading how much CPU a process has used.
#include <string>
#include <vector>

namespace tact::bench {

struct TactProcess {
  int pid = -1;  // -1: it did not start (or printed no port within the deadline)
  unsigned short port = 0;
};

// `bin serve --listen 127.0.0.1:0 --data dir --rate 0 --send-queue 4096 --threads 2 [extra]` with
// TACT_SECRET=secret; returns once it printed its port. Its stderr goes to /dev/null when `quiet`.
TactProcess spawn_tact(const std::string& bin, const std::string& dir, const std::string& secret,
                       const std::vector<std::string>& extra = {}, bool quiet = false, int deadline_ms = 60000);

// CPU seconds (user + system) the process has used, from /proc/PID/stat: per message, a figure the
// machine's noise does not move much, unlike throughput.
double cpu_seconds(int pid);

}  // namespace tact::bench
