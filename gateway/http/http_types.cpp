#include "http/http_types.hpp"

namespace tact::gateway {

std::optional<std::string> percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;
    auto hex = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    const int hi = hex(s[i + 1]), lo = hex(s[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

std::string request_path(const Request& req) {
  const std::string_view target(req.target().data(), req.target().size());
  return std::string(target.substr(0, target.find('?')));
}

std::optional<std::string> query_param(const Request& req, std::string_view name) {
  const std::string_view target(req.target().data(), req.target().size());
  const auto q = target.find('?');
  if (q == std::string_view::npos) return std::nullopt;
  std::string_view query = target.substr(q + 1);
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto param = query.substr(0, amp);
    const auto eq = param.find('=');
    if (param.substr(0, eq) == name) {
      std::string value(eq == std::string_view::npos ? std::string_view{} : param.substr(eq + 1));
      for (auto& c : value)
        if (c == '+') c = ' ';
      return percent_decode(value);
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return std::nullopt;
}

namespace {

std::string query_token(const Request& req) { return query_param(req, "token").value_or(""); }

std::string header_token(const Request& req) {
  auto it = req.find(http::field::authorization);
  if (it != req.end()) {
    std::string_view v(it->value().data(), it->value().size());
    if (v.starts_with("Bearer ")) return std::string(v.substr(7));
  }
  return {};
}

}  // namespace

std::string request_token(const Request& req) {
  auto q = query_token(req);
  return q.empty() ? header_token(req) : q;
}

TokenCheck authenticate(const Request& req, const std::string& secret, std::int64_t now_s) {
  const auto query = query_token(req);
  const auto header = header_token(req);
  if (!query.empty() && !header.empty() && query != header)
    return {std::nullopt, "conflicting_tokens", "the ?token= and the Authorization header name different tokens; send one"};
  const auto& token = query.empty() ? header : query;
  if (token.empty())
    return {std::nullopt, "missing_token", "give a token as ?token= or an Authorization: Bearer header"};
  return verify_token(token, secret, now_s);
}

http::status refusal_status(const TokenCheck& check) {
  return check.error == "conflicting_tokens" ? http::status::bad_request : http::status::unauthorized;
}

}  // namespace tact::gateway
