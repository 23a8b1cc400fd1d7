#pragma once
// How the coach does by its users' say (issue 22): per rule, the flags it raised and how many the
// agents disputed; per reply template, how often it was offered, used as offered, edited or
// ignored. Pure: the stored coach events and the feedback come in, JSON goes out.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace tact::coach {

// One stored coach event (the `coach` event of docs/protocol.md without "type").
struct CoachShown {
  std::string conversation;
  std::string message_id;
  nlohmann::json coach;
};

// One agent's feedback: "dispute" of a flag's `target` rule, "used" or "edited" of a template.
struct CoachFeedback {
  std::string conversation;
  std::string message_id;  // the message whose coach event showed the flag or offered the template
  std::string kind;
  std::string target;
  std::string reason;
  std::int64_t at = 0;
};

// A rule is of low precision when at least kLowPrecisionShown of its flags were shown and fewer
// than kLowPrecision of them stood (were not disputed).
inline constexpr double kLowPrecision = 0.8;
inline constexpr int kLowPrecisionShown = 5;
inline constexpr std::size_t kReasonsPerRule = 3;

// {"rules":[{"rule","kind","shown","disputed","precision","low","reasons"}],
//  "templates":[{"template","step","shown","used","edited","ignored"}]}, each sorted by id.
// `shown` counts a flag once per message; a template once per run of coach events of one
// conversation that kept offering it (the agent saw one offer until it went away). `precision` is
// (shown - disputed) / shown, null when never shown; `reasons`: the latest dispute reasons given.
// Feedback on a message that is not among `shown` (outside the range) is not counted.
nlohmann::json coach_stats(const std::vector<CoachShown>& shown, const std::vector<CoachFeedback>& feedback);

}  // namespace tact::coach
