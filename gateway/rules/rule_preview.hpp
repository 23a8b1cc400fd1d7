#pragma once
// What a draft rule set would change (issue 7, "preview"): the same conversations replayed through
// the live set and through the draft, message by message, and the messages whose acts or flags
// differ, both ways, with counts per act. Pure: no store, no clock.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "rule_set.hpp"

namespace tact::gateway {

struct PreviewMessage {
  std::string id;
  coach::Role role = coach::Role::customer;
  std::string text;
  std::int64_t at = 0;
};

// A run of messages replayed in order through one coach::Conversation per rule set (so that
// flags that depend on the conversation, such as order or curt replies, are compared too).
struct PreviewConversation {
  std::string source;  // "stored" or "sample"
  std::string id;
  std::vector<PreviewMessage> messages;
};

struct PreviewOutcome {
  std::vector<std::string> acts;
  std::vector<std::string> flags;  // flag kinds, sorted, distinct
};

struct PreviewChange {
  std::string source, conversation, message_id;
  coach::Role role = coach::Role::customer;
  std::string text;
  PreviewOutcome live, draft;
  std::vector<std::string> acts_added, acts_removed, flags_added, flags_removed;
};

struct ActCount {
  int added = 0;    // messages that gain the act (or flag) with the draft
  int removed = 0;  // messages that lose it
};

struct PreviewResult {
  std::size_t conversations = 0;
  std::size_t messages = 0;
  std::size_t changed = 0;                 // messages whose acts or flags differ
  std::vector<PreviewChange> changes;      // in input order
  std::map<std::string, ActCount> acts;    // by act
  std::map<std::string, ActCount> flags;   // by flag kind
  bool truncated = false;                  // more changes than `max_changes` (the counts are complete)
};

PreviewResult preview_diff(const coach::RuleSet& live, const coach::RuleSet& draft,
                           const std::vector<PreviewConversation>& conversations, std::size_t max_changes = 1000);

void to_json(nlohmann::json& j, const PreviewResult& r);

}  // namespace tact::gateway
