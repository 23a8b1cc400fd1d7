#include "integrations/chatwoot/webhook.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace tact::gateway::chatwoot {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxTextBytes = 16384;

std::string hex(const unsigned char* p, std::size_t n) {
  std::string out;
  out.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    out += "0123456789abcdef"[p[i] >> 4];
    out += "0123456789abcdef"[p[i] & 15];
  }
  return out;
}

const json* member(const json& j, const char* key) {
  if (!j.is_object()) return nullptr;
  auto it = j.find(key);
  return it == j.end() || it->is_null() ? nullptr : &*it;
}

std::int64_t id_of(const json* j) {
  if (!j) return 0;
  if (j->is_number_unsigned() && j->get<std::uint64_t>() <= static_cast<std::uint64_t>(INT64_MAX)) return j->get<std::int64_t>();
  if (j->is_number_integer() && j->get<std::int64_t>() > 0) return j->get<std::int64_t>();
  return 0;
}

std::string string_of(const json* j) { return j && j->is_string() ? j->get<std::string>() : std::string(); }

// At most `max` bytes, cut before a UTF-8 continuation byte.
std::string utf8_prefix(std::string s, std::size_t max) {
  if (s.size() <= max) return s;
  std::size_t n = max;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  s.resize(n);
  return s;
}

bool digits(std::string_view s, std::size_t at, std::size_t n, int& out) {
  if (at + n > s.size()) return false;
  out = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

// Days from 1970-01-01 to y-m-d (proleptic Gregorian).
std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + doe - 719468;
}

ParseResult fail(std::string error) { return {std::nullopt, std::move(error)}; }

void read_conversation(const json& conv, WebhookEvent& e) {
  e.conversation = id_of(member(conv, "id"));
  const json* meta = member(conv, "meta");
  const json* assignee = meta ? member(*meta, "assignee") : nullptr;
  e.assignee = assignee ? id_of(member(*assignee, "id")) : 0;
  if (!e.account) e.account = id_of(member(conv, "account_id"));
}

}  // namespace

std::string_view to_string(SignatureCheck c) {
  switch (c) {
    case SignatureCheck::ok: return "ok";
    case SignatureCheck::missing: return "missing_signature";
    case SignatureCheck::malformed: return "bad_signature";
    case SignatureCheck::stale: return "stale_timestamp";
    case SignatureCheck::mismatch: return "bad_signature";
  }
  return "bad_signature";
}

std::string sign(std::string_view secret, std::string_view timestamp, std::string_view body) {
  std::string signed_text;
  signed_text.reserve(timestamp.size() + 1 + body.size());
  signed_text.append(timestamp).append(".").append(body);
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()), reinterpret_cast<const unsigned char*>(signed_text.data()),
       signed_text.size(), mac.data(), &len);
  return "sha256=" + hex(mac.data(), len);
}

SignatureCheck verify(std::string_view secret, std::string_view timestamp, std::string_view signature, std::string_view body,
                      std::int64_t now_s, std::int64_t max_skew_s) {
  if (timestamp.empty() || signature.empty()) return SignatureCheck::missing;
  if (timestamp.size() > 12 || timestamp.find_first_not_of("0123456789") != std::string_view::npos) return SignatureCheck::malformed;
  const std::int64_t ts = std::stoll(std::string(timestamp));
  const std::string expected = sign(secret, timestamp, body);
  if (signature.size() != expected.size()) return SignatureCheck::mismatch;
  if (CRYPTO_memcmp(signature.data(), expected.data(), expected.size()) != 0) return SignatureCheck::mismatch;
  // Checked after the signature, so that a stale answer is only given to someone who knows the secret.
  if (ts < now_s - max_skew_s || ts > now_s + max_skew_s) return SignatureCheck::stale;
  return SignatureCheck::ok;
}

