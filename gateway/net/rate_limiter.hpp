#pragma once
// A token bucket: `rate` frames per second on average, bursts of `burst`. Not thread-safe (one
// per connection, used on its strand).
#include <algorithm>
#include <chrono>

namespace tact::gateway {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  RateLimiter(double rate, double burst) : rate_(rate), burst_(burst), tokens_(burst), last_(Clock::now()) {}

  bool allow(Clock::time_point now = Clock::now()) {
    if (rate_ <= 0) return true;
    tokens_ = std::min(burst_, tokens_ + std::chrono::duration<double>(now - last_).count() * rate_);
    last_ = now;
    if (tokens_ < 1) return false;
    tokens_ -= 1;
    return true;
  }

 private:
  double rate_, burst_, tokens_;
  Clock::time_point last_;
};

}  // namespace tact::gateway
