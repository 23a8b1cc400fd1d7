#include "obs/metrics.hpp"

#include <cstdio>

namespace tact::gateway {

void Histogram::observe(double seconds) {
  std::size_t i = 0;
  while (i < kBounds.size() && seconds > kBounds[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_ns_.fetch_add(static_cast<std::uint64_t>(seconds * 1e9), std::memory_order_relaxed);
}

void Histogram::render(std::string& out, const std::string& name, const std::string& help) const {
  out += "# HELP " + name + " " + help + "\n# TYPE " + name + " histogram\n";
  std::uint64_t cumulative = 0;
  char buf[64];
  for (std::size_t i = 0; i < kBounds.size(); ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    std::snprintf(buf, sizeof buf, "%g", kBounds[i]);
    out += name + "_bucket{le=\"" + buf + "\"} " + std::to_string(cumulative) + "\n";
  }
  cumulative += buckets_[kBounds.size()].load(std::memory_order_relaxed);
  out += name + "_bucket{le=\"+Inf\"} " + std::to_string(cumulative) + "\n";
  std::snprintf(buf, sizeof buf, "%.9f", static_cast<double>(sum_ns_.load()) / 1e9);
  out += name + "_sum " + buf + "\n" + name + "_count " + std::to_string(count_.load()) + "\n";
}

void Metrics::count_webhook(const std::string& outcome) {
  std::lock_guard lock(errors_mutex_);
  ++webhooks_[outcome];
}

void Metrics::count_coach_feedback(const std::string& kind) {
  std::lock_guard lock(errors_mutex_);
  ++coach_feedback_[kind];
}

void Metrics::count_error(const std::string& code) {
  std::lock_guard lock(errors_mutex_);
  ++errors_[code];
}

std::string Metrics::render() const {
  std::string out;
  out += "# HELP tact_connections Open WebSocket connections by role.\n# TYPE tact_connections gauge\n";
  for (auto r : {UserRole::customer, UserRole::agent, UserRole::supervisor, UserRole::admin})
    out += "tact_connections{role=\"" + std::string(to_string(r)) + "\"} " +
           std::to_string(connections[static_cast<int>(r)].load()) + "\n";
  out += "# HELP tact_messages_total Messages stored and relayed, by author role.\n# TYPE tact_messages_total counter\n";
  out += "tact_messages_total{role=\"customer\"} " + std::to_string(messages[0].load()) + "\n";
  out += "tact_messages_total{role=\"agent\"} " + std::to_string(messages[1].load()) + "\n";
  out += "# HELP tact_dropped_clients_total Connections closed because they did not read.\n"
         "# TYPE tact_dropped_clients_total counter\ntact_dropped_clients_total " +
         std::to_string(dropped_clients.load()) + "\n";
  out += "# HELP tact_store_batches_total Store transactions.\n# TYPE tact_store_batches_total counter\n"
         "tact_store_batches_total " + std::to_string(store_batches.load()) + "\n";
  out += "# HELP tact_store_batch_messages_total Writes stored.\n# TYPE tact_store_batch_messages_total counter\n"
         "tact_store_batch_messages_total " + std::to_string(store_ops.load()) + "\n";
  coach_seconds.render(out, "tact_coach_seconds", "Time to coach one message.");
  store_commit_seconds.render(out, "tact_store_commit_seconds", "Time to commit one store transaction.");
  out += "# HELP tact_integration_notes_total Private notes posted into a chat platform, by result.\n"
         "# TYPE tact_integration_notes_total counter\n";
  const std::pair<const char*, const std::atomic<std::uint64_t>*> notes[] = {
      {"sent", &notes_sent}, {"retried", &notes_retried}, {"failed", &notes_failed}, {"rate_limited", &notes_rate_limited}, {"dropped", &notes_dropped}};
  for (const auto& [result, n] : notes) out += "tact_integration_notes_total{result=\"" + std::string(result) + "\"} " + std::to_string(n->load()) + "\n";
  std::lock_guard lock(errors_mutex_);
  out += "# HELP tact_integration_webhooks_total Webhooks from chat platforms, by outcome.\n# TYPE tact_integration_webhooks_total counter\n";
  for (const auto& [outcome, n] : webhooks_) out += "tact_integration_webhooks_total{outcome=\"" + outcome + "\"} " + std::to_string(n) + "\n";
  out += "# HELP tact_coach_feedback_total Agents' feedback on the coach, by kind.\n# TYPE tact_coach_feedback_total counter\n";
  for (const auto& [kind, n] : coach_feedback_) out += "tact_coach_feedback_total{kind=\"" + kind + "\"} " + std::to_string(n) + "\n";
  out += "# HELP tact_errors_total Error events sent, by code.\n# TYPE tact_errors_total counter\n";
  for (const auto& [code, n] : errors_) out += "tact_errors_total{code=\"" + code + "\"} " + std::to_string(n) + "\n";
  return out;
}

}  // namespace tact::gateway
