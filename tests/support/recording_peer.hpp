#pragma once
// A connection without a socket, for testing the relay and the hub: it records every frame sent
// to it (from any thread; the store's writer thread sends most) and lets a test wait for one.
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "relay/peer.hpp"

namespace tact::test {

class RecordingPeer : public gateway::Peer {
 public:
  explicit RecordingPeer(gateway::Identity who) : Peer(std::move(who)) {}

  void send(gateway::Frames frames) override {
    std::lock_guard lock(mutex_);
    for (const auto& f : frames) received_.push_back(nlohmann::json::parse(*f));
    arrived_.notify_all();
  }
  void shutdown() override {}

  // The next frame of `type` not yet taken (earlier frames of other types are skipped over, but
  // kept for all()); nullopt after `wait` without one.
  std::optional<nlohmann::json> next(const std::string& type, std::chrono::milliseconds wait = std::chrono::seconds(5)) {
    std::unique_lock lock(mutex_);
    std::optional<nlohmann::json> found;
    arrived_.wait_for(lock, wait, [&] {
      for (; cursor_ < received_.size(); ++cursor_)
        if (received_[cursor_].value("type", "") == type) {
          found = received_[cursor_++];
          return true;
        }
      return false;
    });
    return found;
  }

  // Every frame received so far, in order.
  std::vector<nlohmann::json> all() const {
    std::lock_guard lock(mutex_);
    return received_;
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable arrived_;
  std::vector<nlohmann::json> received_;
  std::size_t cursor_ = 0;
};

}  // namespace tact::test
