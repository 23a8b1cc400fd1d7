#pragma once
// What every session shares: the relay, the routes' context, the per-connection limits, and the
// background thread.
#include <cstddef>
#include <string>
#include <vector>

#include <boost/asio/thread_pool.hpp>

#include "http/routes.hpp"

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
  // Work too long for an io thread, which would hold up every connection sharing it (see
  // io_pool.hpp). POSTs under /api/rules compile, test and replay rule packs: a preview of 500
  // stored messages took 40-50 ms, a validate 25 ms; bench_load --max 22000 with 3 previews a
  // second gave p99 at 5,500 msgs/s of 4.8-5.3 ms with them here, 51-52 ms on the io thread. The
  // supervisors' health sweep takes a snapshot of every open conversation (about 10 us each).
  boost::asio::thread_pool::executor_type background;
};

}  // namespace tact::gateway
