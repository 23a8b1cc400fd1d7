#pragma once
// One open conversation's coaching state, as the gateway keeps it in memory. Everything below
// `mutex` is guarded by it: a conversation's events are applied (and queued for storage) one at a
// time, in order, whichever connection they come from.
#include <cstdint>
#include <mutex>
#include <string>

#include "conversation.hpp"

namespace tact::gateway {

struct LiveConversation {
  LiveConversation(std::string id_, std::string channel_, std::string customer_, std::string customer_name_)
      : id(std::move(id_)), channel(std::move(channel_)), customer(std::move(customer_)), customer_name(std::move(customer_name_)) {}

  const std::string id;
  const std::string channel;        // "ws" or "api"
  const std::string customer;       // sub
  const std::string customer_name;

  std::mutex mutex;
  coach::Conversation coach;
  std::int64_t seq = 0;
  std::int64_t whispers = 0;
  bool open = true;
  coach::Health last_health;  // score and reasons last sent to supervisors
  // A write for it failed: the state and seq count a message the store does not have. Rebuilt
  // from the store (and the conversation's row queued again) once no write is pending.
  bool needs_rebuild = false;
  int pending = 0;  // messages queued for the store, not yet done
};

}  // namespace tact::gateway
