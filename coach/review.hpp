#pragma once
// The review of a closed conversation (issue 22): what the playbook expected and what happened.
// Pure and deterministic: the conversation's events (each with its own time) are replayed through
// a fresh Conversation with the rule set given; nothing here reads a clock, a file or a socket.
//
// The review reports the last complaint round's playbook steps (done, missed or spoiled, with the
// message and its time), the first response time, the health score after each message and at the
// close, every flag, the outcome and the root cause (causes.hpp). Its JSON (review_json) has stable
// keys that stored reviews, GET /api/conversations/{id}/review and insights (insights.hpp) read.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "conversation.hpp"
#include "rule_set.hpp"

namespace tact::coach {

struct ReviewStep {
  std::string step;          // "apology"
  std::string label;         // "Apologize sincerely"
  std::string status;        // "done", "missed" or "spoiled"
  std::string message_id;    // the message that did or spoiled it; "" when missed
  std::optional<std::int64_t> at;  // that message's time
  std::string why;           // for missed and spoiled: what spoiled it and what to do
};

struct ReviewFlag {
  std::string message_id;
  std::int64_t at = 0;
  std::string kind;  // the flag: a bad act ("blame"), a tone check ("all_caps"), "deadline" or "order"
  std::string rule;  // the rule that fired for a bad act; the kind otherwise
  std::string why;
};

struct HealthPoint {
  std::string message_id;
  std::int64_t at = 0;
  int score = 100;  // after this message
};

struct Outcome {
  // The one word a report shows: "abandoned" (the customer's last message was unanswered at the
  // close), else "resolved", "escalated", "thanked", or "unresolved".
  std::string result;
  bool resolved = false;   // the customer confirmed it solved
  bool thanked = false;    // the customer thanked the agent after a reply
  bool escalated = false;  // the customer asked for a manager, threatened to leave or to go public
  bool abandoned = false;
};

struct RootCause {
  std::string id = "other";  // a cause of the pack, or "other" when none matched
  std::string label = "Other";
  std::string message_id;    // the first customer message that showed it; "" for "other"
  std::optional<std::int64_t> at;
  std::map<std::string, int> counts;  // cause -> customer messages that showed it
};

struct Review {
  bool complaint = false;  // a complaint was opened (else steps is empty)
  int rounds = 0;
  int customer_messages = 0;
  int agent_messages = 0;
  std::optional<std::int64_t> started_at;  // the first message
  std::int64_t closed_at = 0;
  std::optional<std::int64_t> first_response_ms;  // first customer message -> the agent's next message
  std::vector<ReviewStep> steps;
  std::vector<HealthPoint> timeline;
  Health final_health;  // at the close
  std::vector<ReviewFlag> flags;
  Outcome outcome;
  RootCause root_cause;
};

// The root cause of these events alone: the cause the most customer messages show, the first to
// show on a tie; "other" when none (tact replay counts these without a full review).
RootCause find_root_cause(const RuleSet& rules, const std::vector<Event>& events);

// Replays `events` (oldest first) and reviews the conversation as it stood at `closed_at`.
Review review_conversation(const RuleSet& rules, const std::vector<Event>& events, std::int64_t closed_at);

// {"complaint","rounds","messages":{"customer","agent"},"started_at","closed_at","first_response_ms",
//  "steps":[{"step","label","status","message_id","at","why"}],"missed":[step],"spoiled":[step],
//  "health":{"final","reasons":[{"delta","text"}],"timeline":[{"message_id","at","score"}]},
//  "flags":[{"message_id","at","kind","rule","why"}],
//  "outcome":{"result","resolved","thanked","escalated","abandoned"},
//  "root_cause":{"id","label","message_id","at","counts":{cause:n}}}; absent times are null.
nlohmann::json review_json(const Review& r);

}  // namespace tact::coach
