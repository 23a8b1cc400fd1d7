#include "auth/jwt.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>

#include <nlohmann/json.hpp>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace tact::gateway {
namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string hmac_sha256(std::string_view key, std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), out.data(), &len);
  return std::string(reinterpret_cast<const char*>(out.data()), len);
}

int decode_char(char c) {
  auto pos = kAlphabet.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

TokenCheck refuse(std::string code, std::string message) { return {std::nullopt, std::move(code), std::move(message)}; }

}  // namespace

std::string_view to_string(UserRole r) noexcept {
  switch (r) {
    case UserRole::customer: return "customer";
    case UserRole::agent: return "agent";
    case UserRole::supervisor: return "supervisor";
    case UserRole::admin: return "admin";
  }
  return "customer";
}

std::optional<UserRole> parse_user_role(std::string_view s) noexcept {
  for (auto r : {UserRole::customer, UserRole::agent, UserRole::supervisor, UserRole::admin})
    if (to_string(r) == s) return r;
  return std::nullopt;
}

std::string base64url_encode(std::string_view bytes) {
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  std::uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out.push_back(kAlphabet[(acc >> bits) & 0x3f]);
    }
  }
  if (bits > 0) out.push_back(kAlphabet[(acc << (6 - bits)) & 0x3f]);
  return out;
}

std::optional<std::string> base64url_decode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : text) {
    int v = decode_char(c);
    if (v < 0) return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return out;
}

std::string sign_parts(std::string_view header_json, std::string_view payload_json, std::string_view secret) {
  std::string input = base64url_encode(header_json) + "." + base64url_encode(payload_json);
  const std::string sig = hmac_sha256(secret, input);
  return input + "." + base64url_encode(sig);
}

std::string sign_token(const Claims& claims, std::string_view secret) {
  const nlohmann::json header = {{"alg", "HS256"}, {"typ", "JWT"}};
  nlohmann::json payload = {
      {"role", to_string(claims.role)}, {"sub", claims.sub}, {"name", claims.name}, {"exp", claims.exp}};
  if (claims.nbf) payload["nbf"] = claims.nbf;
  return sign_parts(header.dump(), payload.dump(), secret);
}

namespace {

// Claims are read from a JSON object that may hold anything: every access checks the type first.
const nlohmann::json* field(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

// A JSON object whose top-level keys are each given once; anything else is discarded. A repeated
// claim would be read as its last copy by one library and its first by another.
nlohmann::json parse_object_once(const std::string& text) {
  std::set<std::string> keys;
  bool repeated = false;
  auto j = nlohmann::json::parse(
      text,
      [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) {
        if (depth == 1 && event == nlohmann::json::parse_event_t::key && !keys.insert(parsed.get<std::string>()).second)
          repeated = true;
        return true;
      },
      false);
  if (repeated) return nlohmann::json(nlohmann::json::value_t::discarded);
  return j;
}

// Seconds since the epoch from a JSON number, clamped to +-1e15 s (31 million years): a double
// such as 1e300 cast to int64 would be undefined behaviour.
std::optional<std::int64_t> seconds_of(const nlohmann::json& n) {
  constexpr double kLimit = 1e15;
  if (n.is_number_unsigned()) return static_cast<std::int64_t>(std::min<std::uint64_t>(n.get<std::uint64_t>(), kLimit));
  if (n.is_number_integer()) return std::clamp<std::int64_t>(n.get<std::int64_t>(), -kLimit, kLimit);
  if (n.is_number_float()) {
    const double d = n.get<double>();
    if (!std::isfinite(d)) return std::nullopt;
    return static_cast<std::int64_t>(std::clamp(d, -kLimit, kLimit));
  }
  return std::nullopt;
}

TokenCheck check_token(std::string_view token, std::string_view secret, std::int64_t now_s) {
  if (token.size() > kMaxTokenBytes)
    return refuse("bad_token", "a token is at most " + std::to_string(kMaxTokenBytes) + " bytes");
  const auto dot1 = token.find('.');
  const auto dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos)
    return refuse("bad_token", "a token has three base64url parts separated by dots");
  auto header_bytes = base64url_decode(token.substr(0, dot1));
  auto payload_bytes = base64url_decode(token.substr(dot1 + 1, dot2 - dot1 - 1));
  auto sig = base64url_decode(token.substr(dot2 + 1));
  if (!header_bytes || !payload_bytes || !sig) return refuse("bad_token", "a token part is not base64url");
  const auto header = parse_object_once(*header_bytes);
  const auto* alg = header.is_object() ? field(header, "alg") : nullptr;
  if (!alg || !alg->is_string() || alg->get_ref<const std::string&>() != "HS256")
    return refuse("bad_token", "the token's header must be a JSON object saying \"alg\": \"HS256\", once");
  const std::string expected = hmac_sha256(secret, token.substr(0, dot2));
  if (sig->size() != expected.size() || CRYPTO_memcmp(sig->data(), expected.data(), expected.size()) != 0)
    return refuse("bad_signature", "the token's signature does not match this server's secret");
  const auto payload = parse_object_once(*payload_bytes);
  if (!payload.is_object()) return refuse("bad_token", "the token's payload is not a JSON object with each claim once");
  const auto* role = field(payload, "role");
  const auto* sub = field(payload, "sub");
  const auto* name = field(payload, "name");
  const auto* exp = field(payload, "exp");
  const auto* nbf = field(payload, "nbf");
  if (!role || !role->is_string()) return refuse("bad_token", "the token has no \"role\" claim");
  if (!sub || !sub->is_string() || sub->get_ref<const std::string&>().empty() || sub->get_ref<const std::string&>().size() > 128)
    return refuse("bad_token", "the token's \"sub\" claim must be a string of 1 to 128 bytes");
  if (name && (!name->is_string() || name->get_ref<const std::string&>().size() > 256))
    return refuse("bad_token", "the token's \"name\" claim must be a string of at most 256 bytes");
  const auto exp_s = exp ? seconds_of(*exp) : std::nullopt;
  if (!exp_s) return refuse("bad_token", "the token has no numeric \"exp\" claim");
  const auto nbf_s = nbf ? seconds_of(*nbf) : std::optional<std::int64_t>(0);
  if (!nbf_s) return refuse("bad_token", "the token's \"nbf\" claim must be a number");
  auto parsed_role = parse_user_role(role->get_ref<const std::string&>());
  if (!parsed_role)
    return refuse("unknown_role", "role \"" + role->get_ref<const std::string&>().substr(0, 32) +
                                      "\" is not customer, agent, supervisor or admin");
  if (*exp_s + kClockLeewayS <= now_s) return refuse("expired_token", "the token expired; ask for a new one");
  if (*nbf_s - kClockLeewayS > now_s) return refuse("early_token", "the token is not valid yet (\"nbf\" is in the future)");
  Claims c;
  c.role = *parsed_role;
  c.sub = sub->get<std::string>();
  c.name = name ? name->get<std::string>() : std::string();
  c.exp = *exp_s;
  return {std::move(c), {}, {}};
}

}  // namespace

TokenCheck verify_token(std::string_view token, std::string_view secret, std::int64_t now_s) noexcept {
  // Nothing above should throw; if a library call ever does, the token is refused, not the process.
  try {
    return check_token(token, secret, now_s);
  } catch (const std::exception&) {
    return refuse("bad_token", "the token could not be read");
  }
}

}  // namespace tact::gateway
