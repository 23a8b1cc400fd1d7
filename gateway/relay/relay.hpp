#pragma once
// The gateway's logic, without sockets: what each client frame does (coach it, store it, then
// acknowledge and fan it out), the HTTP API's reads and events, the health timer, and the
// rebuild of open conversations on start. Thread-safe: called from any connection's strand.
// Threads: handle/connected/disconnected/post_event/list/transcript on io threads; tick() on the
// background thread; the `after` of each stored write (ack and fan-out) on the store's writer
// thread; set_rules() from rule administration (background thread). recover() before serving.
#include <atomic>
#include <chrono>
#include <unordered_map>
#include <map>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "bus/bus.hpp"
#include "relay/access.hpp"
#include "relay/hub.hpp"
#include "rules/rules_ref.hpp"
#include "obs/metrics.hpp"
#include "protocol/protocol.hpp"
#include "relay/redaction.hpp"
#include "rule_set.hpp"
#include "store/store.hpp"

namespace tact::gateway {

struct EventResult {
  int status = 200;
  nlohmann::json body;
};

// An access refusal (relay/access.hpp) as an HTTP answer: {"error": code, "message"}.
EventResult refusal(const AccessDecision& d);

// One event posted over HTTP (POST /api/conversations/{id}/events, or an integration's webhook).
struct PostedEvent {
  coach::Role role = coach::Role::customer;
  std::string text;
  std::int64_t at = 0;
  std::string name;        // the author's display name ("" = the token's for an agent, the customer name for a customer)
  std::string author_sub;  // who wrote it as stored ("" = the caller's sub)
  std::string client_id;   // the host's id of the message: a repeat is answered, not stored twice ("" = none)
  std::string agent;       // the conversation's agent from now on ("" = unchanged; an agent who opens it owns it)
};

struct RelayLimits {
  std::size_t max_message = 16384;         // told to clients in `hello`
  std::size_t max_api_conversations = 1000;  // open API conversations one caller (sub) may have opened
  std::size_t health_page = 200;           // health events per `health_page` frame (subscribe, sweep)
  RedactMode redact = RedactMode::store;   // --redact (privacy/redaction.hpp)
};

// Ids of the form c<digits> are the gateway's own (live chats); a host may not open one over HTTP.
bool is_gateway_id(std::string_view id);

class Relay {
 public:
  using Clock = std::function<std::int64_t()>;  // ms since the epoch
  Relay(Hub& hub, Store& store, Metrics& metrics, RulesRef rules, Clock now_ms, RelayLimits limits = {});

  // Re-applies every open conversation's stored messages. False with `error` on failure.
  bool recover(std::string& error);

  void connected(const std::shared_ptr<Peer>& peer);
  void disconnected(const Peer* peer);
  void handle(const std::shared_ptr<Peer>& peer, const ClientFrame& frame);
  void refuse(Peer& peer, const FrameError& e);
  // Health events for conversations whose customer waits (every few seconds).
  void tick();

  // POST /api/conversations/{id}/events, and an integration's webhook (integrations/). `done` runs
  // once (from the store's thread when stored). A repeated `client_id` is answered with the first
  // message's id and seq and "duplicate": true.
  void post_event(const Identity& who, const std::string& conversation, PostedEvent event, std::function<void(EventResult)> done);
  // The host platform reassigned its open API conversation to `agent` (an integration's webhook).
  EventResult reassign_api(const Identity& who, const std::string& conversation, const std::string& agent);
  // POST /api/conversations/{id}/close.
  // `at`: when the host platform closed it (ms); now when absent.
  EventResult close_api(const Identity& who, const std::string& conversation, std::optional<std::int64_t> at = std::nullopt);
  // GET /api/conversations: what `who` may read, with the live health of the open ones (from the
  // store, `as_of` its last message, for those another node of a cluster holds).
  nlohmann::json list(const Identity& who);
  // The transcript, or the refusal (decide() in access.hpp). A customer gets their own chat
  // without coaching or whispers.
  EventResult transcript(const Identity& who, const std::string& id, std::int64_t after_seq = 0);
  // GET /api/conversations/{id}/review (relay_review.cpp): the stored review of a closed
  // conversation with the customer's rating, or the refusal (decide() with Access::review).
  EventResult review(const Identity& who, const std::string& id);
  // GET /api/insights: stored reviews of conversations closed in [from, to) aggregated
  // (coach/insights.hpp), for `agent` alone or ("") the team; decide_insights() says who may ask.
  EventResult insights(const Identity& who, std::int64_t from, std::int64_t to, const std::string& agent);
  // The learning loop (relay_learning.cpp). GET /api/rules/stats: per rule, flags shown and
  // disputed, per template, shown, used and edited, for messages sent in [from, to) (coach_stats.hpp).
  EventResult rule_stats(std::int64_t from, std::int64_t to);
  // GET /api/lessons[?cause=]: newest first; every cause for "".
  EventResult lessons(const std::string& cause);
  // POST /api/conversations/{id}/lessons: tagged with `cause`, else the review's root cause.
  // `done` runs once (from the store's thread when stored): 201 with the lesson, or the refusal.
  void add_lesson(const Identity& who, const std::string& conversation, const std::string& text, std::optional<std::string> cause,
                  std::function<void(EventResult)> done);
  // DELETE /api/lessons/{id}.
  void delete_lesson(const std::string& id, std::function<void(EventResult)> done);
  static constexpr std::size_t kMaxLessonBytes = 1000;

