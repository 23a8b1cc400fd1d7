#pragma once
// Accepts connections; each gets an io_context of the pool, its own strand there, and an
// http_session. Threads: the first io thread (its own strand); a failed accept backs off.
#include <chrono>
#include <memory>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>

#include "net/io_pool.hpp"
#include "app/server_context.hpp"

namespace tact::gateway {

namespace beast = boost::beast;
namespace net = boost::asio;

class listener : public std::enable_shared_from_this<listener> {
 public:
  listener(IoPool& pool, ServerContext& ctx);
  // Binds and listens; false with `error` when it cannot.
  bool open(const net::ip::tcp::endpoint& endpoint, std::string& error);
  net::ip::tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }
  void run();
  void stop();  // stops accepting

 private:
  void do_accept();
  void on_accept(beast::error_code ec, net::ip::tcp::socket socket);

  IoPool& pool_;
  net::ip::tcp::acceptor acceptor_;
  ServerContext& ctx_;
  // After a failed accept (out of file descriptors, above all) the loop waits kAcceptBackoff
  // before trying again, instead of spinning a core; the error is logged at most once a second.
  net::steady_timer backoff_;
  std::chrono::steady_clock::time_point last_logged_{};
  std::size_t failed_since_log_ = 0;
};

inline constexpr std::chrono::milliseconds kAcceptBackoff{50};

}  // namespace tact::gateway
