#include "echo_server.hpp"

#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

namespace tact::bench {
namespace {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;

class EchoSession : public std::enable_shared_from_this<EchoSession> {
 public:
  explicit EchoSession(tcp::socket&& s) : ws_(std::move(s)) {}
  void run() { ws_.async_accept(beast::bind_front_handler(&EchoSession::on_accept, shared_from_this())); }

 private:
  void on_accept(beast::error_code ec) {
    if (!ec) do_read();
  }
  void do_read() { ws_.async_read(buffer_, beast::bind_front_handler(&EchoSession::on_read, shared_from_this())); }
  void on_read(beast::error_code ec, std::size_t) {
    if (ec) return;
    ws_.text(ws_.got_text());
    ws_.async_write(buffer_.data(), beast::bind_front_handler(&EchoSession::on_write, shared_from_this()));
  }
  void on_write(beast::error_code ec, std::size_t) {
    if (ec) return;
    buffer_.consume(buffer_.size());
    do_read();
  }
  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
};

void accept_loop(net::io_context& ioc, std::shared_ptr<tcp::acceptor> acc) {
  acc->async_accept(net::make_strand(ioc), [&ioc, acc](beast::error_code ec, tcp::socket s) {
    if (ec) return;
    std::make_shared<EchoSession>(std::move(s))->run();
    accept_loop(ioc, acc);
  });
}

}  // namespace

EchoServer::EchoServer(int threads) {
  auto acc = std::make_shared<tcp::acceptor>(ioc_, tcp::endpoint{net::ip::make_address("127.0.0.1"), 0});
  port_ = acc->local_endpoint().port();
  accept_loop(ioc_, acc);
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { ioc_.run(); });
}

EchoServer::~EchoServer() {
  ioc_.stop();
  for (auto& t : threads_) t.join();
}

}  // namespace tact::bench
