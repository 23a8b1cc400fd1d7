// (a) One client WebSocket frame -> parse_client_frame, then check_role for every role and the
// `error` event for every refusal. Checks what a parsed frame promises (gateway/protocol.hpp).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fuzz_check.hpp"
#include "protocol/protocol.hpp"

namespace {

using namespace tact::gateway;

void check_error(const FrameError& e) {
  TACT_FUZZ_CHECK(!e.code.empty());
  TACT_FUZZ_CHECK(!e.message.empty());
  TACT_FUZZ_CHECK(e.ref.is_null() || e.ref.is_string());
  const auto event = nlohmann::json::parse(error_event(e), nullptr, false);
  TACT_FUZZ_CHECK(event.is_object());
  TACT_FUZZ_CHECK(event.at("type") == "error" && event.at("code") == e.code);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto parsed = parse_client_frame(text);
  if (!parsed.frame) {
    check_error(parsed.error);
    return 0;
  }
  const auto& f = *parsed.frame;
  TACT_FUZZ_CHECK(f.conversation.size() <= kMaxIdBytes);
  TACT_FUZZ_CHECK(f.client_id.size() <= kMaxIdBytes);
  TACT_FUZZ_CHECK(f.text.size() <= size);
  switch (f.type) {
    case FrameType::message: TACT_FUZZ_CHECK(!f.text.empty() && !f.client_id.empty()); break;
    case FrameType::draft: TACT_FUZZ_CHECK(!f.conversation.empty()); break;
    case FrameType::whisper: TACT_FUZZ_CHECK(!f.conversation.empty() && !f.text.empty()); break;
    case FrameType::close: TACT_FUZZ_CHECK(!f.conversation.empty()); break;
    case FrameType::subscribe: break;
  }
  int allowed = 0;
  for (auto role : {UserRole::customer, UserRole::agent, UserRole::supervisor, UserRole::admin}) {
    if (auto refused = check_role(f, role)) {
      TACT_FUZZ_CHECK(refused->code == "wrong_role");
      check_error(*refused);
    } else {
      ++allowed;
    }
  }
  TACT_FUZZ_CHECK(allowed >= 1);  // every frame type is some role's to send
  return 0;
}
