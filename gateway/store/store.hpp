#pragma once
// What the gateway keeps: conversations, their messages with the coach output and the rule
// version that coached each, and whispers. Writes are queued and stored in call order; each
// write's `done` runs once it is committed (or failed), on the store's writer thread, in order.
// Reads see every write whose `done` has run. A failed write's error_code is a StoreError
// (store_error.hpp): disk full, constraint, corrupt, busy, io.
// Threads: writes are queued from any thread; `done` runs on the writer thread, so whatever it
// calls (the relay's acknowledgements and fan-out) runs there too. Reads are synchronous on the
// caller's thread (their own connection).
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

namespace tact::gateway {

struct ConversationRecord {
  std::string id;
  std::string customer;       // the customer's sub ("" for API conversations)
  std::string customer_name;
  std::string agent;          // the assigned agent's sub, "" while queued
  std::string channel;        // "ws" or "api"
  std::int64_t opened_at = 0;
  std::optional<std::int64_t> closed_at;
};

struct MessageRecord {
  std::string conversation;
  std::string id;
  std::int64_t seq = 0;
  std::string role;         // customer or agent
  std::string author;       // sub
  std::string author_name;
  std::string text;
  std::int64_t at = 0;
  std::string client_id;
  std::string coach_json;   // the coach event as sent, without "type"
  std::string rules_version;
};

struct WhisperRecord {
  std::string conversation;
  std::string id;
  std::string author;
  std::string author_name;
  std::string text;
  std::int64_t at = 0;
};

// A rule set version (issue 7): the whole pack as published, who published it, and from which
// version. `version` counts from 1; `rules_version` is "<pack name>@<12 hex>" as coach events name it.
struct RuleVersionRecord {
  std::int64_t version = 0;
  std::string rules_version;
  std::string pack_json;
  std::string author;  // sub
  std::string author_name;
  std::int64_t at = 0;
  std::string message;
  std::optional<std::int64_t> parent;  // the live version it replaced
};

// One change of the live rules: "seed", "publish" or "rollback".
struct RuleAuditRecord {
  std::int64_t at = 0;
  std::string who;  // sub
  std::string who_name;
  std::string action;
  std::int64_t version = 0;                  // live afterwards
  std::optional<std::int64_t> from_version;  // live before
  std::string message;
};

using StoreDone = std::function<void(std::error_code)>;

// The customer's rating of a closed live chat (issue 22): one per conversation, a later one
// replaces it.
struct RatingRecord {
  std::string conversation;
  int score = 0;  // 1..5
  std::string comment;
  std::int64_t at = 0;
};

// The review of a closed conversation (coach/review.hpp), stored when it closes, with the rating
// when there is one.
struct ReviewRecord {
  std::string conversation;
  std::string agent;  // sub, "" when none was assigned
  std::int64_t closed_at = 0;
  std::string rules_version;
  std::string review_json;  // coach::review_json()
  std::optional<RatingRecord> rating;
};

// Feedback on the coach (issue 22): an agent disputed a flag ("dispute", `target` the flag's
// rule), or sent a suggestion as offered ("used") or changed ("edited", `target` the template).
// `message_id` is the message whose coach event showed the flag or offered the suggestion. One
// per (conversation, message_id, kind, target): a later one replaces it.
struct CoachFeedbackRecord {
  std::string conversation;
  std::string message_id;
  std::string kind;
  std::string target;
  std::string reason;  // a dispute's optional reason, in the agent's words
  std::string who;     // the agent's sub
  std::int64_t at = 0;
};

// The coach event stored with one message, for counting what the coach showed.
struct StoredCoach {
  std::string conversation;
  std::string message_id;
  std::string coach_json;
};

// A lesson a supervisor wrote on a reviewed conversation, for every complaint with that cause.
struct LessonRecord {
  std::string id;  // "l-" and 12 hex, made by the relay
  std::string cause;
  std::string text;
  std::string conversation;  // the reviewed conversation it was written on
  std::string author;        // sub
  std::string author_name;
  std::int64_t at = 0;
};

// Privacy (issue 24, gateway/privacy/): what is stored about one customer (their live chats,
// found by the customer's sub), and the audit line of an erasure, which never holds the content.
struct CustomerData {
  std::vector<ConversationRecord> conversations;
  std::vector<MessageRecord> messages;  // by conversation, then seq
  std::vector<WhisperRecord> whispers;
  std::vector<ReviewRecord> reviews;  // of those conversations, each with its rating (a rating alone: empty review_json)
};
struct ErasureRecord {
  std::int64_t at = 0;
  std::string who;       // the admin's sub ("cli" from `tact data erase`)
  std::string customer;  // sha256 of the customer's sub, 16 hex: proves which request, holds no name
  std::int64_t conversations = 0, messages = 0, whispers = 0;
};
using ErasureDone = std::function<void(std::error_code, const ErasureRecord&)>;
using PurgeDone = std::function<void(std::error_code, std::size_t removed)>;
// Rewrites one stored text in place (and, for a message, its coach JSON); true when it changed.
using TextRewrite = std::function<bool(std::string& text, std::string* coach_json)>;
// The free texts besides messages and whispers that rewrite_texts() also runs (table, column):
// what customers, agents and supervisors typed after the close. Reviews are derived from the
// messages: `tact data redact` makes them again from the redacted messages.
inline constexpr std::pair<const char*, const char*> kFreeTexts[] = {
    {"ratings", "comment"}, {"coach_feedback", "reason"}, {"lessons", "text"}};

class Store {
 public:
  virtual ~Store() = default;
  virtual void open_conversation(ConversationRecord c, StoreDone done) = 0;
  virtual void assign(std::string conversation, std::string agent, StoreDone done) = 0;
  virtual void close_conversation(std::string conversation, std::int64_t at, StoreDone done) = 0;
  virtual void append_message(MessageRecord m, StoreDone done) = 0;
  virtual void append_whisper(WhisperRecord w, StoreDone done) = 0;

