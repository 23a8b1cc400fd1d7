// Attacks on the wire protocols that held at de50cd2 and must keep holding (issue 16): raw
// WebSocket frames and raw HTTP requests, written byte by byte, against the real server.
// Rows in tests/bad-inputs.md.
#include <catch2/catch.hpp>

#include <poll.h>
#include <sys/socket.h>
#include <thread>

#include "harness.hpp"

using namespace tact::test;
using tact::gateway::UserRole;

namespace {

// A WebSocket connection spoken by hand: the handshake, then whatever frames the test writes.
class RawWs {
 public:
  RawWs(unsigned short port, const std::string& tok) : sock_(ioc_) {
    sock_.connect({net::ip::make_address("127.0.0.1"), port});
    write("GET /ws?token=" + tok +
          " HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    while (pending_.find("\r\n\r\n") == std::string::npos)
      if (!fill()) throw std::runtime_error("no handshake answer");
    REQUIRE(pending_.starts_with("HTTP/1.1 101"));
    pending_.erase(0, pending_.find("\r\n\r\n") + 4);
  }

  void write(const std::string& bytes) {
    beast::error_code ec;
    net::write(sock_, net::buffer(bytes), ec);
  }

  // A client frame: FIN + `first` (opcode and RSV bits), masked unless `masked` is false.
  void frame(unsigned char first, const std::string& payload, bool masked = true) {
    std::string f(1, static_cast<char>(first));
    const unsigned char mask_bit = masked ? 0x80 : 0;
    if (payload.size() < 126) {
      f.push_back(static_cast<char>(mask_bit | payload.size()));
    } else if (payload.size() < 65536) {
      f.push_back(static_cast<char>(mask_bit | 126));
      f.push_back(static_cast<char>(payload.size() >> 8));
      f.push_back(static_cast<char>(payload.size() & 0xff));
    } else {
      f.push_back(static_cast<char>(mask_bit | 127));
      for (int i = 7; i >= 0; --i) f.push_back(static_cast<char>((payload.size() >> (8 * i)) & 0xff));
    }
    const unsigned char key[4] = {0x12, 0x34, 0x56, 0x78};
    if (masked) f.append(reinterpret_cast<const char*>(key), 4);
    for (std::size_t i = 0; i < payload.size(); ++i) f.push_back(masked ? static_cast<char>(payload[i] ^ key[i % 4]) : payload[i]);
    write(f);
  }

  // Reads server frames until a close frame (its code) or a text frame of `type`; 0 when the
  // connection ends without a close frame, -1 on timeout.
  int next_close_or(const std::string& type = "", std::string* text = nullptr) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    for (;;) {
      if (auto f = take_frame()) {
        const auto [opcode, payload] = *f;
        if (opcode == 0x8) return payload.size() >= 2 ? (static_cast<unsigned char>(payload[0]) << 8) | static_cast<unsigned char>(payload[1]) : 1005;
        if (opcode == 0x1 && !type.empty() && payload.find("\"type\":\"" + type + "\"") != std::string::npos) {
          if (text) *text = payload;
          return 1;
        }
        continue;
      }
      if (std::chrono::steady_clock::now() > deadline) return -1;
      if (!fill()) return 0;
    }
  }

 private:
  bool fill() {
    pollfd p{sock_.native_handle(), POLLIN, 0};
    if (poll(&p, 1, 5000) <= 0) return false;
    char buf[65536];
    const auto n = ::recv(sock_.native_handle(), buf, sizeof buf, 0);
    if (n <= 0) return false;
    pending_.append(buf, static_cast<std::size_t>(n));
    return true;
  }
  std::optional<std::pair<int, std::string>> take_frame() {
    if (pending_.size() < 2) return std::nullopt;
    const auto b0 = static_cast<unsigned char>(pending_[0]), b1 = static_cast<unsigned char>(pending_[1]);
    std::size_t len = b1 & 0x7f, at = 2;
    if (len == 126) {
      if (pending_.size() < 4) return std::nullopt;
      len = (static_cast<unsigned char>(pending_[2]) << 8) | static_cast<unsigned char>(pending_[3]);
      at = 4;
    } else if (len == 127) {
      if (pending_.size() < 10) return std::nullopt;
      len = 0;
      for (int i = 2; i < 10; ++i) len = (len << 8) | static_cast<unsigned char>(pending_[i]);
      at = 10;
    }
    if (pending_.size() < at + len) return std::nullopt;
    auto out = std::make_pair(b0 & 0x0f, pending_.substr(at, len));
    pending_.erase(0, at + len);
    return out;
  }

  net::io_context ioc_;
  net::ip::tcp::socket sock_;
  std::string pending_;
};

std::string close_payload(int code) { return {static_cast<char>(code >> 8), static_cast<char>(code & 0xff)}; }

std::size_t count(const std::string& s, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = s.find(needle); at != std::string::npos; at = s.find(needle, at + 1)) ++n;
  return n;
}

}  // namespace

TEST_CASE("abuse: RSV bits, reserved opcodes, unmasked and oversized control frames", "[abuse]") {
  TempDir dir;
  ServerProcess server(dir.path);
  const auto tok = token(UserRole::customer, "dana", "Dana");
  const std::string hello = R"({"type":"message","text":"hi","client_id":"k"})";
  struct Case {
    const char* what;
    unsigned char first;
    std::string payload;
    bool masked;
  };
  for (const auto& c : {Case{"RSV1 without an extension", 0x80 | 0x40 | 0x1, hello, true},
                        Case{"RSV3", 0x80 | 0x10 | 0x1, hello, true}, Case{"unmasked text", 0x81, hello, false},
                        Case{"ping of 126 bytes", 0x89, std::string(126, 'p'), true}, Case{"opcode 0x3", 0x83, hello, true},
                        Case{"opcode 0xB", 0x8B, "", true}}) {
    CAPTURE(c.what);
    RawWs ws(server.port(), tok);
    ws.frame(c.first, c.payload, c.masked);
    CHECK(ws.next_close_or() == 1002);
    REQUIRE(alive(server.port()));
  }
}

