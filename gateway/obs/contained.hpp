#pragma once
// Containment (RESTinio's rule): every completion handler and thread entry runs its work through
// contained(), so a throw is logged as one JSON line and ends at most that connection or request,
// never the process. A handler that must clean up on failure passes `on_failure`.
#include <exception>
#include <string_view>

#include "obs/log.hpp"

namespace tact::gateway {

template <class Work, class OnFailure>
bool contained(std::string_view what, Work&& work, OnFailure&& on_failure) noexcept {
  const char* reason = "unknown exception";
  try {
    work();
    return true;
  } catch (const std::exception& e) {
    reason = e.what();
  } catch (...) {
  }
  try {
    log_event("handler_failed", {{"where", what}, {"error", reason}});
    on_failure();
  } catch (...) {
  }
  return false;
}

template <class Work>
bool contained(std::string_view what, Work&& work) noexcept {
  return contained(what, std::forward<Work>(work), [] {});
}

}  // namespace tact::gateway
