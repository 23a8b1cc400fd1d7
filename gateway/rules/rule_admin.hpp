#pragma once
// Threads: the POSTs run on the background thread (net/http_session.cpp); the GETs on io threads;
// on_swap runs on the thread that published.
// Rule administration (issue 7): the versions of the rule pack in the store, the live one, and
// what an admin does with them: validate, test, preview, publish, roll back, read the audit log.
//
// Publishing compiles the pack and runs all its examples first; only a pack that compiles and
// passes every example is stored, made live in the store, and then handed to `on_swap` (the relay
// swaps its shared_ptr: each message is coached by one set, never a mix). Publishes and rollbacks
// are serialized; a publish whose `base_version` is not the live version is refused (409), never
// merged. Every answer is a status and a JSON body; nothing here knows HTTP.
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/identity.hpp"
#include "rules/rules_ref.hpp"
#include "rules/rule_preview.hpp"
#include "store/store.hpp"

namespace tact::gateway {

struct AdminLimits {
  coach::CompileLimits compile;        // max rules, pattern bytes, compiled memory
  std::size_t preview_messages = 500;  // most recent stored messages re-annotated by a preview
  std::size_t max_texts = 200;         // extra texts per test
  std::size_t max_text_bytes = 4096;
  std::size_t max_message_bytes = 1000;  // a publish's message
};

struct AdminAnswer {
  int status = 200;
  nlohmann::json body;
};

class RuleAdmin {
 public:
  using Clock = std::function<std::int64_t()>;  // ms since the epoch

  // The live version from the store; when the store has none, `seed_path` (or the built-in
  // default pack when empty) is compiled and stored as version 1. Null, with the reason in
  // `error`, when neither works. `note` says which one is live and why.
  static std::unique_ptr<RuleAdmin> open(Store& store, const std::string& seed_path, AdminLimits limits, Clock now,
                                         std::string& error, std::string& note);

  RulesRef live() const;
  std::int64_t live_version() const;
  // Called, under the admin lock, with each new live set after it is stored.
  void on_swap(std::function<void(const RulesRef&)> f) { on_swap_ = std::move(f); }
  // Called after a publish or rollback made here (not after follow_store): the cluster's notice.
  void on_change(std::function<void(std::int64_t version)> f) { on_change_ = std::move(f); }
  // Another node published or rolled back: makes the store's live version live here too. False,
  // with the reason in `error`, when it cannot be loaded (the current version stays live).
  bool follow_store(std::string& error);
  // Conversations that every preview re-annotates besides the stored messages.
  void set_samples(std::vector<PreviewConversation> samples) { samples_ = std::move(samples); }

  AdminAnswer versions() const;
  AdminAnswer version(std::int64_t v) const;
  AdminAnswer live_answer() const;
  AdminAnswer audit() const;
  AdminAnswer validate(const nlohmann::json& pack) const;
  // `texts`: null or [{"role","text"}].
  AdminAnswer test(const nlohmann::json& pack, const nlohmann::json& texts) const;
  AdminAnswer preview(const nlohmann::json& pack) const;
  AdminAnswer publish(const Identity& who, const nlohmann::json& pack, const std::string& message, std::int64_t base_version);
  AdminAnswer rollback(const Identity& who, std::int64_t version, std::optional<std::int64_t> base_version = std::nullopt);

 private:
  RuleAdmin(Store& store, AdminLimits limits, Clock now) : store_(store), limits_(std::move(limits)), now_(std::move(now)) {}
  bool write(const std::function<void(StoreDone)>& start);  // waits for the store; false on failure
  void make_live(std::int64_t version, RulesRef rules);

  Store& store_;
  AdminLimits limits_;
  Clock now_;
  std::vector<PreviewConversation> samples_;
  std::function<void(const RulesRef&)> on_swap_;
  std::function<void(std::int64_t)> on_change_;
  std::mutex publish_mutex_;      // one publish or rollback at a time
  mutable std::mutex live_mutex_;  // guards the two below
  RulesRef live_;
  std::int64_t live_version_ = 0;
};

// The bundled sample conversations (web-widget/demo/samples.json's format); empty when the file
// is missing or malformed.
std::vector<PreviewConversation> load_preview_samples(const std::string& path);

// JSON forms used by the API and the command line.
nlohmann::json version_json(const RuleVersionRecord& v, std::int64_t live_version, bool with_pack);
nlohmann::json audit_json(const RuleAuditRecord& a);

}  // namespace tact::gateway
