#pragma once
// For the integration tests: the real `tact serve` as a child process on a free port with a
// temporary data dir, a WebSocket client (Beast, with timeouts) and a one-shot HTTP GET.
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

#include "auth/jwt.hpp"
#include "support/temp_dir.hpp"

namespace tact::test {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using nlohmann::json;

inline const std::string kSecret = "integration-test-secret-0123456789abcdef";

std::string token(gateway::UserRole role, const std::string& sub, const std::string& name, long long ttl_s = 3600);


// How to start the server beyond its arguments.
struct Launch {
  std::vector<std::string> extra{};  // more `tact serve` arguments
  std::string secret = kSecret;    // TACT_SECRET
  long max_files = 0;              // > 0: RLIMIT_NOFILE (soft and hard) of the server
  std::string stderr_path{};       // non-empty: the server's log goes to this file
};

// The `tact` under test: TACT_BIN, or the environment's TACT_TEST_BIN (to run these tests against
// another build, e.g. the one before a fix, and see them fail).
std::string tact_bin();
// Runs `tact ARGS` (a shell command line) to its end; the exit status and stdout+stderr.
std::pair<int, std::string> run_tact(const std::string& args);

class ServerProcess {
 public:
  // Starts `tact serve --listen 127.0.0.1:0 --data DIR` plus `extra` and waits for its ready line.
  ServerProcess(const std::string& data_dir, std::vector<std::string> extra = {});
  ServerProcess(const std::string& data_dir, const Launch& launch);
  // What it printed on stdout up to its ready line; and all it printed so far.
  const std::string& banner() const { return banner_; }
  std::string stdout_text() const;
  ~ServerProcess();
  unsigned short port() const { return port_; }
  int pid() const { return pid_; }
  void kill9();
  int terminate();  // SIGTERM; returns the exit status

 private:
  int pid_ = -1;
  unsigned short port_ = 0;
  std::string banner_;
  struct Output {
    std::mutex mutex;
    std::string text;
  };
  std::shared_ptr<Output> output_;
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
  // Closes the connection as a browser tab does (close frame 1000, then the server's).
  void close();
  int closed_code() const { return close_code_; }
  bool closed() const { return closed_; }

 private:
  net::io_context ioc_;
  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buffer_;
  bool closed_ = false;
  int close_code_ = 0;
};

// The next health event for `conversation`, whether it came alone (`health`, after a message) or
// in a `health_page` (the subscribe snapshot and the sweep).
std::optional<json> next_health(WsClient& ws, const std::string& conversation,
                                std::chrono::milliseconds timeout = std::chrono::seconds(5));

struct HttpResult {
  int status = 0;
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string header(const std::string& name) const;  // "" when absent (case-insensitive name)
};
HttpResult http_request(unsigned short port, const std::string& method, const std::string& target,
                        const std::string& bearer = "", const std::string& body = "");

// Sends `bytes` on a new connection and returns whatever the server sends back until it closes
// the connection or `quiet` passes without a byte.
std::string raw_exchange(unsigned short port, const std::string& bytes,
                         std::chrono::milliseconds quiet = std::chrono::milliseconds(1500));

// Whether the server still answers GET /healthz with 200.
bool alive(unsigned short port);

// Tries a WebSocket handshake; the HTTP status it got (101 on success).
int ws_handshake_status(unsigned short port, const std::string& target, std::string* body = nullptr);

}  // namespace tact::test
