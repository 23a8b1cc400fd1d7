#pragma once
// --retain-days N: conversations closed more than N days ago are deleted (messages, coach output,
// whispers, the conversation), a small batch at a time, on the store's writer thread; open ones
// are never touched, nor the rule versions and their audit. tick() is called from the background
// thread (with the health sweep); it starts a batch when the last one is done and either a minute
// has passed or the last batch was full (more are waiting). Freed pages are given back to the file
// system a few at a time (incremental vacuum) on data dirs created since; older ones reuse them.
#include <atomic>
#include <cstdint>
#include <functional>

#include "store/store.hpp"

namespace tact::gateway {

struct RetentionOptions {
  int days = -1;                    // < 0: keep everything
  std::size_t batch = 50;           // conversations per transaction
  std::int64_t every_ms = 60'000;   // between sweeps when the last batch was not full
};

class Retention {
 public:
  Retention(Store& store, RetentionOptions options, std::function<std::int64_t()> now_ms);
  bool enabled() const { return options_.days >= 0; }
  void tick();
  std::uint64_t removed() const { return removed_; }

 private:
  Store& store_;
  RetentionOptions options_;
  std::function<std::int64_t()> now_;
  std::atomic<bool> busy_{false};
  std::atomic<std::int64_t> next_at_{0};
  std::atomic<std::uint64_t> removed_{0};
};

}  // namespace tact::gateway
