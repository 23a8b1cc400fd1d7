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

// `facts` are the conditions that hold in the open round ("agent:negative_tone", "done:solution",
// ...; see TemplateVariant).
std::vector<Suggestion> suggest(const CoachingConfig& config, const std::vector<OpenStep>& open_steps,
                                const std::vector<std::string>& last_customer_acts, const Details& details,
                                const std::vector<std::string>& facts = {});

// One variant filled, or "" when one of its details is unknown.
std::string fill_variant(const std::string& variant, const Details& details);

// The first variant whose conditions hold and whose placeholders are all known, filled, leaving
// out details the agent withheld; the pack guarantees the last variant needs nothing.
std::string fill_template(const ReplyTemplate& tpl, const Details& details, const std::vector<std::string>& facts = {});

}  // namespace tact::coach