std::optional<std::int64_t> parse_time_ms(const json& value) {
  if (value.is_number_integer() || value.is_number_unsigned()) {
    const auto s = value.get<std::int64_t>();
    if (s < 0 || s > 253402300799) return std::nullopt;
    return s * 1000;
  }
  if (!value.is_string()) return std::nullopt;
  const std::string_view s = value.get_ref<const std::string&>();
  int y, mo, d, h, mi, se;
  if (s.size() < 19 || !digits(s, 0, 4, y) || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' || !digits(s, 8, 2, d) ||
      (s[10] != 'T' && s[10] != ' ') || !digits(s, 11, 2, h) || s[13] != ':' || !digits(s, 14, 2, mi) || s[16] != ':' ||
      !digits(s, 17, 2, se))
    return std::nullopt;
  if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || se > 60) return std::nullopt;
  std::size_t i = 19;
  int ms = 0;
  if (i < s.size() && s[i] == '.') {
    int scale = 100;
    for (++i; i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])); ++i) {
      ms += (s[i] - '0') * scale;
      scale /= 10;
    }
  }
  std::int64_t offset_s = 0;
  if (i < s.size() && s[i] == ' ') ++i;  // "2024-06-01 10:00:00 UTC" (Ruby's Time#to_s)
  if (i == s.size() || s.substr(i) == "Z" || s.substr(i) == "UTC") {
  } else if (s[i] == '+' || s[i] == '-') {
    int oh, om;
    const bool colon = i + 3 < s.size() && s[i + 3] == ':';
    if (!digits(s, i + 1, 2, oh) || !digits(s, i + (colon ? 4 : 3), 2, om) || s.size() != i + (colon ? 6 : 5)) return std::nullopt;
    offset_s = (oh * 3600 + om * 60) * (s[i] == '+' ? 1 : -1);
  } else {
    return std::nullopt;
  }
  const std::int64_t secs = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - offset_s;
  if (secs < 0) return std::nullopt;
  return secs * 1000 + ms;
}

ParseResult parse_webhook(const json& body) {
  if (!body.is_object()) return fail("the body must be a JSON object (a Chatwoot webhook payload)");
  const json* ev = member(body, "event");
  if (!ev || !ev->is_string() || ev->get_ref<const std::string&>().empty() || ev->get_ref<const std::string&>().size() > 64)
    return fail("\"event\" must name the Chatwoot event (message_created, conversation_status_changed, ...)");
  WebhookEvent e;
  e.event = ev->get<std::string>();
  if (const json* account = member(body, "account")) e.account = id_of(member(*account, "id"));

  if (e.event == "message_created" || e.event == "message_updated") {
    const json* conv = member(body, "conversation");
    if (!conv || !conv->is_object()) return fail("a message event must carry \"conversation\" (an object with \"id\")");
    read_conversation(*conv, e);
    if (!e.conversation) return fail("\"conversation.id\" must be a positive integer");
    e.message = id_of(member(body, "id"));
    if (!e.message) return fail("\"id\" (the message's id) must be a positive integer");
    if (e.event == "message_updated") {
      e.reason = "an edited or re-delivered message is not coached again";
      return {e, {}};
    }
    const std::string type = string_of(member(body, "message_type"));
    const json* priv = member(body, "private");
    if (priv && !priv->is_boolean()) return fail("\"private\" must be true or false");
    if (priv && priv->get<bool>()) {
      e.reason = "private notes are not coached";
      return {e, {}};
    }
    if (type != "incoming" && type != "outgoing") {
      if (type != "activity" && type != "template")
        return fail("\"message_type\" must be \"incoming\", \"outgoing\", \"activity\" or \"template\"");
      e.reason = type + " messages are not coached";
      return {e, {}};
    }
    e.text = utf8_prefix(string_of(member(body, "content")), kMaxTextBytes);
    std::replace(e.text.begin(), e.text.end(), '\0', ' ');  // no store keeps a NUL; Chatwoot's text is taken as it can be
    if (e.text.find_first_not_of(" \t\r\n") == std::string::npos) {
      e.reason = "a message without text (an attachment) is not coached";
      return {e, {}};
    }
    if (const json* at = member(body, "created_at")) e.at_ms = parse_time_ms(*at).value_or(0);
    const json* sender = member(body, "sender");
    e.sender_name = utf8_prefix(string_of(sender ? member(*sender, "name") : nullptr), 256);
    if (type == "incoming") {
      e.action = Action::coach_customer;
    } else {
      e.action = Action::coach_agent;
      if (sender && string_of(member(*sender, "type")) == "user") e.sender_id = id_of(member(*sender, "id"));
    }
    return {e, {}};
  }

  if (e.event == "conversation_created" || e.event == "conversation_updated" || e.event == "conversation_status_changed") {
    read_conversation(body, e);
    if (!e.conversation) return fail("\"id\" (the conversation's display id) must be a positive integer");
    if (e.event == "conversation_status_changed" && string_of(member(body, "status")) == "resolved") {
      e.action = Action::close;
      return {e, {}};
    }
    if (e.assignee) {
      e.action = Action::assign;
      return {e, {}};
    }
    e.reason = "nothing to do: the conversation opens in Tact with its first message";
    return {e, {}};
  }
  e.reason = "Tact does not use " + e.event.substr(0, 64) + " events";
  return {e, {}};
}

}  // namespace tact::gateway::chatwoot
