#include "net/io_pool.hpp"

#include <thread>

#include "obs/contained.hpp"

namespace tact::gateway {

IoPool::IoPool(int threads) {
  for (int i = 0; i < std::max(1, threads); ++i) {
    contexts_.push_back(std::make_unique<boost::asio::io_context>(1));
    idle_.push_back(boost::asio::make_work_guard(*contexts_.back()));
  }
}

boost::asio::io_context& IoPool::next() { return *contexts_[next_++ % contexts_.size()]; }

namespace {
// A handler that throws ends run(); the thread logs it and runs again, so the exception costs that
// handler's work only. (Handlers contain their own failures; this is the last line.)
void run_contained(boost::asio::io_context& ioc) {
  while (!contained("io_thread", [&] { ioc.run(); })) {
    if (ioc.stopped()) return;
  }
}
}  // namespace

void IoPool::run() {
  std::vector<std::thread> others;
  for (std::size_t i = 1; i < contexts_.size(); ++i) others.emplace_back([c = contexts_[i].get()] { run_contained(*c); });
  run_contained(*contexts_.front());
  for (auto& t : others) t.join();
}

void IoPool::stop() {
  for (auto& g : idle_) g.reset();
  for (auto& c : contexts_) c->stop();
}

}  // namespace tact::gateway
