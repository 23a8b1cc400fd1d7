#pragma once
// A client connected to another node, as the owner of its conversation sees it (relay/cluster.cpp):
// what the relay sends it (an ack, a refusal, a draft check) goes back over the bus to that
// user's connections.
#include <functional>
#include <string>

#include "relay/peer.hpp"

namespace tact::gateway {

class RemotePeer final : public Peer {
 public:
  RemotePeer(Identity who, bool subscribed, std::function<void(const Identity&, Frames)> send_back)
      : Peer(std::move(who)), subscribed_(subscribed), send_back_(std::move(send_back)) {}
  using Peer::send;
  void send(Frames frames) override { send_back_(who(), std::move(frames)); }
  void shutdown() override {}
  // Whether the connection it stands for subscribed to the supervisors' board.
  bool subscribed() const { return subscribed_; }

 private:
  bool subscribed_;
  std::function<void(const Identity&, Frames)> send_back_;
};

}  // namespace tact::gateway