  // The conversation as the one access rule sees it: from memory, else from the store (closed
  // before a restart); null when there is none.
  std::optional<ConversationFacts> facts(const std::string& id);

  RulesRef rules() const;
  // Makes `rules` live: every message from now on is coached by it (each message copies the
  // pointer once, so it is coached by one set). Open conversations keep their state.
  void set_rules(RulesRef rules);
  std::size_t open_count() const { return hub_.open_conversations().size(); }

  // A cluster (`--bus`, relay/cluster.cpp): called before recover(), which then rebuilds nothing
  // (a conversation is rebuilt by the node that takes its lease, when it is needed).
  // `rules_changed` runs when another node published or rolled back rules. Without join() the
  // relay is the single node it always was.
  void join(Bus& bus, std::function<void()> rules_changed);
  // Tells the other nodes that the live rules changed here.
  void announce_rules(std::int64_t version);
  // For /healthz: null on a single node.
  nlohmann::json cluster_status() const;
 private:
  void add_stored_health(nlohmann::json& rows, const std::vector<std::size_t>& which, std::int64_t now);
  struct Stored {
    std::string conversation, id;
    std::int64_t seq = 0;
    Frame message, coach, health;  // health: null when score and reasons did not change
    Frame message_redacted, coach_redacted;  // null when nothing was redacted (privacy/redaction.hpp)
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
  // The stored message `author` sent with `client_id` (a write refused as a duplicate was one).
  std::optional<MessageRecord> stored_with_client_id(const std::string& conversation, const std::string& author,
                                                     const std::string& client_id);
  void on_draft(const std::shared_ptr<Peer>& peer, const ClientFrame& f);
  void on_close(const std::shared_ptr<Peer>& peer, const ClientFrame& f);
  void on_whisper(const std::shared_ptr<Peer>& peer, const ClientFrame& f);
  void on_subscribe(const std::shared_ptr<Peer>& peer);
  // The health of every conversation this node holds, in `health_page` frames: pages, not a frame
  // per conversation, so thousands of open conversations do not fill a supervisor's send queue
  // (--send-queue counts frames) and get it dropped.
  Frames board_pages();
  // A `health` event for supervisors: its quotes redacted unless --redact off (they see messages so).
  std::string supervisor_health(const std::string& conversation, coach::Snapshot snap, const std::string& agent,
                                const coach::RuleSet& rules) const;
  void on_rating(const std::shared_ptr<Peer>& peer, const ClientFrame& f);
  void on_feedback(const std::shared_ptr<Peer>& peer, const ClientFrame& f);
  nlohmann::json lesson_json(const LessonRecord& l) const;
  // Reviews the conversation that just closed (its messages as stored) and stores the review;
  // `then` runs once that is stored or failed, on the store's thread.
  void review_closed(const std::string& id, const std::string& agent, std::int64_t at, std::function<void()> then);
  // The review of a stored conversation as it stood at `at`; nullopt (logged) when it cannot be made.
  std::optional<ReviewRecord> make_review(const std::string& id, const std::string& agent, std::int64_t at);
  // Reviews closed conversations that have none (a crash between the close and its review, or a
  // data dir from before reviews), the latest kReviewBacklog first; recover() calls it.
  void review_backlog();
  static constexpr std::size_t kReviewBacklog = 500;
  // The open conversation `id` if `who` may write to it; otherwise refuses and returns null.
  std::optional<ConversationView> writable(Peer& peer, Access what, const std::string& id, const nlohmann::json& ref);
  // Marks it closed, stores that, and tells everyone in it.
  void close_conversation(const ConversationView& view, const std::string& by, std::optional<std::int64_t> at = std::nullopt);
  void announce_assignment(const std::string& conversation, const std::string& agent);
  // Makes `agent` the open API conversation's agent (the host platform reassigned it).
  void reassign(const ConversationView& view, const std::string& agent);
  void dispatch(const std::shared_ptr<Peer>& peer, const ClientFrame& frame);
  // Rebuilds an open conversation's state from the store (recover(), and a cluster's adopt()).
  std::shared_ptr<LiveConversation> rebuild(const ConversationRecord& c, const RulesRef& rules, std::size_t& messages,
                                            std::string& error);

