#pragma once
// What the gateway keeps: conversations, their messages with the coach output and the rule
// version that coached each, and whispers. Writes are queued and stored in call order; each
// write's `done` runs once it is committed (or failed), on the store's writer thread, in order.
// Reads see every write whose `done` has run.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
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

using StoreDone = std::function<void(std::error_code)>;

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
};

struct Metrics;

// SQLite in WAL mode at DIR/tact.db. Null, with the reason in `error`, when it cannot be opened.
std::unique_ptr<Store> open_sqlite_store(const std::string& dir, Metrics* metrics, std::string& error);

}  // namespace tact::gateway
