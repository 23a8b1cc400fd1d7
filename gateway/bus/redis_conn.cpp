#include "bus/redis_conn.hpp"

#include <sys/time.h>

namespace tact::gateway::redis {

bool parse_url(const std::string& url, Address& out, std::string& error) {
  const std::string scheme = "redis://";
  error = "--bus takes redis://HOST:PORT (or redis://:PASSWORD@HOST:PORT)";
  if (url.rfind(scheme, 0) != 0) return false;
  std::string rest = url.substr(scheme.size());
  if (auto slash = rest.find('/'); slash != std::string::npos) rest.resize(slash);
  if (auto at = rest.rfind('@'); at != std::string::npos) {
    auto userinfo = rest.substr(0, at);
    rest = rest.substr(at + 1);
    if (auto colon = userinfo.find(':'); colon != std::string::npos) out.password = userinfo.substr(colon + 1);
  }
  if (auto colon = rest.rfind(':'); colon != std::string::npos) {
    const auto port = rest.substr(colon + 1);
    if (port.empty() || port.size() > 5 || port.find_first_not_of("0123456789") != std::string::npos) return false;
    out.port = std::stoi(port);
    if (out.port < 1 || out.port > 65535) return false;
    rest.resize(colon);
  }
  if (rest.empty()) return false;
  out.host = rest;
  error.clear();
  return true;
}

bool Connection::open(const Address& at, int timeout_ms, std::string& error) {
  close();
  const timeval tv{timeout_ms / 1000, (timeout_ms % 1000) * 1000};
  c_ = redisConnectWithTimeout(at.host.c_str(), at.port, tv);
  if (!c_ || c_->err) {
    error = "cannot connect to Redis at " + at.host + ":" + std::to_string(at.port) + ": " + (c_ ? c_->errstr : "out of memory");
    close();
    return false;
  }
  redisSetTimeout(c_, tv);
  redisEnableKeepAlive(c_);
  if (!at.password.empty()) {
    auto r = command({"AUTH", at.password});
    if (!r || r->type == REDIS_REPLY_ERROR) {
      error = "Redis refused the password";
      close();
      return false;
    }
  }
  return true;
}

void Connection::close() {
  if (c_) redisFree(c_);
  c_ = nullptr;
}

namespace {
void to_argv(const std::vector<std::string_view>& args, std::vector<const char*>& argv, std::vector<size_t>& lens) {
  for (auto a : args) {
    argv.push_back(a.data());
    lens.push_back(a.size());
  }
}
}  // namespace

Reply Connection::command(const std::vector<std::string_view>& args) {
  if (!ok()) return nullptr;
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  to_argv(args, argv, lens);
  return Reply(static_cast<redisReply*>(redisCommandArgv(c_, static_cast<int>(argv.size()), argv.data(), lens.data())));
}

bool Connection::append(const std::vector<std::string_view>& args) {
  if (!ok()) return false;
  std::vector<const char*> argv;
  std::vector<size_t> lens;
  to_argv(args, argv, lens);
  return redisAppendCommandArgv(c_, static_cast<int>(argv.size()), argv.data(), lens.data()) == REDIS_OK;
}

Reply Connection::read() {
  if (!ok()) return nullptr;
  void* r = nullptr;
  if (redisGetReply(c_, &r) != REDIS_OK) return nullptr;
  return Reply(static_cast<redisReply*>(r));
}

}  // namespace tact::gateway::redis
