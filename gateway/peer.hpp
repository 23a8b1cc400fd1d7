#pragma once
// What the hub and the relay know of a connection: who it is, and a way to send it a frame.
#include <memory>
#include <string>

#include "jwt.hpp"

namespace tact::gateway {

struct Identity {
  UserRole role = UserRole::customer;
  std::string sub;
  std::string name;
};

using Frame = std::shared_ptr<const std::string>;

class Peer {
 public:
  explicit Peer(Identity who) : who_(std::move(who)) {}
  virtual ~Peer() = default;
  Peer(const Peer&) = delete;
  Peer& operator=(const Peer&) = delete;

  const Identity& who() const { return who_; }
  // Queues a frame; callable from any thread, never blocks.
  virtual void send(Frame frame) = 0;
  // Finishes queued writes and closes with 1001 (server shutdown).
  virtual void shutdown() = 0;

 private:
  Identity who_;
};

inline Frame make_frame(std::string s) { return std::make_shared<const std::string>(std::move(s)); }

}  // namespace tact::gateway
