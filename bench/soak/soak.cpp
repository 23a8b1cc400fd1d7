// bench_soak: a real `tact serve` (temp data dir, loopback) under customer + agent traffic for
// a long time. First the maximum: every conversation answers as fast as it can for --probe
// seconds; then --minutes at --rate coached messages per second (default: half that maximum).
// Prints the server's RSS at the start and the end and, each minute, the messages, p50 and p99
// latency (customer send -> agent coach event) and RSS: memory should stay flat, latency steady.
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include "obs/process_memory.hpp"
#include "tact_process.hpp"
#include "traffic.hpp"

namespace {

const std::string kSecret = "bench-soak-secret-0123456789abcdef";

}  // namespace

int main(int argc, char** argv) {
  std::string bin = TACT_BIN;
  int minutes = 10, conversations = 200, probe = 10;
  double rate = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--tact") bin = argv[i + 1];
    else if (a == "--minutes") minutes = std::clamp(std::atoi(argv[i + 1]), 1, 24 * 60);
    else if (a == "--rate") rate = std::max(0.0, std::atof(argv[i + 1]));
    else if (a == "--conversations") conversations = std::clamp(std::atoi(argv[i + 1]), 1, 5000);
    else if (a == "--probe") probe = std::clamp(std::atoi(argv[i + 1]), 1, 120);
  }
  const auto dir = std::filesystem::temp_directory_path() / ("tact-soak-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const auto server = tact::bench::spawn_tact(bin, dir.string(), kSecret);
  const int pid = server.pid;
  const unsigned short port = server.port;
  if (pid < 0) {
    std::fprintf(stderr, "bench_soak: cannot start %s serve\n", bin.c_str());
    return 1;
  }
  using tact::bench::Traffic;
  using tact::bench::TrafficOptions;
  boost::asio::io_context ioc;
  int status = 0;
  // Lives until the end: its connections' handlers may still run after close().
  std::unique_ptr<Traffic> max;
  if (rate <= 0) {
    max = std::make_unique<Traffic>(ioc, TrafficOptions{port, kSecret, conversations, "max", 0, {}});
    if (!max->connect()) return std::fprintf(stderr, "bench_soak: cannot connect\n"), 1;
    max->start();
    ioc.run_for(std::chrono::seconds(1));
    const auto before = max->coached();
    ioc.run_for(std::chrono::seconds(probe));
    const double measured = static_cast<double>(max->coached() - before) / probe;
    rate = measured / 2;
    std::printf("bench_soak: maximum %.0f coached msgs/s over %d s with %d conversations; soaking at half: %.0f msgs/s\n", measured,
                probe, conversations, rate);
    max->close();
    ioc.run_for(std::chrono::milliseconds(500));
  }
  Traffic soak(ioc, TrafficOptions{port, kSecret, conversations, "soak", rate, {}});
  if (!soak.connect()) return std::fprintf(stderr, "bench_soak: cannot connect\n"), 1;
  soak.start();
  ioc.run_for(std::chrono::seconds(2));  // warm up
  soak.take_latencies();
  const long rss_start = tact::gateway::rss_kib(pid);
  std::printf("bench_soak: %d min at %.0f msgs/s, %d conversations; server RSS at start %ld KiB\n", minutes, rate, conversations,
              rss_start);
  std::printf("minute  msgs/s     p50 us     p99 us   max us   RSS KiB\n");
  std::fflush(stdout);
  std::vector<double> p99s;
  for (int m = 1; m <= minutes; ++m) {
    const auto before = soak.coached();
    ioc.run_for(std::chrono::minutes(1));
    auto lat = soak.take_latencies();
    p99s.push_back(tact::bench::percentile(lat, 0.99));
    std::printf("%6d %7.0f %10.0f %10.0f %8.0f %9ld\n", m, static_cast<double>(soak.coached() - before) / 60,
                tact::bench::percentile(lat, 0.5), p99s.back(), tact::bench::percentile(lat, 1.0), tact::gateway::rss_kib(pid));
    std::fflush(stdout);
  }
  const long rss_end = tact::gateway::rss_kib(pid);
  std::printf("bench_soak: RSS start %ld KiB, end %ld KiB (%+.1f%%); p99 first minute %.0f us, last %.0f us; errors %llu, disconnects %llu\n",
              rss_start, rss_end, 100.0 * static_cast<double>(rss_end - rss_start) / static_cast<double>(std::max(rss_start, 1L)),
              p99s.front(), p99s.back(), static_cast<unsigned long long>(soak.errors()),
              static_cast<unsigned long long>(soak.disconnects()));
  std::fflush(stdout);
  soak.close();
  ioc.run_for(std::chrono::milliseconds(200));
  kill(pid, SIGTERM);
  waitpid(pid, &status, 0);
  std::filesystem::remove_all(dir);
  return 0;
}
