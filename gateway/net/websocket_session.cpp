#include "net/websocket_session.hpp"

#include <chrono>

#include "obs/contained.hpp"
#include "obs/log.hpp"
#include "protocol/protocol.hpp"
#include "net/ws_frame.hpp"

namespace tact::gateway {

websocket_session::websocket_session(net::ip::tcp::socket&& socket, Identity who, ServerContext& ctx)
    : Peer(std::move(who)),
      ws_(std::move(socket)),
      ctx_(ctx),
      limiter_(ctx.limits.rate, ctx.limits.rate * 2),
      drop_timer_(ws_.get_executor()) {}

websocket_session::~websocket_session() {
  if (!joined_) return;
  ctx_.relay.disconnected(this);
  log_event("disconnected", {{"role", to_string(who().role)}, {"sub", who().sub}});
}

void websocket_session::fail(beast::error_code ec, const char* what) {
  if (ec == net::error::operation_aborted || ec == websocket::error::closed || ec == net::error::eof ||
      ec == net::error::connection_reset || ec == beast::error::timeout)
    return;
  log_event("session_error", {{"what", what}, {"error", ec.message()}, {"sub", who().sub}});
}

void websocket_session::run(Request req) {
  beast::get_lowest_layer(ws_).expires_never();
  ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
  ws_.set_option(websocket::stream_base::decorator(
      [](websocket::response_type& res) { res.set(http::field::server, "tact"); }));
  ws_.read_message_max(ctx_.limits.max_message);
  ws_.auto_fragment(false);  // one frame per message: fewer headers and writes
  ws_.async_accept(req, beast::bind_front_handler(&websocket_session::on_accept, shared_from_this()));
}

void websocket_session::abort() {
  closing_ = true;
  queue_.clear();
  beast::get_lowest_layer(ws_).close();
}

void websocket_session::on_accept(beast::error_code ec) {
  if (ec) return fail(ec, "accept");
  joined_ = true;
  log_event("connected", {{"role", to_string(who().role)}, {"sub", who().sub}});
  contained("ws_connected", [&] {
    ctx_.relay.connected(shared_from_this());
    do_read();
  }, [this] { abort(); });
}

void websocket_session::do_read() {
  ws_.async_read(buffer_, beast::bind_front_handler(&websocket_session::on_read, shared_from_this()));
}

void websocket_session::on_read(beast::error_code ec, std::size_t bytes) {
  contained("ws_read", [&] { frame_read(ec, bytes); }, [this] { abort(); });
}

void websocket_session::frame_read(beast::error_code ec, std::size_t) {
  if (ec == websocket::error::message_too_big) {
    // Beast has already answered with close code 1009.
    ctx_.metrics.count_error("too_large");
    log_event("frame_too_big", {{"sub", who().sub}, {"max", ctx_.limits.max_message}});
    return;
  }
  if (ec) return fail(ec, "read");
  const std::string text = beast::buffers_to_string(buffer_.data());
  buffer_.consume(buffer_.size());
  if (!ws_.got_text()) {
    ctx_.relay.refuse(*this, {"bad_json", "send text frames holding JSON, not binary frames", nullptr});
  } else if (!limiter_.allow()) {
    ctx_.relay.refuse(*this, {"rate_limited", "too many frames per second; this one was dropped", nullptr});
  } else {
    auto parsed = parse_client_frame(text);
    if (parsed.frame) ctx_.relay.handle(shared_from_this(), *parsed.frame);
    else ctx_.relay.refuse(*this, parsed.error);
  }
  do_read();
}

void websocket_session::send(Frames frames) {
  net::post(ws_.get_executor(), beast::bind_front_handler(&websocket_session::on_send, shared_from_this(), std::move(frames)));
}

void websocket_session::on_send(Frames frames) {
  contained("ws_send", [&] { queue_frames(std::move(frames)); }, [this] { abort(); });
}

void websocket_session::queue_frames(Frames frames) {
  if (closing_ || !joined_) return;
  for (auto& f : frames) {
    if (queue_.size() >= ctx_.limits.send_queue) {
      drop();
      return;
    }
    queue_.push_back(std::move(f));
  }
  if (!waiting_) pump();
}

void websocket_session::pump() {
  if (!ws_.is_open()) return queue_.clear();  // closing: nothing may follow a close frame
  auto& out = ws_.next_layer();
  while (!queue_.empty()) {
    const auto& f = *queue_.front();
    if (!out.append(text_frame_header(f.size()).view(), f)) {
      waiting_ = true;
      out.async_wait_sent([self = shared_from_this()](beast::error_code ec) {
        self->waiting_ = false;
        if (ec) return self->fail(ec, "write");
        contained("ws_write", [&] { self->pump(); }, [&] { self->abort(); });
      });
      return;
    }
    queue_.pop_front();
  }
  out.flush();
  if (closing_) do_close(close_code_);
}

void websocket_session::drop() {
  closing_ = true;
  close_code_ = websocket::close_code::policy_error;
  ctx_.metrics.dropped_clients++;
  log_event("client_dropped", {{"role", to_string(who().role)}, {"sub", who().sub}, {"queued", queue_.size()},
                               {"reason", "send queue full: the client does not read"}});
  queue_.clear();
  if (!waiting_) do_close(close_code_);
  // If that write never finishes (the client reads nothing), give up on a clean close.
  drop_timer_.expires_after(std::chrono::seconds(1));
  drop_timer_.async_wait([self = shared_from_this()](beast::error_code e) {
    if (!e) beast::get_lowest_layer(self->ws_).close();
  });
}

void websocket_session::shutdown() {
  net::post(ws_.get_executor(), [self = shared_from_this()] {
    if (self->closing_) return;
    self->closing_ = true;
    self->close_code_ = websocket::close_code::going_away;
    if (self->queue_.empty() && !self->waiting_) self->do_close(self->close_code_);
    self->drop_timer_.expires_after(std::chrono::seconds(2));
    self->drop_timer_.async_wait([self](beast::error_code e) {
      if (!e) beast::get_lowest_layer(self->ws_).close();
    });
  });
}

void websocket_session::do_close(websocket::close_code code) {
  if (close_sent_) return;
  close_sent_ = true;
  ws_.async_close(code, beast::bind_front_handler(&websocket_session::on_close, shared_from_this()));
}

void websocket_session::on_close(beast::error_code ec) {
  drop_timer_.cancel();
  if (ec) return fail(ec, "close");
}

}  // namespace tact::gateway
