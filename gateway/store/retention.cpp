#include "store/retention.hpp"

#include "obs/log.hpp"

namespace tact::gateway {

Retention::Retention(Store& store, RetentionOptions options, std::function<std::int64_t()> now_ms)
    : store_(store), options_(options), now_(std::move(now_ms)) {}

void Retention::tick() {
  if (!enabled()) return;
  const auto now = now_();
  if (now < next_at_ || busy_.exchange(true)) return;
  const std::int64_t cutoff = now - static_cast<std::int64_t>(options_.days) * 86'400'000;
  store_.purge_closed(cutoff, options_.batch, [this](std::error_code ec, std::size_t removed) {
    if (ec) log_event("store_failed", {{"what", "retention"}});
    if (removed) {
      removed_ += removed;
      log_event("retention_purged", {{"conversations", removed}});
    }
    // A full batch: more are due, at the next tick; otherwise wait a while.
    next_at_ = ec || removed < options_.batch ? now_() + options_.every_ms : 0;
    busy_ = false;
  });
}

}  // namespace tact::gateway