  virtual std::vector<ConversationRecord> conversations(bool open_only) = 0;
  virtual std::optional<ConversationRecord> conversation(const std::string& id) = 0;
  virtual std::vector<MessageRecord> messages(const std::string& conversation) = 0;  // by seq
  virtual std::vector<WhisperRecord> whispers(const std::string& conversation) = 0;

  // Blocks until every write queued so far is done.
  virtual void flush() = 0;

  // Rule versions. A store without them (a test double) refuses writes and has none.
  // add_rule_version stores `v`, makes it live and appends `audit`, in one transaction;
  // set_live_rules makes a stored version live and appends `audit`.
  virtual void add_rule_version(RuleVersionRecord v, RuleAuditRecord audit, StoreDone done);
  virtual void set_live_rules(std::int64_t version, RuleAuditRecord audit, StoreDone done);
  virtual std::vector<RuleVersionRecord> rule_versions(bool with_packs);  // oldest first
  virtual std::optional<RuleVersionRecord> rule_version(std::int64_t version);
  virtual std::optional<std::int64_t> live_rules();
  virtual std::vector<RuleAuditRecord> rule_audit();  // oldest first
  // The most recent messages of all conversations (by time), oldest first.
  virtual std::vector<MessageRecord> recent_messages(std::size_t limit);

  // Reviews and ratings (issue 22). A store without them (a test double) refuses writes and has
  // none. save_review replaces an earlier review of the conversation, save_rating an earlier rating.
  virtual void save_review(ReviewRecord r, StoreDone done);
  virtual void save_rating(RatingRecord r, StoreDone done);
  // With its rating (which may exist without a review, e.g. when the review could not be stored).
  virtual std::optional<ReviewRecord> review(const std::string& conversation);
  virtual std::optional<RatingRecord> rating(const std::string& conversation);
  // Reviews of conversations closed in [from, to), oldest close first, with their ratings.
  virtual std::vector<ReviewRecord> reviews(std::int64_t from, std::int64_t to);
  // Closed conversations without a review, the latest close first, at most `limit`.
  virtual std::vector<ConversationRecord> closed_without_review(std::size_t limit);

