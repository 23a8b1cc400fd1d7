#pragma once
// HS256 JSON Web Tokens: the claims Tact reads, signing, and checking. Checking never throws;
// a refused token comes back with the reason as a code the protocol names (docs/protocol.md).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tact::gateway {

enum class UserRole { customer, agent, supervisor, admin };
std::string_view to_string(UserRole r) noexcept;
std::optional<UserRole> parse_user_role(std::string_view s) noexcept;

struct Claims {
  UserRole role = UserRole::customer;
  std::string sub;
  std::string name;
  std::int64_t exp = 0;  // seconds since the epoch
  std::int64_t nbf = 0;  // not before (seconds since the epoch); 0: not given
};

// "header.payload.signature" signed with HMAC-SHA256 of `secret`.
std::string sign_token(const Claims& claims, std::string_view secret);
// Any header and payload bytes, signed as above (for tests and tools that need odd tokens).
std::string sign_parts(std::string_view header_json, std::string_view payload_json, std::string_view secret);

struct TokenCheck {
  std::optional<Claims> claims;  // set when accepted
  std::string error;             // bad_token, bad_signature, expired_token, early_token, unknown_role
  std::string message;           // for people
};

inline constexpr std::size_t kMaxTokenBytes = 4096;
// Clocks of the token's issuer and of this server may disagree by this much (exp and nbf).
inline constexpr std::int64_t kClockLeewayS = 60;

// Checks size, format, algorithm, signature (constant time), claims (each once), expiry and
// not-before against `now_s`, with kClockLeewayS. Never throws: a refusal says why.
TokenCheck verify_token(std::string_view token, std::string_view secret, std::int64_t now_s) noexcept;

std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace tact::gateway
