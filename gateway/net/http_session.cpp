#include "net/http_session.hpp"

#include <algorithm>
#include <chrono>

#include <boost/asio/dispatch.hpp>
#include <boost/beast/websocket.hpp>

#include "http/route_table.hpp"
#include "obs/contained.hpp"
#include "obs/log.hpp"
#include "net/websocket_session.hpp"

namespace tact::gateway {

http_session::http_session(net::ip::tcp::socket&& socket, ServerContext& ctx) : stream_(std::move(socket)), ctx_(ctx) {}

void http_session::fail(beast::error_code ec, const char* what) {
  if (ec == net::error::operation_aborted || ec == http::error::end_of_stream || ec == net::error::eof ||
      ec == net::error::connection_reset || ec == beast::error::timeout)
    return;
  log_event("http_error", {{"what", what}, {"error", ec.message()}});
}

void http_session::run() {
  net::dispatch(stream_.get_executor(), beast::bind_front_handler(&http_session::do_read, shared_from_this()));
}

void http_session::do_read() {
  parser_.emplace();
  // The larger limit until the target is known (a content-length is checked against it at the header).
  parser_->body_limit(std::max(ctx_.limits.max_message, ctx_.limits.max_admin_body));
  stream_.expires_after(std::chrono::seconds(30));
  http::async_read_header(stream_, buffer_, *parser_, beast::bind_front_handler(&http_session::on_header, shared_from_this()));
}

void http_session::close_now() {
  beast::error_code ec;
  stream_.socket().close(ec);
}

void http_session::on_header(beast::error_code ec, std::size_t bytes) {
  contained("http_header", [&] { header_read(ec, bytes); }, [this] { close_now(); });
}

void http_session::header_read(beast::error_code ec, std::size_t bytes) {
  if (ec) return body_read(ec, bytes);
  const auto& head = parser_->get();
  const auto found = find_route(head.method(), request_path(head));
  background_ = found.route && found.route->background;
  // Who may call the route is checked before a body is read: a stranger must not make the server
  // buffer megabytes (issue 16, finding 10). The route checks it again with the body (the same
  // headers, the same answer).
  if (found.route && found.route->roles != anyone) {
    auto who = authorize(*found.route, head, ctx_.routes);
    if (auto* refusal = std::get_if<Response>(&who)) {
      ctx_.metrics.count_error("refused_before_body");
      refusal->keep_alive(false);  // its body is still unread
      return send(std::move(*refusal));
    }
  }
  // Whole rule packs may be --max-admin-body, webhooks kMaxWebhookBody; everything else keeps --max-message.
  const auto body = found.route ? found.route->body : BodyLimit::message;
  const auto limit = body == BodyLimit::packs     ? ctx_.limits.max_admin_body
                     : body == BodyLimit::webhook ? std::max(kMaxWebhookBody, ctx_.limits.max_message)
                                                  : ctx_.limits.max_message;
  if (auto length = parser_->content_length(); length && *length > limit) return body_read(http::error::body_limit, 0);
  parser_->body_limit(limit);
  http::async_read(stream_, buffer_, *parser_, beast::bind_front_handler(&http_session::on_read, shared_from_this()));
}

void http_session::on_read(beast::error_code ec, std::size_t bytes) {
  contained("http_read", [&] { body_read(ec, bytes); }, [this] { close_now(); });
}

void http_session::body_read(beast::error_code ec, std::size_t) {
  if (ec == http::error::end_of_stream) return do_close();
  if (ec == http::error::body_limit) {
    Request req;
    auto res = error_response(req, http::status::payload_too_large, "too_large",
                              "the body is larger than --max-message (--max-admin-body for rule packs under /api/rules)");
    res.keep_alive(false);  // the rest of the body is still unread
    return send(std::move(res));
  }
  if (ec && ec.category() == http::make_error_code(http::error::bad_target).category()) {
    // A request Beast cannot parse (CL+TE, two Content-Lengths, a bad chunk, a header over 8 KiB):
    // say so, and close, since where the next request would start is unknown.
    fail(ec, "read");
    const bool too_big = ec == http::error::header_limit;
    Request req;
    auto res = error_response(req, too_big ? http::status::request_header_fields_too_large : http::status::bad_request,
                              too_big ? "too_large" : "bad_request",
                              too_big ? "the request line and headers are over 8 KiB" : "the request is malformed: " + ec.message());
    res.keep_alive(false);
    return send(std::move(res));
  }
  if (ec) return fail(ec, "read");
  const auto& req = parser_->get();
  if (beast::websocket::is_upgrade(req)) return upgrade();
  auto respond = [self = shared_from_this()](Response res) {
    net::post(self->stream_.get_executor(), [self, res = std::move(res)]() mutable { self->send(std::move(res)); });
  };
  if (background_)
    return net::post(ctx_.background, [req = parser_->release(), &routes = ctx_.routes, respond = std::move(respond)] {
      handle_request(req, routes, respond);  // noexcept: answers 500 itself
    });
  handle_request(req, ctx_.routes, respond);
}

void http_session::upgrade() {
  const auto& req = parser_->get();
  if (request_path(req) != "/ws") return send(error_response(req, http::status::not_found, "not_found", "WebSockets are at /ws"));
  const auto& allowed = ctx_.limits.allowed_origins;
  if (auto origin = req.find(http::field::origin); !allowed.empty() && origin != req.end() &&
                                                   std::find(allowed.begin(), allowed.end(), origin->value()) == allowed.end()) {
    log_event("origin_refused", {{"origin", std::string(origin->value().substr(0, 256))}});
    ctx_.metrics.count_error("bad_origin");
    auto res = error_response(req, http::status::forbidden, "bad_origin", "this Origin may not open a WebSocket here");
    res.keep_alive(false);
    return send(std::move(res));
  }
  auto check = identify(req, ctx_.routes);
  if (!check.claims) {
    log_event("token_refused", {{"error", check.error}});
    ctx_.metrics.count_error(check.error);
    auto res = error_response(req, refusal_status(check), check.error, check.message);
    res.keep_alive(false);
    return send(std::move(res));
  }
  Identity who{check.claims->role, check.claims->sub, check.claims->name};
  std::make_shared<websocket_session>(stream_.release_socket(), std::move(who), ctx_)->run(parser_->release());
}

void http_session::send(Response res) {
  set_security_headers(res, ctx_.routes.frame_ancestors);
  response_ = std::make_shared<Response>(std::move(res));
  const bool keep_alive = response_->keep_alive();
  http::async_write(stream_, *response_, beast::bind_front_handler(&http_session::on_write, shared_from_this(), keep_alive));
}

void http_session::on_write(bool keep_alive, beast::error_code ec, std::size_t) {
  if (ec) return fail(ec, "write");
  response_.reset();
  if (!keep_alive) return do_close();
  do_read();
}

void http_session::do_close() {
  beast::error_code ec;
  stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
}

}  // namespace tact::gateway
