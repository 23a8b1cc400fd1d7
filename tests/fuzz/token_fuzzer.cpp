// (e) Token verification (issue 16): bytes -> verify_token, as a whole token and as a header and
// a payload signed with the right secret (so the JSON claims are reached past the signature).
// Checks that it never throws or crashes and that what it accepts keeps its promises (jwt.hpp).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "auth/jwt.hpp"

namespace {

using namespace tact::gateway;

constexpr std::string_view kSecret = "fuzz-secret-fuzz-secret-fuzz-secret!";
constexpr std::int64_t kNow = 1718000000;

void check(const TokenCheck& c) {
  if (!c.claims) {
    TACT_FUZZ_CHECK(!c.error.empty() && !c.message.empty());
    return;
  }
  TACT_FUZZ_CHECK(c.error.empty());
  TACT_FUZZ_CHECK(!c.claims->sub.empty() && c.claims->sub.size() <= 128);
  TACT_FUZZ_CHECK(c.claims->name.size() <= 256);
  TACT_FUZZ_CHECK(c.claims->exp + kClockLeewayS > kNow);
  TACT_FUZZ_CHECK(parse_user_role(to_string(c.claims->role)) == c.claims->role);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  check(verify_token(bytes, kSecret, kNow));
  // The input split at its first NUL (or its middle) into header and payload JSON, signed.
  auto cut = bytes.find('\0');
  if (cut == std::string_view::npos) cut = size / 2;
  const auto header = bytes.substr(0, cut);
  const auto payload = bytes.substr(std::min(size, cut + 1));
  check(verify_token(sign_parts(header, payload, kSecret), kSecret, kNow));
  check(verify_token(sign_parts(R"({"alg":"HS256"})", bytes, kSecret), kSecret, kNow));
  return 0;
}
