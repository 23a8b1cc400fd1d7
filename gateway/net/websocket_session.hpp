#pragma once
// One WebSocket connection (after the upgrade), on its own strand. Reads frames and hands them
// to the relay. Frames to send wait in a bounded queue; `pump` writes them as WebSocket frames
// straight into the connection's buffer (see coalescing_stream), and everything queued leaves in
// one write. Beast's per-message write operations cost about 5 us of CPU per coached message.
// A client that lets its queue fill up is dropped (close 1008); shutdown() closes with 1001 once
// the queue is written.
// Threads: every member runs on the session's strand (one io thread); send() and shutdown() may be
// called from any thread (the store's writer thread for fan-out) and post to the strand.
#include <deque>
#include <memory>

#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include "net/coalescing_stream.hpp"
#include "http/http_types.hpp"
#include "relay/peer.hpp"
#include "net/rate_limiter.hpp"
#include "app/server_context.hpp"

namespace tact::gateway {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;

class websocket_session : public Peer, public std::enable_shared_from_this<websocket_session> {
 public:
  websocket_session(net::ip::tcp::socket&& socket, Identity who, ServerContext& ctx);
  ~websocket_session() override;

  void run(Request req);
  using Peer::send;
  void send(Frames frames) override;
  void shutdown() override;

 private:
  void on_accept(beast::error_code ec);
  void do_read();
  // Completion handlers run their step contained: a throw closes this connection only.
  void on_read(beast::error_code ec, std::size_t bytes);
  void frame_read(beast::error_code ec, std::size_t bytes);
  void on_send(Frames frames);
  void queue_frames(Frames frames);
  void abort();  // after a failure in a handler: drop the socket, nothing more is sent
  void pump();
  void drop();
  void do_close(websocket::close_code code);
  void on_close(beast::error_code ec);
  void fail(beast::error_code ec, const char* what);

  websocket::stream<coalescing_stream<beast::tcp_stream>> ws_;
  beast::flat_buffer buffer_;
  ServerContext& ctx_;
  RateLimiter limiter_;
  net::steady_timer drop_timer_;
  std::deque<Frame> queue_;
  bool joined_ = false;
  bool closing_ = false;  // no more frames are queued
  bool close_sent_ = false;
  bool waiting_ = false;  // for the socket to take more
  websocket::close_code close_code_ = websocket::close_code::going_away;
};

}  // namespace tact::gateway
