#include "http/responses.hpp"

#include "json_io.hpp"

namespace tact::gateway {

Response text_response(const Request& req, http::status status, std::string body, std::string_view type) {
  Response res{status, req.version()};
  res.set(http::field::server, "tact");
  res.set(http::field::content_type, type);
  res.set("X-Content-Type-Options", "nosniff");
  res.keep_alive(req.keep_alive());
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

Response json_response(const Request& req, http::status status, const nlohmann::json& body) {
  return text_response(req, status, coach::dump(body) + "\n", "application/json");
}

Response error_response(const Request& req, http::status status, const std::string& code, const std::string& message) {
  return json_response(req, status, nlohmann::json{{"error", code}, {"message", message}});
}

void set_security_headers(Response& res, const std::string& frame_ancestors) {
  res.set("X-Content-Type-Options", "nosniff");
  const auto type = res[http::field::content_type];
  if (type.starts_with("text/html"))
    res.set("Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors " +
                frame_ancestors);
}

}  // namespace tact::gateway
