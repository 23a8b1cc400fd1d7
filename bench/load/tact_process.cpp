#include "tact_process.hpp"

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <sstream>

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

namespace tact::bench {

TactProcess spawn_tact(const std::string& bin, const std::string& dir, const std::string& secret,
                       const std::vector<std::string>& extra, bool quiet, int deadline_ms) {
  int fds[2];
  if (pipe(fds) != 0) return {};
  const int pid = fork();
  if (pid == 0) {
    dup2(fds[1], 1);
    if (quiet) {
      const int null = ::open("/dev/null", O_WRONLY);
      if (null >= 0) dup2(null, 2);
    }
    setenv("TACT_SECRET", secret.c_str(), 1);
    std::vector<std::string> args{bin, "serve", "--listen", "127.0.0.1:0", "--data", dir, "--rate", "0", "--send-queue", "4096",
                                  "--threads", "2"};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(fds[1]);
  std::string out;
  char buf[4096];
  const std::string marker = "listening on http://127.0.0.1:";
  for (;;) {
    pollfd p{fds[0], POLLIN, 0};
    if (poll(&p, 1, deadline_ms) <= 0) return {};
    auto n = read(fds[0], buf, sizeof buf);
    if (n <= 0) return {};
    out.append(buf, static_cast<std::size_t>(n));
    // Its stdout stays open and unread afterwards: it prints nothing more there.
    if (auto at = out.find(marker); at != std::string::npos && out.find(' ', at + marker.size()) != std::string::npos)
      return {pid, static_cast<unsigned short>(std::stoi(out.substr(at + marker.size())))};
  }
}

double cpu_seconds(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto close = stat.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(stat.substr(close + 2));
  std::string f;
  unsigned long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> f; ++i) {
    if (i == 14) utime = std::stoull(f);
    if (i == 15) stime = std::stoull(f);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace tact::bench