  // Delivery that reaches the other nodes too in a cluster (relay/cluster.cpp); the hub's alone otherwise.
  void deliver(const std::string& conversation, const std::vector<Delivery>& frames, const Identity* author);
  void send_to_user(const Identity& who, const Frame& frame);
  void send_to_supervisors(const Frame& frame);
  bool subscribed(const Peer* peer) const;

  // Cluster (relay/cluster.cpp).
  // Whether the frame is for this node: true to handle it here (the conversation is here, or was
  // taken over), false when it was forwarded to its owner or refused.
  bool route(const std::shared_ptr<Peer>& peer, ClientFrame& frame);
  // Takes the lease (unless `claimed`) and rebuilds the conversation here; null when another node holds it.
  std::optional<ConversationView> adopt(const std::string& id, bool claimed = false);
  void on_bus(const std::string& channel, std::string payload);
  void on_forwarded(const std::string& payload);
  // HTTP API events for a conversation another node holds (relay/api_forwarding.cpp): sent to the
  // owner, whose answer comes back to the asking node; unanswered after kEventForwardTimeout, 503.
  void post_event_at(const Identity& who, const std::string& conversation, PostedEvent event,
                     std::function<void(EventResult)> done, bool forwarded);
  void forward_event(const Identity& who, const std::string& conversation, PostedEvent event,
                     std::function<void(EventResult)> done);
  void on_forwarded_event(const nlohmann::json& envelope);
  void on_event_reply(const nlohmann::json& reply);
  void expire_forwarded_events();
  void fan_out(const std::string& conversation, const std::vector<Delivery>& frames, const Identity* author);
  void user_here(const Identity& who, int delta);
  std::vector<std::string> visible_in_store(const Identity& who);
  void adopt_queued();
  void request_board(const Identity& supervisor);
  std::string next_conversation_id();

  Hub& hub_;
  Store& store_;
  Metrics& metrics_;
  mutable std::mutex rules_mutex_;
  RulesRef rules_;
  Clock now_;
  RelayLimits limits_;
  std::atomic<std::int64_t> next_id_{1};
  std::int64_t id_block_end_ = 0;  // next_id_ may run up to it; 0: ask the store for a block (under the hub's lock)
  std::mutex api_mutex_;
  std::map<std::string, std::size_t> api_open_;        // sub -> open API conversations it opened
  std::map<std::string, std::string> api_opener_;      // open API conversation -> who opened it
  Bus* bus_ = nullptr;
  std::function<void()> rules_changed_;
  std::mutex users_mutex_;
  std::map<std::pair<UserRole, std::string>, int> users_here_;  // connections on this node, per user
  struct Route {
    std::string owner;
    std::chrono::steady_clock::time_point until;
  };
  std::mutex route_mutex_;
  std::unordered_map<std::string, Route> route_cache_;  // conversation+caller+frame -> owner that took it
  struct PendingEvent {
    std::function<void(EventResult)> done;
    std::chrono::steady_clock::time_point until;
  };
  static constexpr std::chrono::seconds kEventForwardTimeout{5};
  std::mutex pending_mutex_;
  std::unordered_map<std::string, PendingEvent> pending_events_;  // forwarded API events awaiting their answer
  std::atomic<std::uint64_t> forwarded_events_{0};
};

}  // namespace tact::gateway
