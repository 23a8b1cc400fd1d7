#pragma once
// Details that personalize replies, taken from the text of messages.
#include <string>
#include <string_view>

#include "annotator.hpp"
#include "conversation.hpp"

namespace tact::coach {

// Fills what `details` does not know yet from one message. Customer messages give the order
// number, the product and the problem (from the span of the complaint, when it reads as a
// statement); the name comes from a customer's "my name is Dana" or signature, or from an agent's
// "Hi Dana". Nothing known is overwritten: the conversation clears the problem for a new round.
void extract_details(Role role, std::string_view original, std::string_view normalized, const Annotation& annotation,
                     Details& details);

// The complaint clause around [begin, end), turned to the agent's point of view:
// "my order still hasn't arrived" -> "your order still hasn't arrived".
std::string problem_phrase(std::string_view original, std::size_t begin, std::size_t end);

}  // namespace tact::coach
