#pragma once
// One JSON line per notable event, on stderr: {"ts":ms,"event":"...",...fields}. Thread-safe.
#include <string_view>

#include <nlohmann/json.hpp>

namespace tact::gateway {

void log_event(std::string_view event, nlohmann::json fields = nlohmann::json::object());

// Silences log_event (unit tests).
void set_logging(bool on);

}  // namespace tact::gateway
