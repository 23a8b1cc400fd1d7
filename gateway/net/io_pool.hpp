#pragma once
// The server's threads: one io_context per thread, and each connection on one of them (round
// robin), on its own strand there. A single io_context run by every thread hands each ready
// socket's handlers to whichever thread is free, so a connection's work hops between threads:
// the scheduler's lock, a wakeup per handover, and the session's state in the other core's cache.
// bench_load --max 22000, 3 runs each, interleaved with the build before: server CPU per message
// at 11,000/s 66.8-74.5 us against 75.7-80.6 (p50 1.1-1.6 ms against 1.7-2.0), at 5,500/s
// 100.7-103.1 against 102.5-109.6 (that build also had the SAX frame parser and in-place SQLite
// binds, which alone gave 73.6-77.3 and 101.7-109.3). The closed loop did not change measurably.
#include <atomic>
#include <memory>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

namespace tact::gateway {

class IoPool {
 public:
  explicit IoPool(int threads);
  // Where the server's own timers and signals run.
  boost::asio::io_context& main() { return *contexts_.front(); }
  // The next connection's io_context; callable from any thread.
  boost::asio::io_context& next();
  // Runs every io_context, the first on the calling thread; returns once stop() has ended them all.
  void run();
  void stop();

 private:
  using Guard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  std::vector<Guard> idle_;  // an io_context without connections must not return from run()
  std::atomic<std::size_t> next_{0};
};

}  // namespace tact::gateway