TEST_CASE("abuse: bad close codes", "[abuse]") {
  TempDir dir;
  ServerProcess server(dir.path);
  for (int code : {1005, 999, 1006}) {
    CAPTURE(code);
    RawWs ws(server.port(), token(UserRole::customer, "dana", "Dana"));
    ws.frame(0x88, close_payload(code));
    CHECK(ws.next_close_or() == 1002);
  }
  RawWs ws(server.port(), token(UserRole::customer, "dana", "Dana"));
  ws.frame(0x88, close_payload(1000));
  CHECK(ws.next_close_or() == 1000);
  REQUIRE(alive(server.port()));
}

TEST_CASE("abuse: the 16,384 / 16,385-byte frame boundary", "[abuse]") {
  TempDir dir;
  ServerProcess server(dir.path);
  const std::string head = R"({"type":"message","client_id":"k","text":")";
  const std::string tail = R"("})";
  const std::string exact = head + std::string(16384 - head.size() - tail.size(), 'a') + tail;
  REQUIRE(exact.size() == 16384);
  RawWs ws(server.port(), token(UserRole::customer, "dana", "Dana"));
  ws.frame(0x81, exact);
  CHECK(ws.next_close_or("ack") == 1);
  RawWs big(server.port(), token(UserRole::customer, "erin", "Erin"));
  big.frame(0x81, exact + " ");
  CHECK(big.next_close_or("ack") == 1009);
}

TEST_CASE("abuse: CL+TE, duplicate Content-Length, bad chunk sizes", "[abuse]") {
  TempDir dir;
  ServerProcess server(dir.path);
  const auto agent = token(UserRole::agent, "alice", "A");
  const std::string auth = "Authorization: Bearer " + agent + "\r\n";
  const std::string body = R"({"role":"customer","text":"late"})";
  for (const std::string& request : std::vector<std::string>
       {"POST /api/conversations/s1/events HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n" +
            "0\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\n\r\n",
        "POST /api/conversations/s2/events HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Length: " + std::to_string(body.size()) +
            "\r\nContent-Length: 3\r\n\r\n" + body,
        "POST /api/conversations/s3/events HTTP/1.1\r\nHost: x\r\n" + auth + "Transfer-Encoding: chunked\r\n\r\nzz\r\n" + body + "\r\n0\r\n\r\n",
        "POST /api/conversations/s4/events HTTP/1.1\r\nHost: x\r\n" + auth +
            "Transfer-Encoding: chunked\r\n\r\nfffffffffffffffffff\r\n" + body + "\r\n0\r\n\r\n"}) {
    auto got = raw_exchange(server.port(), request);
    CAPTURE(request.substr(0, 60), got.substr(0, 120));
    CHECK(got.starts_with("HTTP/1.1 400"));
    CHECK(count(got, "HTTP/1.1 ") == 1);  // nothing smuggled behind it
  }
  // None of them was stored.
  auto list = json::parse(http_request(server.port(), "GET", "/api/conversations", agent).body);
  CHECK(list.at("conversations").empty());
}

TEST_CASE("abuse: 100 pipelined requests", "[abuse]") {
  TempDir dir;
  ServerProcess server(dir.path);
  std::string many;
  for (int i = 0; i < 100; ++i) many += "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  auto got = raw_exchange(server.port(), many);
  CHECK(count(got, "HTTP/1.1 200") == 100);
}

TEST_CASE("abuse: 1 MB URLs and headers", "[abuse]") {
  TempDir dir;
  ServerProcess server(dir.path);
  auto got = raw_exchange(server.port(), "GET /" + std::string(1 << 20, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n");
  CHECK(got.find(" 200 ") == std::string::npos);
  got = raw_exchange(server.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(1 << 20, 'b') + "\r\n\r\n");
  CHECK(got.find(" 200 ") == std::string::npos);
  CHECK(alive(server.port()));
}

TEST_CASE("abuse: HTTP/1.0", "[abuse]") {
  TempDir dir;
  ServerProcess server(dir.path);
  auto got = raw_exchange(server.port(), "GET /healthz HTTP/1.0\r\n\r\n");
  CHECK(got.starts_with("HTTP/1.0 200"));
}

TEST_CASE("abuse: slowloris and silent connections", "[abuse][slow]") {
  TempDir dir;
  ServerProcess server(dir.path);
  net::io_context ioc;
  net::ip::tcp::socket silent(ioc), slow(ioc);
  silent.connect({net::ip::make_address("127.0.0.1"), server.port()});
  slow.connect({net::ip::make_address("127.0.0.1"), server.port()});
  const std::string head = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: " + std::string(400, 's');
  const auto start = std::chrono::steady_clock::now();
  bool slow_closed = false;
  for (std::size_t i = 0; i < head.size() && !slow_closed; ++i) {
    beast::error_code ec;
    net::write(slow, net::buffer(&head[i], 1), ec);
    slow_closed = static_cast<bool>(ec);
    if (i % 50 == 0) CHECK(alive(server.port()));  // others are served meanwhile
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  const auto waited = std::chrono::steady_clock::now() - start;
  char byte;
  beast::error_code ec;
  silent.read_some(net::buffer(&byte, 1), ec);  // ends when the server drops it
  CHECK(ec);
  CHECK((slow_closed || waited >= std::chrono::seconds(30)));
  CHECK(alive(server.port()));
}
