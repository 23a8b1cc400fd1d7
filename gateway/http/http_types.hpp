#pragma once
// The HTTP request and response types the gateway uses, and the token of a request.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/beast/http.hpp>

#include "auth/jwt.hpp"

namespace tact::gateway {

namespace http = boost::beast::http;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// The token from `?token=` or `Authorization: Bearer`; "" when there is none.
std::string request_token(const Request& req);

// Checks the request's token; a missing one is refused as "missing_token", a query token and a
// header token that differ as "conflicting_tokens". Needs only the request's header.
TokenCheck authenticate(const Request& req, const std::string& secret, std::int64_t now_s);
// The HTTP status of a refused token: 400 for conflicting_tokens, else 401.
http::status refusal_status(const TokenCheck& check);

// %XX in a path segment decoded; nullopt when malformed.
std::optional<std::string> percent_decode(std::string_view s);

// The query parameter `name` percent-decoded ("+" is a space); nullopt when absent or malformed.
std::optional<std::string> query_param(const Request& req, std::string_view name);

// The target's path, without the query.
std::string request_path(const Request& req);

}  // namespace tact::gateway
