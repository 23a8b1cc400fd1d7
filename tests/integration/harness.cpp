#include "harness.hpp"

#include <fstream>
#include <iterator>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string_view>
#include <thread>

#include <boost/asio/write.hpp>
#include <boost/beast/http.hpp>
#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

namespace tact::test {

std::string token(gateway::UserRole role, const std::string& sub, const std::string& name, long long ttl_s) {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  return gateway::sign_token({role, sub, name, now + ttl_s}, kSecret);
}

std::string tact_bin() {
  const char* other = std::getenv("TACT_TEST_BIN");
  return other && *other ? other : TACT_BIN;
}

std::pair<int, std::string> run_tact(const std::string& args) {
  const std::string cmd = tact_bin() + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  while (auto n = fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  const int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

ServerProcess::ServerProcess(const std::string& data_dir, std::vector<std::string> extra)
    : ServerProcess(data_dir, Launch{std::move(extra)}) {}

ServerProcess::ServerProcess(const std::string& data_dir, const Launch& launch) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
  std::vector<std::string> args = {tact_bin(), "serve", "--listen", "127.0.0.1:0", "--data", data_dir, "--threads", "2"};
  args.insert(args.end(), launch.extra.begin(), launch.extra.end());
  // Everything the child needs is built before fork(): the test has other threads (readers of
  // earlier servers' output, load threads), and a malloc or setenv between fork and exec can wait
  // forever on a lock one of them held (seen under ASan: a node that never started, log empty).
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_strings;
  for (char** e = environ; *e; ++e)
    if (std::string_view(*e).rfind("TACT_SECRET=", 0) != 0) env_strings.emplace_back(*e);
  env_strings.push_back("TACT_SECRET=" + launch.secret);
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  const rlimit files{static_cast<rlim_t>(launch.max_files), static_cast<rlim_t>(launch.max_files)};
  pid_ = fork();
  if (pid_ == 0) {
    dup2(fds[1], 1);
    close(fds[0]);
    close(fds[1]);
    if (!launch.stderr_path.empty()) {
      const int log = ::open(launch.stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      if (log >= 0) dup2(log, 2);
    }
    if (launch.max_files > 0) setrlimit(RLIMIT_NOFILE, &files);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  close(fds[1]);
  std::string out;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  const std::string marker = "listening on http://127.0.0.1:";
  while (std::chrono::steady_clock::now() < deadline) {
    pollfd p{fds[0], POLLIN, 0};
    if (poll(&p, 1, 200) <= 0) continue;
    char buf[4096];
    const auto n = read(fds[0], buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
    if (auto at = out.find(marker); at != std::string::npos && out.find(' ', at + marker.size()) != std::string::npos) {
      port_ = static_cast<unsigned short>(std::stoi(out.substr(at + marker.size())));
      break;
    }
  }
  // Keep reading stdout in the background so the child never blocks on it.
  output_ = std::make_shared<Output>();
  output_->text = out;
  std::thread([fd = fds[0], output = output_] {
    char buf[4096];
    for (ssize_t n; (n = read(fd, buf, sizeof buf)) > 0;) {
      std::lock_guard lock(output->mutex);
      output->text.append(buf, static_cast<std::size_t>(n));
    }
    close(fd);
  }).detach();
  banner_ = out;
  if (!port_) {
    // Its log says why (the store, the bus, the port): the end of it goes with the error.
    std::string log;
    if (!launch.stderr_path.empty()) {
      std::ifstream in(launch.stderr_path);
      log.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
      if (log.size() > 4000) log = log.substr(log.size() - 4000);
    }
    throw std::runtime_error("tact serve did not start: " + out + (log.empty() ? "" : "\nits log ends:\n" + log));
  }
}

std::string ServerProcess::stdout_text() const {
  std::lock_guard lock(output_->mutex);
  return output_->text;
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) kill9();
}

void ServerProcess::kill9() {
  ::kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

int ServerProcess::terminate() {
  ::kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

WsClient::WsClient(unsigned short port, const std::string& tok, int rcvbuf) : ws_(ioc_) {
  auto& sock = beast::get_lowest_layer(ws_).socket();
  sock.open(net::ip::tcp::v4());
  if (rcvbuf > 0) sock.set_option(net::socket_base::receive_buffer_size(rcvbuf));
  sock.connect({net::ip::make_address("127.0.0.1"), port});
  ws_.handshake("127.0.0.1:" + std::to_string(port), "/ws?token=" + tok);
}

void WsClient::send(const json& j) { send_raw(j.dump()); }

void WsClient::send_raw(const std::string& text) {
  ws_.text(true);
  ws_.write(net::buffer(text));
}

bool WsClient::try_send_raw(const std::string& text) {
  beast::error_code ec;
  ws_.text(true);
  ws_.write(net::buffer(text), ec);
  return !ec;
}

void WsClient::close() {
  if (closed_) return;
  beast::error_code ec;
  ws_.close(websocket::close_code::normal, ec);  // reads until the server's close frame
  closed_ = true;
  close_code_ = websocket::close_code::normal;
}

std::optional<json> WsClient::recv(std::chrono::milliseconds timeout) {
  if (closed_) return std::nullopt;
  bool done = false;
  beast::error_code ec;
  ws_.async_read(buffer_, [&](beast::error_code e, std::size_t) {
    ec = e;
    done = true;
  });
  ioc_.restart();
  ioc_.run_for(timeout);
  if (!done) {
    beast::get_lowest_layer(ws_).socket().cancel();
    ioc_.restart();
    ioc_.run();
    closed_ = true;
    close_code_ = -1;
    return std::nullopt;
  }
  if (ec) {
    closed_ = true;
    // A close frame was received (maybe the answer to it could not be sent), or the socket failed.
    close_code_ = ws_.reason().code ? static_cast<int>(ws_.reason().code) : -2;
    return std::nullopt;
  }
  auto j = json::parse(beast::buffers_to_string(buffer_.data()), nullptr, false);
  buffer_.consume(buffer_.size());
  return j;
}

std::optional<json> WsClient::recv_type(const std::string& type, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    auto j = recv(std::max(left, std::chrono::milliseconds(1)));
    if (!j) return std::nullopt;
    if (j->value("type", "") == type) return j;
  }
  return std::nullopt;
}

std::optional<json> next_health(WsClient& ws, const std::string& conversation, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    auto f = ws.recv(std::max(left, std::chrono::milliseconds(1)));
    if (!f) return std::nullopt;
    const auto type = f->value("type", "");
    if (type == "health" && f->value("conversation", "") == conversation) return f;
    if (type == "health_page")
      for (const auto& e : f->at("events"))
        if (e.value("conversation", "") == conversation) return e;
  }
  return std::nullopt;
}

HttpResult http_request(unsigned short port, const std::string& method, const std::string& target,
                        const std::string& bearer, const std::string& body) {
  namespace http = beast::http;
  net::io_context ioc;
  beast::tcp_stream stream(ioc);
  stream.connect(net::ip::tcp::endpoint{net::ip::make_address("127.0.0.1"), port});
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, "127.0.0.1");
  if (!bearer.empty()) req.set(http::field::authorization, "Bearer " + bearer);
  req.body() = body;
  req.prepare_payload();
  // A body the server refuses (413) may be cut short by its close: the answer is still there to read.
  beast::error_code write_ec;
  http::write(stream, req, write_ec);
  beast::flat_buffer buf;
  http::response<http::string_body> res;
  http::read(stream, buf, res);
  beast::error_code ec;
  stream.socket().shutdown(net::ip::tcp::socket::shutdown_both, ec);
  HttpResult out{static_cast<int>(res.result_int()), res.body(), {}};
  for (const auto& f : res) out.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
  return out;
}

std::string HttpResult::header(const std::string& name) const {
  for (const auto& [k, v] : headers)
    if (beast::iequals(k, name)) return v;
  return {};
}

std::string raw_exchange(unsigned short port, const std::string& bytes, std::chrono::milliseconds quiet) {
  net::io_context ioc;
  net::ip::tcp::socket sock(ioc);
  sock.connect({net::ip::make_address("127.0.0.1"), port});
  beast::error_code ec;
  net::write(sock, net::buffer(bytes), ec);
  std::string got;
  const int fd = sock.native_handle();
  for (;;) {
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(quiet.count())) <= 0) break;
    char buf[65536];
    const auto n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0) break;
    got.append(buf, static_cast<std::size_t>(n));
  }
  return got;
}

bool alive(unsigned short port) {
  try {
    return http_request(port, "GET", "/healthz").status == 200;
  } catch (const std::exception&) {
    return false;
  }
}

int ws_handshake_status(unsigned short port, const std::string& target, std::string* body) {
  net::io_context ioc;
  websocket::stream<beast::tcp_stream> ws(ioc);
  beast::get_lowest_layer(ws).connect(net::ip::tcp::endpoint{net::ip::make_address("127.0.0.1"), port});
  websocket::response_type res;
  beast::error_code ec;
  ws.handshake(res, "127.0.0.1", target, ec);
  if (body) *body = res.body();
  return static_cast<int>(res.result_int());
}

}  // namespace tact::test
