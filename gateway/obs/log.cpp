#include "obs/log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>

#include "json_io.hpp"

namespace tact::gateway {
namespace {
std::atomic<bool> g_on{true};
std::mutex g_mutex;
}  // namespace

void set_logging(bool on) { g_on = on; }

void log_event(std::string_view event, nlohmann::json fields) {
  if (!g_on) return;
  using namespace std::chrono;
  nlohmann::json line = nlohmann::json::object();
  line["ts"] = duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  line["event"] = event;
  if (fields.is_object()) line.update(fields);
  const std::string text = coach::dump(line) + "\n";
  std::lock_guard lock(g_mutex);
  std::fwrite(text.data(), 1, text.size(), stderr);
  std::fflush(stderr);
}

}  // namespace tact::gateway
