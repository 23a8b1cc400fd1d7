// The layer under the server's WebSockets, over a real loopback connection to a Beast client.
#include <catch2/catch.hpp>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>

#include "net/coalescing_stream.hpp"
#include "net/ws_frame.hpp"

namespace net = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;
using tact::gateway::coalescing_stream;
using tact::gateway::text_frame_header;

namespace {

using ServerWs = websocket::stream<coalescing_stream<beast::tcp_stream>>;
using ClientWs = websocket::stream<beast::tcp_stream>;

bool run_until(net::io_context& ioc, const std::function<bool()>& done, std::chrono::milliseconds limit = std::chrono::seconds(5)) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (!done() && std::chrono::steady_clock::now() < end) {
    if (ioc.stopped()) ioc.restart();  // it stops whenever it runs out of work
    ioc.run_one_for(std::chrono::milliseconds(10));
  }
  return done();
}

void run_for(net::io_context& ioc, std::chrono::milliseconds d) {
  const auto end = std::chrono::steady_clock::now() + d;
  while (std::chrono::steady_clock::now() < end) {
    if (ioc.stopped()) ioc.restart();
    ioc.run_one_for(std::chrono::milliseconds(10));
  }
}

struct Sockets {
  tcp::socket server, client;
};

Sockets connect_pair(net::io_context& ioc) {
  tcp::acceptor acceptor(ioc, {net::ip::make_address("127.0.0.1"), 0});
  tcp::socket c(ioc);
  c.connect(acceptor.local_endpoint());
  return {acceptor.accept(), std::move(c)};
}

struct Pair {
  net::io_context ioc;
  Sockets sockets{connect_pair(ioc)};
  ServerWs server{std::move(sockets.server)};
  ClientWs client{std::move(sockets.client)};

  Pair() {
    bool accepted = false, handshook = false;
    server.async_accept([&](beast::error_code ec) { accepted = !ec; });
    client.async_handshake("localhost", "/", [&](beast::error_code ec) { handshook = !ec; });
    REQUIRE(run_until(ioc, [&] { return accepted && handshook; }));
  }

  std::size_t client_bytes_waiting() { return beast::get_lowest_layer(client).socket().available(); }

  std::string client_read() {
    beast::flat_buffer b;
    beast::error_code got = net::error::would_block;
    client.async_read(b, [&](beast::error_code ec, std::size_t) { got = ec; });
    REQUIRE(run_until(ioc, [&] { return got != net::error::would_block; }));
    REQUIRE(!got);
    return beast::buffers_to_string(b.data());
  }
};

}  // namespace

// 3, 300 and 70,000 bytes: a header with a 1-, 2- and 8-byte length.
TEST_CASE("appended frames are held until flush, then reach a WebSocket client as messages, in order") {
  Pair p;
  const std::vector<std::string> frames{"ack", std::string(300, 'm'), std::string(70000, 'c')};
  for (const auto& f : frames) REQUIRE(p.server.next_layer().append(text_frame_header(f.size()).view(), f));
  run_for(p.ioc, std::chrono::milliseconds(50));
  CHECK(p.client_bytes_waiting() == 0);  // nothing sent before the flush

  p.server.next_layer().flush();
  for (const auto& f : frames) CHECK(p.client_read() == f);
}

TEST_CASE("a write of Beast's own is sent without being asked") {
  Pair p;
  bool done = false;
  p.server.async_write(net::buffer(std::string("hello")), [&](beast::error_code ec, std::size_t) { done = !ec; });
  REQUIRE(run_until(p.ioc, [&] { return done; }));
  CHECK(p.client_read() == "hello");
}

// As the session does: append until refused, then wait for the send in flight.
TEST_CASE("a peer that reads nothing stalls the appends; once it reads, they all get through") {
  Pair p;
  const std::string big(256 * 1024, 'b');
  const int total = 256;  // 64 MiB: more than loopback buffers and the high-water mark hold
  int appended = 0;
  std::function<void()> append_more = [&] {
    auto& out = p.server.next_layer();
    while (appended < total) {
      if (!out.append(text_frame_header(big.size()).view(), big)) {
        out.async_wait_sent([&](beast::error_code ec) {
          REQUIRE(!ec);
          append_more();
        });
        return;
      }
      ++appended;
    }
    out.flush();
  };
  append_more();
  run_for(p.ioc, std::chrono::milliseconds(300));
  const int stalled_at = appended;
  run_for(p.ioc, std::chrono::milliseconds(200));
  CHECK(appended == stalled_at);  // no progress without a reader
  CHECK(appended < total);

  int read = 0;
  beast::flat_buffer b;
  std::function<void()> read_next = [&] {
    p.client.async_read(b, [&](beast::error_code ec, std::size_t n) {
      REQUIRE(!ec);
      CHECK(n == big.size());
      b.consume(b.size());
      if (++read < total) read_next();
    });
  };
  read_next();
  REQUIRE(run_until(p.ioc, [&] { return read == total; }, std::chrono::seconds(20)));
  CHECK(appended == total);
}

TEST_CASE("a close from the peer is answered, with what was still held sent first") {
  Pair p;
  const std::string held = "queued";
  REQUIRE(p.server.next_layer().append(text_frame_header(held.size()).view(), held));  // never flushed by the owner

  beast::error_code server_read = net::error::would_block, client_close = net::error::would_block;
  beast::flat_buffer b;
  p.server.async_read(b, [&](beast::error_code ec, std::size_t) { server_read = ec; });
  p.client.async_close(websocket::close_code::normal, [&](beast::error_code ec) { client_close = ec; });
  REQUIRE(run_until(p.ioc, [&] { return server_read != net::error::would_block && client_close != net::error::would_block; }));
  CHECK(server_read == websocket::error::closed);
  CHECK(!client_close);  // the server's close frame arrived: the held bytes were flushed, then torn down
}
