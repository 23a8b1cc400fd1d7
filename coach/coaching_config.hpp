#pragma once
// The coaching half of a rule pack: the playbook, flag texts, tone limits, reply templates,
// the sentiment word list and the health weights. All of it is data an admin edits.
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "details_config.hpp"
#include "frames.hpp"
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

// A flag's texts. A flags entry keyed by an agent act makes that act a flag on the agent's message
// (so a new flagged act needs only a pack entry); one keyed by a tone check's flag gives its texts.
struct FlagText {
  std::string why;
  std::string try_instead;
  std::string label;   // how health reasons name it ("ALL CAPS"); the key when empty
  std::string reason;  // the health reason in plain words, "You blamed the customer"; from label when empty
};

// A check of a message's shape rather than its phrasing. kind "shouting": at least min_letters
// letters, at least `ratio` of them capitals; kind "short": at most max_words words, only while a
// complaint is open when only_open_complaint.
struct ToneCheck {
  std::string flag;  // the flag it raises, e.g. "all_caps"
  std::string kind;  // "shouting" or "short"
  int min_letters = 8;
  double ratio = 0.8;
  int max_words = 2;
  bool only_open_complaint = true;
};

struct ToneConfig {
  // From the pack's "tone": {"checks": [...]}; a pack with the older "curt_max_words",
  // "caps_min_letters" and "caps_ratio" keys gets the two checks "all_caps" and "curt" from them.
  std::vector<ToneCheck> checks;
};

// A variant is offered only while every `when` condition holds and no `unless` one does.
// Conditions on the conversation's open round: "agent:<act>" (an agent message had the act),
// "customer:<act>", "last:<act>" (the customer's last message), "done:<step>", "spoiled:<step>",
// "refused:<step>" (the customer complained again after the step was done).
struct TemplateVariant {
  std::string text;  // {name} {order} {product} {problem}
  std::vector<std::string> when;
  std::vector<std::string> unless;
};

struct ReplyTemplate {
  std::string step;
  std::vector<std::string> when;           // customer acts of the last message that make it more fitting
  std::vector<TemplateVariant> variants;   // most detailed first; the last one has no placeholder or condition
  std::string id;  // the pack's "id", else "<step>.<n>" (n counts the step's templates from 1): what feedback names
};

struct SentimentConfig {
  std::map<std::string, double, std::less<>> words;         // lower-case word -> valence (-5..5)
  std::vector<std::string> negators;                        // flip the next scored word within 3 words
  std::map<std::string, double, std::less<>> intensifiers;  // multiply the next scored word
};

// How the health score is made (docs/health.md): 100, less a penalty for each cause below, plus
// the positive signals, clamped to 0..100. The penalties of one agent message together take at
// most message_cap points.
struct HealthConfig {
  int bad_act = 15;             // each flagged act (blame, excuse, ... in the default pack)
  int tone = 8;                 // each tone check's flag (ALL CAPS, curt)
  int missing_step = 8;         // each expected step still missing once the agent has replied
  int deadline_missed = 10;     // each missed deadline or order rule
  int escalation = 15;          // the customer escalated in the open round
  int sentiment_falling = 10;   // the customer's sentiment trend is down
  std::int64_t wait_grace_ms = 60000;
  int wait_per_minute = 5;      // after the grace period
  int wait_max = 30;
  int message_cap = 20;         // at most this many points off for one agent message
  int gratitude = 10;           // the customer thanked the agent (once a round)
  int resolved = 15;            // the customer confirmed the problem is solved (once a round)
};

struct CoachingConfig {
  std::vector<PlaybookStep> steps;
  std::vector<std::string> opens_round;  // customer acts that open a complaint round
  // Once this step is done and the customer thanked or confirmed it solved, the next complaint
  // opens a new round; a complaint before that continues the round (the step is "refused").
  std::string settled_by;
  std::vector<OrderRule> order;
  std::vector<Deadline> deadlines;
  std::map<std::string, FlagText, std::less<>> flags;  // by agent act, and by tone check flag
  std::vector<std::string> flagged_acts;                // agent acts with a flags entry, in the vocabulary's order
  ToneConfig tone;
  std::vector<ReplyTemplate> templates;
  std::vector<Frame> frames;  // how a complaint is restated for {problem}
  DetailsConfig details;      // where names and order numbers may come from
  SentimentConfig sentiment;
  HealthConfig health;

  const PlaybookStep* find_step(std::string_view step) const;
};

// Reads the pack's "playbook", "flags", "tone", "templates", "sentiment" and "health" sections.
CoachingConfig parse_coaching_config(const nlohmann::json& pack, std::vector<Problem>& problems);

// Whether a template condition is well formed: its kind and its act or step exist. "" when it is,
// else why not.
std::string condition_problem(const CoachingConfig& config, std::string_view condition);

// The placeholders a template may use.
bool is_known_placeholder(std::string_view name);

}  // namespace tact::coach