  // Feedback on the coach and lessons (issue 22). A store without them (a test double) refuses
  // writes and has none.
  virtual void save_feedback(CoachFeedbackRecord f, StoreDone done);
  // Feedback given at or after `since` (ms), oldest first.
  virtual std::vector<CoachFeedbackRecord> feedback(std::int64_t since);
  // The coach events of messages sent in [from, to), by conversation, then seq.
  virtual std::vector<StoredCoach> coach_outputs(std::int64_t from, std::int64_t to);
  virtual void save_lesson(LessonRecord l, StoreDone done);
  virtual void delete_lesson(std::string id, StoreDone done);
  // Newest first; those of `cause` only, unless it is "".
  virtual std::vector<LessonRecord> lessons(const std::string& cause);
  virtual std::optional<LessonRecord> lesson(const std::string& id);

  // Privacy. A store without them (a test double) refuses writes and has nothing.
  // Everything stored about `customer`'s conversations.
  virtual CustomerData customer_data(const std::string& customer);
  // Deletes it (messages, coach output, whispers, the conversations) and appends `audit` with the
  // counts, in one transaction; then checkpoints so that no copy stays in the WAL. Counts of 0:
  // there was nothing (the audit is still written).
  virtual void erase_customer(std::string customer, ErasureRecord audit, ErasureDone done);
  // Deletes up to `max_conversations` conversations closed before `closed_before` (ms), oldest
  // first, with their messages and whispers; frees the space (incremental vacuum).
  virtual void purge_closed(std::int64_t closed_before, std::size_t max_conversations, PurgeDone done);
  virtual std::vector<ErasureRecord> erasures();  // oldest first
  // Runs `rewrite` over every stored message and whisper, and the kFreeTexts, and stores what
  // changed, in one transaction, then empties the WAL (`tact data redact`: data stored before redaction).
  virtual void rewrite_texts(TextRewrite rewrite, PurgeDone done);

  // Gateway conversation numbers when several nodes share the store: the first of a block of 100
  // that no other node gets. nullopt when the store does not hand them out (SQLite: one node,
  // and the relay counts from the largest stored id).
  virtual std::optional<std::int64_t> reserve_conversation_ids();
  // For a cluster (relay/cluster.cpp), where a conversation may be held by another node: the
  // customer's open live chat, and how many open conversations each agent has.
  virtual std::optional<ConversationRecord> open_conversation_of(const std::string& customer);
  virtual std::map<std::string, int> open_per_agent();
  // The last message of each open conversation, by conversation id: what a node that does not
  // hold a conversation knows of its health (GET /api/conversations in a cluster).
  virtual std::map<std::string, MessageRecord> last_messages_of_open();
};

// The reviews and ratings of the conversations in `data` (reviews and ratings hold the customer's
// words too, so an export carries them).
inline void add_reviews(Store& store, CustomerData& data) {
  for (const auto& c : data.conversations) {
    if (auto r = store.review(c.id)) data.reviews.push_back(std::move(*r));
    else if (auto rating = store.rating(c.id)) data.reviews.push_back({c.id, c.agent, c.closed_at.value_or(0), "", "", std::move(rating)});
  }
}

struct Metrics;

// SQLite in WAL mode at DIR/tact.db. Null, with the reason in `error`, when it cannot be opened.
std::unique_ptr<Store> open_sqlite_store(const std::string& dir, Metrics* metrics, std::string& error);
// PostgreSQL (libpq conninfo or postgresql:// URL), its schema migrated (postgres/pg_schema.hpp).
// Null, with the reason in `error`, when it cannot connect or migrate.
std::unique_ptr<Store> open_postgres_store(const std::string& conninfo, Metrics* metrics, std::string& error);

}  // namespace tact::gateway
