#pragma once
// The gateway's logic, without sockets: what each client frame does (coach it, store it, then
// acknowledge and fan it out), the HTTP API's reads and events, the health timer, and the
// rebuild of open conversations on start. Thread-safe: called from any connection's strand.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "hub.hpp"
#include "metrics.hpp"
#include "protocol.hpp"
#include "rule_set.hpp"
#include "store.hpp"

namespace tact::gateway {

struct RulesRef {
  coach::RuleSetPtr set;
  std::string version;  // "<name>@<12 hex of sha256>"
};

struct EventResult {
  int status = 200;
  nlohmann::json body;
};

class Relay {
 public:
  using Clock = std::function<std::int64_t()>;  // ms since the epoch
  Relay(Hub& hub, Store& store, Metrics& metrics, RulesRef rules, Clock now_ms);

  // Re-applies every open conversation's stored messages. False with `error` on failure.
  bool recover(std::string& error);

  void connected(const std::shared_ptr<Peer>& peer);
  void disconnected(const Peer* peer);
  void handle(const std::shared_ptr<Peer>& peer, const ClientFrame& frame);
  void refuse(Peer& peer, const FrameError& e);
  // Health events for conversations whose customer waits (every few seconds).
  void tick();

  // POST /api/conversations/{id}/events. `done` runs once stored (from the store's thread).
  void post_event(const Identity& who, const std::string& conversation, coach::Role role, std::string text,
                  std::int64_t at, std::function<void(EventResult)> done);
  nlohmann::json list(const Identity& who);
  // Null when there is no such conversation or `who` may not see it.
  std::optional<nlohmann::json> transcript(const Identity& who, const std::string& id);

  RulesRef rules() const;
  // Makes `rules` live: every message from now on is coached by it (each message copies the
  // pointer once, so it is coached by one set). Open conversations keep their state.
  void set_rules(RulesRef rules);
  std::size_t open_count() const { return hub_.open_conversations().size(); }

 private:
  struct Stored {
    std::string conversation, id;
    std::int64_t seq = 0;
    Frame message, coach, health;  // health: null when score and reasons did not change
  };
  using AfterStore = std::function<void(std::error_code, const Stored&)>;
  struct Applied {
    enum What { queued, closed, duplicate } what = queued;
    SentMessage earlier;  // for a duplicate: the message it repeats
  };
  // Coaches and queues the message under the conversation's lock; not when the conversation is
  // closed or `client_id` repeats a message of the same author.
  Applied apply(const ConversationView& view, const Identity& author, coach::Role role, std::string text, std::int64_t at,
             std::string client_id, AfterStore after);
  void on_message(const std::shared_ptr<Peer>& peer, const ClientFrame& f);
  void on_draft(const std::shared_ptr<Peer>& peer, const ClientFrame& f);
  void on_close(const std::shared_ptr<Peer>& peer, const ClientFrame& f);
  void on_whisper(const std::shared_ptr<Peer>& peer, const ClientFrame& f);
  void on_subscribe(const std::shared_ptr<Peer>& peer);
  // The open conversation `id` if `who` may write to it; otherwise refuses and returns null.
  std::optional<ConversationView> writable(Peer& peer, const std::string& id, const nlohmann::json& ref);
  void announce_assignment(const std::string& conversation, const std::string& agent);
  std::string next_conversation_id();

  Hub& hub_;
  Store& store_;
  Metrics& metrics_;
  mutable std::mutex rules_mutex_;
  RulesRef rules_;
  Clock now_;
  std::atomic<std::int64_t> next_id_{1};
};

}  // namespace tact::gateway
