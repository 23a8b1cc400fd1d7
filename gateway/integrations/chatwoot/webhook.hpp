#pragma once
// Chatwoot's webhooks, as pure functions: what Chatwoot signs and how, and what a payload means to
// Tact (docs/integrations/chatwoot.md). No sockets, no clock: the caller passes the time.
//
// The formats are Chatwoot's (read in chatwoot/chatwoot, never copied):
//   lib/webhooks/trigger.rb          X-Chatwoot-Timestamp (unix seconds), X-Chatwoot-Signature
//                                    "sha256=" + hex HMAC-SHA256(secret, "<timestamp>.<body>"),
//                                    X-Chatwoot-Delivery (an id per delivery, the same on a retry)
//   app/listeners/webhook_listener.rb  the payload is the model's webhook_data plus "event"
//   app/models/message.rb (webhook_data)  id, content, created_at, message_type ("incoming",
//                                    "outgoing", "activity", "template"), private, sender, conversation, account
//   app/presenters/conversations/event_data_presenter.rb  a conversation: id (the display id),
//                                    status, meta.sender (the contact), meta.assignee
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace tact::gateway::chatwoot {

inline constexpr std::int64_t kMaxClockSkewS = 300;  // a timestamp older or newer than this is stale
inline constexpr std::size_t kMaxDeliveryIdBytes = 128;

enum class SignatureCheck { ok, missing, malformed, stale, mismatch };
std::string_view to_string(SignatureCheck c);

// "sha256=" + hex HMAC-SHA256 of "<timestamp>.<body>" with `secret`, as Chatwoot sends it.
std::string sign(std::string_view secret, std::string_view timestamp, std::string_view body);

// Checks the two headers against the body (constant time) and the timestamp against `now_s`.
SignatureCheck verify(std::string_view secret, std::string_view timestamp, std::string_view signature, std::string_view body,
                      std::int64_t now_s, std::int64_t max_skew_s = kMaxClockSkewS);

// What a webhook asks of Tact.
enum class Action {
  coach_customer,  // an incoming message: the customer's
  coach_agent,     // an outgoing message: the agent's (the sender)
  close,           // the conversation was resolved
  assign,          // the conversation's assignee is known or changed
  ignore,          // anything else (why: `reason`)
};

struct WebhookEvent {
  Action action = Action::ignore;
  std::string event;    // Chatwoot's name: message_created, conversation_status_changed, ...
  std::string reason;   // for ignore: why, in words
  std::int64_t account = 0;
  std::int64_t conversation = 0;  // Chatwoot's display id of the conversation
  std::int64_t message = 0;       // the message's id (messages only)
  std::string text;
  std::int64_t at_ms = 0;         // the message's created_at; 0 when absent or unreadable
  std::string sender_name;        // the contact's name (incoming) or the agent's (outgoing)
  std::int64_t sender_id = 0;     // the agent's user id (outgoing, sender type "user")
  std::int64_t assignee = 0;      // conversation.meta.assignee.id; 0 when unassigned
};

struct ParseResult {
  std::optional<WebhookEvent> event;
  std::string error;  // for people: which field is wrong and how
};

// Reads a webhook body (already parsed JSON, depth-limited by the caller).
ParseResult parse_webhook(const nlohmann::json& body);

// "2024-06-01T10:00:00.123Z" or with an offset ("+02:00"); a number is unix seconds. Nullopt when unreadable.
std::optional<std::int64_t> parse_time_ms(const nlohmann::json& value);

}  // namespace tact::gateway::chatwoot
