#pragma once
// Who may see or write a conversation: the one rule, for WebSocket frames and HTTP routes alike
// (docs/protocol.md, "Who sees what"). Pure: it decides from the caller and the conversation's
// facts, which the relay takes from memory or, for a conversation not in memory (closed before a
// restart), from the store. Callable from any thread.
#include <string>

#include "relay/peer.hpp"

namespace tact::gateway {

// What the rule needs to know of a conversation.
struct ConversationFacts {
  std::string id;
  std::string channel;   // "ws" (a live chat) or "api" (events posted over HTTP by a host platform)
  std::string customer;  // the customer's sub ("" for API conversations)
  std::string agent;     // the assigned agent (or, for API conversations, the agent who opened it); "" while queued
  bool open = true;
};

enum class Access {
  read,        // GET its transcript (a customer gets their own, without coaching or whispers)
  message,     // a WebSocket `message` frame into it
  draft,       // a WebSocket `draft` frame
  close,       // a WebSocket `close` frame
  whisper,     // a supervisor's hint to the agent
  post_event,  // POST /api/conversations/{id}/events
  review,      // GET /api/conversations/{id}/review: its agent and staff, never the customer
  rate,        // a WebSocket `rating` frame: its customer, once it is closed
  feedback,    // a WebSocket `feedback` frame on its coaching: its agent, open or closed
  lesson,      // POST /api/conversations/{id}/lessons: supervisors and admins, once it is closed
};

struct AccessDecision {
  bool allowed = false;
  int status = 200;   // the HTTP status of a refusal
  std::string code;   // the protocol's error code of a refusal
  std::string message;
  explicit operator bool() const { return allowed; }
};

// Ids "chatwoot:..." are an integration's (integrations/chatwoot/receiver.hpp): agents may read the
// ones assigned to them but never post events into them, nor open one.
// `c` is null when no such conversation exists (in memory or stored). Posting an event to an
// unknown id opens it (for an agent, supervisor or admin); nothing else may touch an unknown id,
// and a refusal never tells whether a conversation the caller may not see exists.
AccessDecision decide(const Identity& who, Access what, const std::string& id, const ConversationFacts* c);

// GET /api/insights: supervisors and admins for anyone (`agent` "" = the whole team); an agent only
// for themselves (`agent` "" or their own sub); never a customer.
AccessDecision decide_insights(const Identity& who, const std::string& agent);

}  // namespace tact::gateway
