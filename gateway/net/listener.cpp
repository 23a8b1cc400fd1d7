#include "net/listener.hpp"

#include "obs/contained.hpp"
#include "net/http_session.hpp"
#include "obs/log.hpp"

namespace tact::gateway {

listener::listener(IoPool& pool, ServerContext& ctx)
    : pool_(pool), acceptor_(net::make_strand(pool.main())), ctx_(ctx), backoff_(acceptor_.get_executor()) {}

bool listener::open(const net::ip::tcp::endpoint& endpoint, std::string& error) {
  beast::error_code ec;
  acceptor_.open(endpoint.protocol(), ec);
  if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
  if (ec) error = ec.message();
  return !ec;
}

void listener::run() { net::dispatch(acceptor_.get_executor(), beast::bind_front_handler(&listener::do_accept, shared_from_this())); }

void listener::stop() {
  net::post(acceptor_.get_executor(), [self = shared_from_this()] {
    beast::error_code ec;
    self->acceptor_.close(ec);
    self->backoff_.cancel();
  });
}

void listener::do_accept() {
  acceptor_.async_accept(net::make_strand(pool_.next()), beast::bind_front_handler(&listener::on_accept, shared_from_this()));
}

void listener::on_accept(beast::error_code ec, net::ip::tcp::socket socket) {
  if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
  if (!ec) {
    // Frames go out as they are ready: with Nagle on, a second small write waits for the client's
    // delayed ACK (about 40 ms on Linux), which showed as the p99 of the cluster path.
    beast::error_code ignored;
    socket.set_option(net::ip::tcp::no_delay(true), ignored);
    contained("accept", [&] { std::make_shared<http_session>(std::move(socket), ctx_)->run(); });
    return do_accept();
  }
  ++failed_since_log_;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_logged_ >= std::chrono::seconds(1)) {
    log_event("accept_error", {{"error", ec.message()}, {"failures", failed_since_log_}, {"retry_ms", kAcceptBackoff.count()}});
    ctx_.metrics.count_error("accept_failed");
    last_logged_ = now;
    failed_since_log_ = 0;
  }
  backoff_.expires_after(kAcceptBackoff);
  backoff_.async_wait([self = shared_from_this()](beast::error_code e) {
    if (!e && self->acceptor_.is_open()) self->do_accept();
  });
}

}  // namespace tact::gateway
