#pragma once
// The coaching half of a rule pack: the playbook, flag texts, tone limits, reply templates,
// the sentiment word list and the health weights. All of it is data an admin edits.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "problem.hpp"

namespace tact::coach {

struct PlaybookStep {
  std::string step;                     // e.g. "apology"
  std::vector<std::string> acts;        // agent acts that do the step
  std::vector<std::string> spoiled_by;  // agent acts that undo it
  std::string after;                    // expected only once this step is done ("" = from the complaint on)
  std::string label;                    // "Apologize sincerely"
  std::string why;                      // shown while the step is missing
};

// "Do `first` before `then`": flagged when `then` is done while `first` is missing.
struct OrderRule {
  std::string first;
  std::string then;
  std::string flag;
};

// kind "step": `step` must be done within `within_agent_turns` agent messages of the complaint.
// kind "first_reply": an agent must answer within `within_ms` of the round's first customer message.
struct Deadline {
  std::string kind;
  std::string step;
  int within_agent_turns = 0;
  std::int64_t within_ms = 0;
  std::string flag;
};

struct FlagText {
  std::string why;
  std::string try_instead;
};

struct ToneConfig {
  int curt_max_words = 2;        // an agent reply to an open complaint this short is curt
  int caps_min_letters = 8;      // shouting needs at least this many letters ...
  double caps_ratio = 0.8;       // ... with at least this share upper case
};

struct ReplyTemplate {
  std::string step;
  std::vector<std::string> when;      // customer acts of the last message that make it more fitting
  std::vector<std::string> variants;  // most detailed first; {name} {order} {product} {problem}
};

struct SentimentConfig {
  std::map<std::string, double, std::less<>> words;         // lower-case word -> valence (-5..5)
  std::vector<std::string> negators;                        // flip the next scored word within 3 words
  std::map<std::string, double, std::less<>> intensifiers;  // multiply the next scored word
};

struct HealthConfig {
  int bad_act = 15;             // each blame/excuse/non_apology/dismissive/negative_tone
  int tone = 8;                 // each ALL CAPS or curt reply
  int missing_step = 8;         // each expected step still missing once the agent has replied
  int deadline_missed = 10;     // each missed deadline or order rule
  int escalation = 15;          // the customer escalated in the open round
  int sentiment_falling = 10;   // the customer's sentiment trend is down
  std::int64_t wait_grace_ms = 60000;
  int wait_per_minute = 5;      // after the grace period
  int wait_max = 30;
};

struct CoachingConfig {
  std::vector<PlaybookStep> steps;
  std::vector<std::string> opens_round;  // customer acts that open a complaint round
  std::string settled_by;                // once this step is done, the next complaint opens a new round
  std::vector<OrderRule> order;
  std::vector<Deadline> deadlines;
  std::map<std::string, FlagText, std::less<>> flags;  // by act, and "all_caps", "curt"
  ToneConfig tone;
  std::vector<ReplyTemplate> templates;
  SentimentConfig sentiment;
  HealthConfig health;

  const PlaybookStep* find_step(std::string_view step) const;
};

// Reads the pack's "playbook", "flags", "tone", "templates", "sentiment" and "health" sections.
CoachingConfig parse_coaching_config(const nlohmann::json& pack, std::vector<Problem>& problems);

// The placeholders a template may use.
bool is_known_placeholder(std::string_view name);

}  // namespace tact::coach
