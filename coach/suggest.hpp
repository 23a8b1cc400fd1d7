#pragma once
// Up to three next replies: the templates of the steps the checklist still misses, ranked by the
// playbook's order and by what the customer just said, filled with the conversation's details.
#include <string>
#include <vector>

#include "conversation.hpp"

namespace tact::coach {

struct OpenStep {
  std::string step;
  bool spoiled = false;
};

std::vector<Suggestion> suggest(const CoachingConfig& config, const std::vector<OpenStep>& open_steps,
                                const std::vector<std::string>& last_customer_acts, const Details& details);

// One variant filled, or "" when one of its details is unknown.
std::string fill_variant(const std::string& variant, const Details& details);

// The first variant whose placeholders are all known, filled; the pack guarantees the last
// variant needs none.
std::string fill_template(const ReplyTemplate& tpl, const Details& details);

}  // namespace tact::coach
