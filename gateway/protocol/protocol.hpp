#pragma once
// Client -> server frames of docs/protocol.md: parsed and checked without throwing, and the
// `error` event that answers a bad one. Pure functions, any thread.
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "auth/jwt.hpp"

namespace tact::gateway {

enum class FrameType { message, draft, close, whisper, subscribe, rating, feedback };
std::string_view to_string(FrameType t) noexcept;

struct ClientFrame {
  FrameType type = FrameType::message;
  std::string conversation;  // empty when absent (a customer's message may omit it)
  std::string text;
  std::string client_id;
  int score = 0;        // rating: 1..5
  std::string comment;  // rating: optional, at most kMaxCommentBytes
  // feedback: on the coach event of `message_id`; `kind` "dispute" (of the flag whose rule is
  // `target`, with an optional `reason`), "used" or "edited" (the suggestion whose template is `target`).
  std::string message_id;
  std::string kind;
  std::string target;
  std::string reason;
};

struct FrameError {
  std::string code;  // bad_json, unknown_type, missing_field, bad_field, wrong_role, ...
  std::string message;
  nlohmann::json ref;  // the frame's client_id, else its type, else null
};

struct ParsedFrame {
  std::optional<ClientFrame> frame;  // set when the frame is well formed
  FrameError error;                  // otherwise
};

inline constexpr std::size_t kMaxIdBytes = 128;
inline constexpr std::size_t kMaxCommentBytes = 1000;  // a rating's comment
inline constexpr std::size_t kMaxReasonBytes = 500;    // a disputed flag's reason

// Checks JSON, type, and each field's presence, type and length.
ParsedFrame parse_client_frame(std::string_view text);

// Whether `role` may send this frame; the refusal when not.
std::optional<FrameError> check_role(const ClientFrame& frame, UserRole role);

// {"type":"error","code","message","ref"} serialized.
std::string error_event(const FrameError& e);

}  // namespace tact::gateway
