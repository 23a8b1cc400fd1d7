#include "jwt.hpp"

#include <array>

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

std::string sign_token(const Claims& claims, std::string_view secret) {
  const nlohmann::json header = {{"alg", "HS256"}, {"typ", "JWT"}};
  const nlohmann::json payload = {
      {"role", to_string(claims.role)}, {"sub", claims.sub}, {"name", claims.name}, {"exp", claims.exp}};
  std::string input = base64url_encode(header.dump()) + "." + base64url_encode(payload.dump());
  const std::string sig = hmac_sha256(secret, input);
  return input + "." + base64url_encode(sig);
}

TokenCheck verify_token(std::string_view token, std::string_view secret, std::int64_t now_s) {
  const auto dot1 = token.find('.');
  const auto dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos)
    return refuse("bad_token", "a token has three base64url parts separated by dots");
  auto header_bytes = base64url_decode(token.substr(0, dot1));
  auto payload_bytes = base64url_decode(token.substr(dot1 + 1, dot2 - dot1 - 1));
  auto sig = base64url_decode(token.substr(dot2 + 1));
  if (!header_bytes || !payload_bytes || !sig) return refuse("bad_token", "a token part is not base64url");
  auto header = nlohmann::json::parse(*header_bytes, nullptr, false);
  if (!header.is_object() || header.value("alg", "") != "HS256")
    return refuse("bad_token", "the token's header must say \"alg\": \"HS256\"");
  const std::string expected = hmac_sha256(secret, token.substr(0, dot2));
  if (sig->size() != expected.size() || CRYPTO_memcmp(sig->data(), expected.data(), expected.size()) != 0)
    return refuse("bad_signature", "the token's signature does not match this server's secret");
  auto payload = nlohmann::json::parse(*payload_bytes, nullptr, false);
  if (!payload.is_object()) return refuse("bad_token", "the token's payload is not a JSON object");
  auto role = payload.find("role");
  auto sub = payload.find("sub");
  auto name = payload.find("name");
  auto exp = payload.find("exp");
  if (role == payload.end() || !role->is_string()) return refuse("bad_token", "the token has no \"role\" claim");
  if (sub == payload.end() || !sub->is_string() || sub->get_ref<const std::string&>().empty() ||
      sub->get_ref<const std::string&>().size() > 128)
    return refuse("bad_token", "the token's \"sub\" claim must be a string of 1 to 128 bytes");
  if (name != payload.end() && !name->is_string()) return refuse("bad_token", "the token's \"name\" claim must be a string");
  if (exp == payload.end() || !exp->is_number()) return refuse("bad_token", "the token has no numeric \"exp\" claim");
  auto parsed_role = parse_user_role(role->get_ref<const std::string&>());
  if (!parsed_role) return refuse("unknown_role", "role \"" + role->get<std::string>() + "\" is not customer, agent, supervisor or admin");
  Claims c;
  c.role = *parsed_role;
  c.sub = sub->get<std::string>();
  c.name = name == payload.end() ? std::string() : name->get<std::string>();
  c.exp = exp->is_number_float() ? static_cast<std::int64_t>(exp->get<double>()) : exp->get<std::int64_t>();
  if (c.exp <= now_s) return refuse("expired_token", "the token expired; ask for a new one");
  return {std::move(c), {}, {}};
}

}  // namespace tact::gateway
