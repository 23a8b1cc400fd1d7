#pragma once
// Thin RAII over hiredis: a connection to one Redis, commands with binary-safe arguments.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <hiredis/hiredis.h>

namespace tact::gateway::redis {

struct Address {
  std::string host;
  int port = 6379;
  std::string password;
};
// redis://[:PASSWORD@]HOST[:PORT][/DB]; false with what is wrong in `error`.
bool parse_url(const std::string& url, Address& out, std::string& error);

struct ReplyFree {
  void operator()(redisReply* r) const { freeReplyObject(r); }
};
using Reply = std::unique_ptr<redisReply, ReplyFree>;

class Connection {
 public:
  ~Connection() { close(); }
  bool open(const Address& at, int timeout_ms, std::string& error);
  void close();
  bool ok() const { return c_ && c_->err == 0; }
  std::string error() const { return c_ ? c_->errstr : "not connected"; }
  // One command; null on a lost connection (then ok() is false).
  Reply command(const std::vector<std::string_view>& args);
  // Queued, sent with the next read.
  bool append(const std::vector<std::string_view>& args);
  Reply read();
  redisContext* handle() const { return c_; }

 private:
  redisContext* c_ = nullptr;
};

}  // namespace tact::gateway::redis
