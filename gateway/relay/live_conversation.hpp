#pragma once
// One open conversation's coaching state, as the gateway keeps it in memory. Everything below
// `mutex` is guarded by it: a conversation's events are applied (and queued for storage) one at a
// time, in order, whichever connection they come from.
#include <cstdint>
#include <deque>
#include <mutex>
#include <string>

#include "conversation.hpp"

namespace tact::gateway {

// A message as its author's client numbered it. A client that got no ack (its connection dropped)
// sends the message again with the same client_id: it is acknowledged again, not stored twice.
struct SentMessage {
  std::string author;     // sub
  std::string client_id;
  std::string id;
  std::int64_t seq = 0;
  bool stored = false;  // false while queued for the store
};
inline constexpr std::size_t kRecentSent = 16;  // a client resends only what is still unacknowledged

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
  std::deque<SentMessage> recent_sent;  // the last kRecentSent messages that had a client_id

  const SentMessage* find_sent(const std::string& author, const std::string& client_id) const {
    for (const auto& m : recent_sent)
      if (m.client_id == client_id && m.author == author) return &m;
    return nullptr;
  }
  void remember_sent(SentMessage m) {
    if (m.client_id.empty()) return;
    recent_sent.push_back(std::move(m));
    if (recent_sent.size() > kRecentSent) recent_sent.pop_front();
  }
  // The store's answer for `message_id`: a failed one is forgotten at once, so that sending it
  // again stores it (instead of waiting for an ack that will never come).
  void sent_done(const std::string& message_id, bool stored) {
    for (auto it = recent_sent.begin(); it != recent_sent.end(); ++it) {
      if (it->id != message_id) continue;
      if (stored) it->stored = true;
      else recent_sent.erase(it);
      return;
    }
  }
};

}  // namespace tact::gateway
