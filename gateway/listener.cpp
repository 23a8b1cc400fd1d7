#include "listener.hpp"

#include "http_session.hpp"
#include "log.hpp"

namespace tact::gateway {

listener::listener(IoPool& pool, ServerContext& ctx) : pool_(pool), acceptor_(net::make_strand(pool.main())), ctx_(ctx) {}

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
  });
}

void listener::do_accept() {
  acceptor_.async_accept(net::make_strand(pool_.next()), beast::bind_front_handler(&listener::on_accept, shared_from_this()));
}

void listener::on_accept(beast::error_code ec, net::ip::tcp::socket socket) {
  if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
  if (ec) {
    log_event("accept_error", {{"error", ec.message()}});
  } else {
    std::make_shared<http_session>(std::move(socket), ctx_)->run();
  }
  do_accept();
}

}  // namespace tact::gateway
