#pragma once
// Details that personalize replies, each with where it came from (Details::sources). Names come
// from the token's `name` claim (Event::customer_name) or the customer's own words, never from
// the agent's text; order numbers only from an order context of the pack's `details` section;
// the problem only from a complaint frame (frames.hpp), never as free customer text.
#include <optional>
#include <string>
#include <string_view>

#include "annotator.hpp"
#include "conversation.hpp"
#include "frames.hpp"

namespace tact::coach {

// What a customer message gives by the pack's name and order patterns (for the pack's examples).
struct CustomerDetails {
  std::string name, order;
  std::optional<ByteRange> name_span, order_span;  // in the text given
};
CustomerDetails customer_details(const DetailsConfig& config, std::string_view text);

// Fills what `details` does not know yet from one event; records agent requests not to repeat a
// detail. Nothing known is overwritten (the conversation clears the problem for a new round).
// Returns the restated complaint of a customer message, if a frame recognised one.
std::optional<Restatement> extract_details(const CoachingConfig& config, const Event& event, const NormalizedText& text,
                                           const Annotation& annotation, Details& details);

}  // namespace tact::coach
