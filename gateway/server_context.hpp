#pragma once
// What every session shares: the relay, the routes' context, the per-connection limits, and the
// thread for rule administration.
#include <cstddef>
#include <string>
#include <vector>

#include <boost/asio/thread_pool.hpp>

#include "routes.hpp"

namespace tact::gateway {

struct SessionLimits {
  std::size_t max_message = 16384;  // bytes per WebSocket frame and per HTTP body
  std::size_t max_admin_body = 1 << 20;  // bytes per HTTP body under /api/rules (whole rule packs)
  std::size_t send_queue = 1024;    // frames queued per connection before it is dropped
  double rate = 200;                // frames per second per connection (bursts of twice that)
  // WebSocket upgrades whose Origin header is none of these get 403; empty: any Origin. A
  // request without Origin (not from a browser) is always let through.
  std::vector<std::string> allowed_origins;
};

struct ServerContext {
  Relay& relay;
  Metrics& metrics;
  RouteContext routes;
  SessionLimits limits;
  // POSTs under /api/rules compile, test and replay rule packs: tens of ms of CPU (a preview of
  // 500 stored messages took 40-50 ms, a validate 25 ms) that would hold up every connection
  // sharing the io thread (see io_pool.hpp). They run here instead. bench_load --max 22000 with
  // 3 previews a second: p99 at 5,500 msgs/s 4.8-5.3 ms here, 51-52 ms on the io thread.
  boost::asio::thread_pool::executor_type rule_work;
};

}  // namespace tact::gateway
