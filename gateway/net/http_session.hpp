#pragma once
// One HTTP connection: reads requests (body limit, 30 s timeout), answers them with the routes,
// and hands a /ws upgrade with a good token to a websocket_session. The route table
// (http/route_table.hpp) says who may call a route; that is checked from the headers, before the
// body is read. Threads: its strand on one io thread; routes marked `background` run on the
// background thread and post their answer back.
#include <memory>
#include <optional>

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "http/http_types.hpp"
#include "app/server_context.hpp"

namespace tact::gateway {

namespace beast = boost::beast;
namespace net = boost::asio;

class http_session : public std::enable_shared_from_this<http_session> {
 public:
  http_session(net::ip::tcp::socket&& socket, ServerContext& ctx);
  void run();

 private:
  void do_read();
  // Completion handlers: each runs its step contained (a throw closes this connection only).
  void on_header(beast::error_code ec, std::size_t bytes);
  void on_read(beast::error_code ec, std::size_t bytes);
  void header_read(beast::error_code ec, std::size_t bytes);
  void body_read(beast::error_code ec, std::size_t bytes);
  void close_now();
  void upgrade();
  void send(Response res);
  void on_write(bool keep_alive, beast::error_code ec, std::size_t bytes);
  void do_close();
  void fail(beast::error_code ec, const char* what);

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  ServerContext& ctx_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<Response> response_;
  bool background_ = false;  // the request's route runs on the background thread
};

}  // namespace tact::gateway
