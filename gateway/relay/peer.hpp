#pragma once
// What the hub and the relay know of a connection: who it is, and a way to send it a frame.
#include <memory>
#include <string>
#include <vector>

#include "auth/identity.hpp"

namespace tact::gateway {


using Frame = std::shared_ptr<const std::string>;
using Frames = std::vector<Frame>;

class Peer {
 public:
  explicit Peer(Identity who) : who_(std::move(who)) {}
  virtual ~Peer() = default;
  Peer(const Peer&) = delete;
  Peer& operator=(const Peer&) = delete;

  const Identity& who() const { return who_; }
  // Queues frames, in order; callable from any thread, never blocks. Frames queued in one call
  // leave in one write to the socket.
  virtual void send(Frames frames) = 0;
  void send(Frame frame) { send(Frames{std::move(frame)}); }
  // Finishes queued writes and closes with 1001 (server shutdown).
  virtual void shutdown() = 0;

 private:
  Identity who_;
};

inline Frame make_frame(std::string s) { return std::make_shared<const std::string>(std::move(s)); }

}  // namespace tact::gateway
