#pragma once
// The shapes of HTTP answers: JSON, errors ({"error": CODE, "message": ...}, docs/protocol.md),
// text, and the headers every answer carries.
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "http/http_types.hpp"

namespace tact::gateway {

Response text_response(const Request& req, http::status status, std::string body, std::string_view type);
Response json_response(const Request& req, http::status status, const nlohmann::json& body);
Response error_response(const Request& req, http::status status, const std::string& code, const std::string& message);

// X-Content-Type-Options: nosniff everywhere; for pages a CSP that allows only their own scripts
// and this origin, framed only by `frame_ancestors`.
void set_security_headers(Response& res, const std::string& frame_ancestors);

}  // namespace tact::gateway
