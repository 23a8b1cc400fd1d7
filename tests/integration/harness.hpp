#pragma once
// For the integration tests: the real `tact serve` as a child process on a free port with a
// temporary data dir, a WebSocket client (Beast, with timeouts) and a one-shot HTTP GET.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

#include "jwt.hpp"

namespace tact::test {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using nlohmann::json;

inline const std::string kSecret = "integration-test-secret-0123456789abcdef";

std::string token(gateway::UserRole role, const std::string& sub, const std::string& name, long long ttl_s = 3600);

// A fresh temporary directory, removed by the destructor.
struct TempDir {
  TempDir();
  ~TempDir();
  std::string path;
};

class ServerProcess {
 public:
  // Starts `tact serve --listen 127.0.0.1:0 --data DIR` plus `extra` and waits for its ready line.
  ServerProcess(const std::string& data_dir, std::vector<std::string> extra = {});
  ~ServerProcess();
  unsigned short port() const { return port_; }
  int pid() const { return pid_; }
  void kill9();
  int terminate();  // SIGTERM; returns the exit status

 private:
  int pid_ = -1;
  unsigned short port_ = 0;
};

class WsClient {
 public:
  // Connects to /ws?token=...; `rcvbuf` > 0 sets a small receive buffer (a slow reader).
  WsClient(unsigned short port, const std::string& token, int rcvbuf = 0);
  void send(const json& j);
  void send_raw(const std::string& text);
  // Like send_raw, but a failed write (the server already closed) is not an exception.
  bool try_send_raw(const std::string& text);
  // The next frame, or nullopt on timeout, close or error (see closed_code()).
  std::optional<json> recv(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // Reads frames until one has "type" == type (and `pred` holds); nullopt when none in time.
  std::optional<json> recv_type(const std::string& type, std::chrono::milliseconds timeout = std::chrono::seconds(5));
  int closed_code() const { return close_code_; }
  bool closed() const { return closed_; }

 private:
  net::io_context ioc_;
  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  bool closed_ = false;
  int close_code_ = 0;
};

struct HttpResult {
  int status = 0;
  std::string body;
};
HttpResult http_request(unsigned short port, const std::string& method, const std::string& target,
                        const std::string& bearer = "", const std::string& body = "");

// Tries a WebSocket handshake; the HTTP status it got (101 on success).
int ws_handshake_status(unsigned short port, const std::string& target, std::string* body = nullptr);

}  // namespace tact::test
