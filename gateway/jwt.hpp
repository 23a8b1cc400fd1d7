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
};

// "header.payload.signature" signed with HMAC-SHA256 of `secret`.
std::string sign_token(const Claims& claims, std::string_view secret);

struct TokenCheck {
  std::optional<Claims> claims;  // set when accepted
  std::string error;             // bad_token, bad_signature, expired_token, unknown_role
  std::string message;           // for people
};

// Checks format, algorithm, signature (constant time), claims and expiry against `now_s`.
TokenCheck verify_token(std::string_view token, std::string_view secret, std::int64_t now_s);

std::string base64url_encode(std::string_view bytes);
std::optional<std::string> base64url_decode(std::string_view text);

}  // namespace tact::gateway
