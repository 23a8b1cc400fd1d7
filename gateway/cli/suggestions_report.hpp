#pragma once
// tact replay FILE --suggestions: what the agent is offered over recorded conversations, with the
// numbers that say whether it can be trusted and a fixed-seed sample of suggestions in context.
#include <ostream>
#include <vector>

#include "conversation_file.hpp"
#include "rule_set.hpp"

namespace tact::cli {

// Prints the report; `seed` picks the sampled suggestions (the same seed, the same sample).
void print_suggestions_report(const coach::RuleSet& rules, const std::vector<RecordedConversation>& conversations,
                              unsigned seed, std::size_t sample_size, std::ostream& out);

}  // namespace tact::cli
