#include "obs/process_memory.hpp"

#include <fstream>
#include <string>

namespace tact::gateway {

long rss_kib(int pid) {
  std::ifstream status(pid == 0 ? std::string("/proc/self/status") : "/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  return 0;
}

}  // namespace tact::gateway
