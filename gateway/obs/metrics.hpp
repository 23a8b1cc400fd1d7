#pragma once
// Counters and histograms for /metrics (Prometheus text format). Lock-free to update, from any
// thread. The output passes `promtool check metrics` (tests/integration/metrics_test.sh).
#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "auth/jwt.hpp"

namespace tact::gateway {

class Histogram {
 public:
  // Upper bounds in seconds.
  static constexpr std::array<double, 12> kBounds = {0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005,
                                                     0.001,   0.0025,   0.005,   0.01,   0.05,    0.25};
  void observe(double seconds);
  void render(std::string& out, const std::string& name, const std::string& help) const;

 private:
  std::array<std::atomic<std::uint64_t>, kBounds.size() + 1> buckets_{};
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::uint64_t> sum_ns_{0};
};

struct Metrics {
  std::array<std::atomic<std::int64_t>, 4> connections{};       // by UserRole
  std::array<std::atomic<std::uint64_t>, 2> messages{};          // customer, agent
  std::atomic<std::uint64_t> dropped_clients{0};
  std::atomic<std::uint64_t> store_batches{0};
  std::atomic<std::uint64_t> store_ops{0};
  Histogram coach_seconds;
  Histogram store_commit_seconds;

  // Integrations (integrations/): private notes posted into the platform, by result (sent,
  // retried, failed, rate_limited, dropped), and webhooks, by outcome (coached, ignored, duplicate,
  // closed, refused codes).
  std::atomic<std::uint64_t> notes_sent{0}, notes_retried{0}, notes_failed{0}, notes_rate_limited{0}, notes_dropped{0};
  void count_webhook(const std::string& outcome);
  // Agents' feedback on the coach (issue 22), by kind: dispute, used, edited.
  void count_coach_feedback(const std::string& kind);

  void count_error(const std::string& code);
  std::string render() const;

 private:
  mutable std::mutex errors_mutex_;
  std::map<std::string, std::uint64_t> errors_;
  std::map<std::string, std::uint64_t> webhooks_;
  std::map<std::string, std::uint64_t> coach_feedback_;
};

}  // namespace tact::gateway
