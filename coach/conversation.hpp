#pragma once
// One conversation's coaching state: a pure state machine. Events come in with their own time
// (ms since the epoch); nothing here reads a clock. apply() changes the state; check_draft() and
// snapshot() never do. The rule set is passed to each call, so a conversation keeps its state
// when the live rule set is swapped.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "annotator.hpp"
#include "normalize.hpp"
#include "rule_set.hpp"

namespace tact::coach {

enum class StepStatus { missing, done, spoiled };
std::string_view to_string(StepStatus s) noexcept;

struct StepState {
  std::string step;        // playbook step name, e.g. "apology"
  StepStatus status = StepStatus::missing;
  std::string message_id;  // the message that did (or spoiled) it; empty while missing
  std::string why;         // what to do, or what spoiled it
};

// Where a detail came from.
struct DetailSource {
  std::string from;               // "token" (the customer token's name claim) or "customer" (their message)
  std::string message_id;         // the customer's message, when from one
  std::optional<ByteRange> span;  // the bytes of that message it was read from
};

// Details taken from the token and the customer's messages, to fill reply templates. Empty when
// unknown.
struct Details {
  std::string name;     // "Dana"
  std::string order;    // "#4411"
  std::string product;  // "iPhone"
  std::string problem;  // "your order hasn't arrived": a complaint frame's rewrite (frames.hpp)
  std::map<std::string, DetailSource, std::less<>> sources;  // by kind: "name", "order", "product", "problem"
  std::vector<std::string> withheld;  // kinds the agent asked the customer not to post publicly: never repeated
};

struct Flag {
  std::string kind;  // a bad act ("blame"), "all_caps", "curt", "order" or "deadline"
  std::string rule;  // what raised it: the pattern rule's id for a bad act, "tone.<kind>" for a tone check, else the kind
  std::optional<ByteRange> span;  // the offending bytes of the message, when there are some
  std::string why;
  std::string try_instead;
};

struct HealthReason {
  int delta = 0;     // points taken off (negative) from 100, or added back (positive)
  std::string text;  // "You blamed the customer at 10:02: 'you should have checked…'"
  friend bool operator==(const HealthReason&, const HealthReason&) = default;
};

struct Health {
  int score = 100;  // 0..100
  std::vector<HealthReason> reasons;
  friend bool operator==(const Health&, const Health&) = default;
};

struct Suggestion {
  std::string step;
  std::string text;  // filled; never contains a '{placeholder}'
  std::string template_id;  // the template it was filled from (ReplyTemplate::id)
};

struct Event {
  Role role = Role::customer;
  std::string text;
  std::int64_t at_ms = 0;
  std::string message_id;  // as the caller numbers messages
  std::string customer_name;  // the name the host platform knows (the customer token's `name`); "" if none
};

// What one message did.
struct MessageResult {
  Annotation annotation;
  std::vector<Flag> flags;        // agent messages only
  std::optional<double> sentiment;  // customer messages only, -1..1
};

struct Snapshot {
  std::vector<StepState> checklist;  // empty while no complaint is open
  int round = 0;                     // complaints opened so far
  Details details;
  std::vector<double> sentiment;     // the customer's sentiment-bearing messages, oldest first (last ten)
  std::string trend;                 // "rising", "falling", "steady" or "" with too few messages
  bool escalated = false;            // in the open round
  std::int64_t waiting_ms = 0;       // since the oldest customer message the agent has not answered
  Health health;
  std::vector<Suggestion> suggestions;  // up to three
  // While a complaint is open: the cause its customer messages show most (causes.hpp's CauseTally,
  // as the review counts it), or kOtherCause when none does; "" while no complaint is open.
  std::string cause;
  std::string cause_label;
};

class Conversation {
 public:
  MessageResult apply(const RuleSet& rules, const Event& event);
  // Flags for what the agent is typing: every flag the same text would get if sent now (the
  // first-reply deadline only when now_ms is given); the state is unchanged.
  std::vector<Flag> check_draft(const RuleSet& rules, std::string_view text,
                                std::optional<std::int64_t> now_ms = std::nullopt) const;
  Snapshot snapshot(const RuleSet& rules, std::int64_t now_ms) const;

  std::size_t message_count() const { return messages_; }
  // Approximate heap and object bytes held by this state.
  std::size_t memory_bytes() const;

 private:
  struct Step {
    std::string name;
    StepStatus status = StepStatus::missing;
    std::string message_id;
    std::string spoiled_by;  // the act that spoiled it
    std::string spoiled_how;  // "at 10:03: 'sorry, but…'"
  };
  struct Penalty {
    int delta;  // negative: points off; positive: points back
    std::string text;
  };
  // What an agent message does, judged against the state before it.
  struct AgentJudgement {
    std::vector<Flag> flags;
    std::vector<std::string> done_now;  // steps this message does
    std::vector<Penalty> penalties;     // capped together at the pack's message_cap
    std::vector<std::string> late;      // steps charged as late by this message
  };
  void open_round(const RuleSet& rules, const Event& e);
  void apply_customer(const RuleSet& rules, const Event& e, const NormalizedText& normalized, MessageResult& out);
  void apply_agent(const RuleSet& rules, const Event& e, std::string_view normalized, MessageResult& out);
  AgentJudgement judge_agent(const RuleSet& rules, const Event& e, const Annotation& a, std::string_view normalized,
                             bool with_time) const;
  std::vector<std::string> facts() const;
  Step* find_step(std::string_view name);
  void note(std::vector<std::string>& acts_seen, const std::vector<std::string>& acts);

  std::size_t messages_ = 0;
  CauseTally causes_;
  int round_ = 0;
  std::int64_t round_opened_at_ = 0;
  int agent_turns_in_round_ = 0;
  bool escalated_ = false;
  bool thanked_ = false;   // in the open round
  bool resolved_ = false;  // in the open round: the customer confirmed, or thanked after the settling step
  std::string problem_key_;  // the open round's restated complaint (frame and words), "" when none
  std::vector<std::string> round_agent_acts_, round_customer_acts_, refused_;
  std::vector<std::string> late_steps_;  // steps already charged for being late (deadline or order) this round
  std::vector<Step> steps_;
  std::vector<Penalty> penalties_;  // in order, the last kMaxPenalties
  std::optional<std::int64_t> unanswered_since_;
  std::vector<std::string> last_customer_acts_;
  std::vector<double> sentiment_;
  std::string last_sentiment_quote_;  // of the last sentiment-bearing message, "at 10:02: '…'"
  Details details_;
};

}  // namespace tact::coach
