#pragma once
// POST /integrations/chatwoot/{integration}/webhook: a Chatwoot webhook, verified, de-duplicated
// and turned into what the HTTP events API does (Relay::post_event, close_api, reassign_api), so
// that a Chatwoot conversation is coached like any host platform's (docs/integrations/chatwoot.md).
//
// Ids: the Chatwoot conversation 42 of integration "support" is Tact's "chatwoot:support:42"
// (after it was resolved and reopened: "chatwoot:support:42.2", ...); Chatwoot's agent 7 is the
// token sub "chatwoot:support:agent:7", and the conversation's agent is its Chatwoot assignee (or,
// while it has none, the agent who answered). The webhook writes as the integration itself, a
// staff identity that no token carries.
// Threads: handle() on an io thread; `done` there (ignored, refused) or on the store's writer
// thread (once a message is stored).
#include <cstdint>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "integrations/chatwoot/note_poster.hpp"
#include "integrations/integration_store.hpp"
#include "relay/relay.hpp"

namespace tact::gateway::chatwoot {

struct WebhookRequest {
  std::string integration;  // the path's name
  std::string timestamp, signature, delivery;  // X-Chatwoot-Timestamp, -Signature, -Delivery
  std::string body;
};

struct WebhookAnswer {
  int status = 200;
  nlohmann::json body;
};

std::string conversation_base(const std::string& integration, std::int64_t conversation);
std::string agent_sub(const std::string& integration, std::int64_t user);

class Receiver {
 public:
  using Clock = std::function<std::int64_t()>;  // ms
  // `notes`: null when no private notes are posted at all.
  Receiver(Relay& relay, IntegrationStore& store, NotePoster* notes, Metrics& metrics, Clock now_ms)
      : relay_(relay), store_(store), notes_(notes), metrics_(metrics), now_(std::move(now_ms)) {}

  void handle(const WebhookRequest& req, std::function<void(WebhookAnswer)> done);

 private:
  // The Tact conversation a Chatwoot one is in now: its latest round that is open, or the next
  // round's id when every earlier one was closed (resolved, then reopened in Chatwoot).
  std::string current_round(const std::string& base);

  Relay& relay_;
  IntegrationStore& store_;
  NotePoster* notes_;
  Metrics& metrics_;
  Clock now_;
};

}  // namespace tact::gateway::chatwoot
