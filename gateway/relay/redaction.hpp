#pragma once
// Where redaction applies (tact serve --redact; docs/protocol.md, "Privacy"). The coach always
// works on the original text (so details for suggestions are taken before redaction); what is
// stored, what supervisors see and, with `all`, what the agent sees is redacted by the live rule
// set's `redact` section (coach/redact.hpp):
//   off    nothing is redacted
//   store  stored text and coach output, supervisors' frames, transcripts, previews (default);
//          the customer and the live agent see the original
//   all    the agent sees the redacted text too; the customer still sees their own chat as typed
// Spans and flags of the redacted view are the coach's, mapped onto the redacted text
// (Redacted::map), so they point at the same words; details and suggestions are redacted.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "conversation.hpp"
#include "relay/hub.hpp"
#include "redact.hpp"

namespace tact::gateway {

enum class RedactMode { off, store, all };
std::optional<RedactMode> parse_redact_mode(std::string_view s);
std::string_view to_string(RedactMode m);

struct RedactedMessage {
  std::string text;
  std::string payload;  // the coach payload (coach_payload()) of the redacted view
};

// The redacted view of one coached message; nullopt when there is nothing to redact in the text,
// the details or the suggestions (then every view is the original).
std::optional<RedactedMessage> redact_coached(const coach::Redactor& redactor, const std::string& text,
                                              const std::string& conversation, const std::string& message_id, coach::Role role,
                                              const coach::MessageResult& result, const coach::Snapshot& snap,
                                              const std::string& rules_version);

// The coach's own words quote messages (health reasons, a spoiled step's why): redacted in place.
// True when anything changed.
bool redact_quotes(const coach::Redactor& redactor, coach::Snapshot& snap);

// Data stored before redaction (`tact data redact`): redacts a stored message's text and its
// stored coach payload (spans and flags mapped; details, suggestions, health reasons and the
// checklist's quotes redacted), or a whisper's
// text (`coach_json` null). True when anything changed. Idempotent: labels match no pattern.
bool redact_stored(const coach::Redactor& redactor, std::string& text, std::string* coach_json);

// Adds `original` and `redacted` (null: same as the original) for `audience`: the customer gets
// the original; the agent the original unless `all`; supervisors the redacted one.
void add_views(std::vector<Delivery>& out, RedactMode mode, const Frame& original, const Frame& redacted, unsigned audience);

}  // namespace tact::gateway
