// The Bus on Redis (hiredis), with four threads of its own, each with its connection:
//   - commands (claims, forwards that need to know whether the owner listened), under a mutex;
//   - the publisher, which sends the fan-out queued by post() as pipelined PUBLISHes;
//   - the subscriber, which listens to this node's channels (poll on the socket and on an eventfd
//     that wakes it to SUBSCRIBE or UNSUBSCRIBE);
//   - the keeper, which every lease/3 renews this node's leases in one script call, writes the
//     node's agents (a hash that lapses with the node), and notices Redis going down and back.
// Keys: tact:own:<conversation> = node (PX lease), tact:agents:<node> = {sub: connections},
// tact:nodes = the set of nodes that ever wrote agents (pruned as their hashes lapse).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "bus/bus.hpp"
#include "bus/redis_conn.hpp"
#include "obs/contained.hpp"
#include "obs/log.hpp"

namespace tact::gateway {
namespace {

using redis::Reply;

constexpr const char* kClaim = R"lua(
if redis.call('set', KEYS[1], ARGV[1], 'nx', 'px', ARGV[2]) then return ARGV[1] end
return redis.call('get', KEYS[1]) or '')lua";

constexpr const char* kTakeOver = R"lua(
local v = redis.call('get', KEYS[1])
if not v or v == ARGV[2] then redis.call('set', KEYS[1], ARGV[1], 'px', ARGV[3]) return ARGV[1] end
return v)lua";

// Every lease of this node: renewed, or taken again when Redis lost it (a restart); the ones
// another node holds now come back.
constexpr const char* kRenew = R"lua(
local lost = {}
for i, k in ipairs(KEYS) do
  local v = redis.call('get', k)
  if v == ARGV[1] then redis.call('pexpire', k, ARGV[2])
  elseif not v then redis.call('set', k, ARGV[1], 'px', ARGV[2])
  else lost[#lost + 1] = k end
end
return lost)lua";

constexpr const char* kRelease = R"lua(
if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('del', KEYS[1]) end
return 0)lua";

constexpr const char* kAgents = R"lua(
local out = {}
for _, n in ipairs(redis.call('smembers', KEYS[1])) do
  local h = 'tact:agents:' .. n
  if redis.call('exists', h) == 0 then redis.call('srem', KEYS[1], n)
  else for _, a in ipairs(redis.call('hkeys', h)) do if a ~= '-' then out[#out + 1] = a end end end
end
return out)lua";

std::string own_key(const std::string& conversation) { return "tact:own:" + conversation; }

std::string generated_node_id() {
  char host[64] = {};
  gethostname(host, sizeof host - 1);
  std::random_device rd;
  const auto r = (static_cast<std::uint64_t>(rd()) << 32) | rd();
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(r));
  return std::string(host) + "-" + std::to_string(getpid()) + "-" + std::string(hex, 8);
}

class RedisBus final : public Bus {
 public:
  RedisBus(redis::Address at, BusOptions o) : at_(std::move(at)), options_(std::move(o)) {
    if (options_.node.empty()) options_.node = generated_node_id();
    lease_ = std::to_string(options_.lease_ms);
  }
  ~RedisBus() override { stop(); }

  bool open(std::string& error) {
    if (!cmd_.open(at_, 2000, error)) return false;
    auto pong = cmd_.command({"PING"});
    if (!pong || pong->type == REDIS_REPLY_ERROR) {
      error = "Redis did not answer PING: " + (pong ? std::string(pong->str) : cmd_.error());
      return false;
    }
    wake_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    return wake_ >= 0;
  }

  const std::string& node() const override { return options_.node; }
  bool up() const override { return up_; }

  void start(BusHandlers h) override {
    handlers_ = std::move(h);
    up_ = true;
    running_ = true;
    subscriber_ = std::thread([this] { listen(); });
    publisher_ = std::thread([this] { publish_posted(); });
    keeper_ = std::thread([this] { keep(); });
  }

  void stop() override {
    if (!running_.exchange(false)) return;
    {
      std::lock_guard a(post_mutex_), b(keeper_mutex_);  // so that neither misses the wakeup
    }
    post_cv_.notify_all();
    keeper_cv_.notify_all();
    wake();
    for (auto* t : {&subscriber_, &publisher_, &keeper_})
      if (t->joinable()) t->join();
    if (wake_ >= 0) ::close(wake_);
    wake_ = -1;
  }

  std::string claim(const std::string& conversation) override {
    auto r = command({"EVAL", kClaim, "1", own_key(conversation), node(), lease_});
    if (!r || r->type != REDIS_REPLY_STRING) return "";
    std::string holder(r->str, r->len);
    if (holder == node()) own(conversation, true);
    return holder;
  }

  std::string take_over(const std::string& conversation, const std::string& from) override {
    auto r = command({"EVAL", kTakeOver, "1", own_key(conversation), node(), from, lease_});
    if (!r || r->type != REDIS_REPLY_STRING) return "";
    std::string holder(r->str, r->len);
    if (holder == node()) own(conversation, true);
    return holder;
  }

  void hold(const std::string& conversation) override {
    own(conversation, true);
    command({"SET", own_key(conversation), node(), "NX", "PX", lease_});
  }

  void release(const std::string& conversation) override {
    own(conversation, false);
    command({"EVAL", kRelease, "1", own_key(conversation), node()});
  }

  Sent publish(const std::string& channel, const std::string& payload) override {
    auto r = command({"PUBLISH", channel, payload});
    if (!r || r->type != REDIS_REPLY_INTEGER) return Sent::bus_down;
    return r->integer > 0 ? Sent::delivered : Sent::no_receiver;
  }

  void post(std::string channel, std::string payload) override {
    if (!up_) return;
    bool wake = false;
    {
      std::lock_guard lock(post_mutex_);
      posted_.emplace_back(std::move(channel), std::move(payload));
      wake = posted_.size() == 1;
    }
    if (wake) post_cv_.notify_one();
  }

  void subscribe(const std::string& channel) override { change(channel, true); }
  void unsubscribe(const std::string& channel) override { change(channel, false); }

  // Written at once (an agent who just connected counts for the next conversation on any node);
  // the keeper writes the whole hash again at each renewal, so a lost write heals.
  void agent_connections(const std::string& sub, int delta) override {
    int now = 0;
    {
      std::lock_guard lock(agents_mutex_);
      auto& n = agents_[sub];
      n += delta;
      now = n;
      if (n <= 0) agents_.erase(sub);
    }
    const std::string hash = "tact:agents:" + node();
    if (now > 0) {
      command({"HSET", hash, sub, std::to_string(now)});
      command({"SADD", "tact:nodes", node()});
    } else {
      command({"HDEL", hash, sub});
    }
  }

  std::vector<std::string> agents_online() override {
    std::vector<std::string> out;
    auto r = command({"EVAL", kAgents, "1", "tact:nodes"});
    if (!r || r->type != REDIS_REPLY_ARRAY) {  // down: the agents here
      std::lock_guard lock(agents_mutex_);
      for (const auto& [sub, n] : agents_) out.push_back(sub);
      return out;
    }
    for (std::size_t i = 0; i < r->elements; ++i) out.emplace_back(r->element[i]->str, r->element[i]->len);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

 private:
  Reply command(const std::vector<std::string_view>& args) {
    std::lock_guard lock(cmd_mutex_);
    if (!cmd_.ok()) {
      // Down: try again at most every 250 ms, so that callers fail fast meanwhile.
      const auto now = std::chrono::steady_clock::now();
      if (now < next_connect_) return nullptr;
      next_connect_ = now + std::chrono::milliseconds(250);
      std::string error;
      if (!cmd_.open(at_, 500, error)) return nullptr;
    }
    auto r = cmd_.command(args);
    if (!r) {
      // A connection from before a Redis restart fails on its first use: once more on a new one
      // (a restarted Redis has run nothing of this command).
      std::string error;
      if (cmd_.open(at_, 500, error)) r = cmd_.command(args);
    }
    if (r && r->type == REDIS_REPLY_ERROR) log_event("bus_error", {{"command", std::string(args[0])}, {"message", std::string(r->str, r->len)}});
    return r;
  }

  void own(const std::string& conversation, bool yes) {
    std::lock_guard lock(owned_mutex_);
    if (yes) owned_.insert(conversation);
    else owned_.erase(conversation);
  }

  void change(const std::string& channel, bool on) {
    {
      std::lock_guard lock(sub_mutex_);
      if (on) channels_.insert(channel);
      else channels_.erase(channel);
      changes_.emplace_back(channel, on);
    }
    wake();
  }

  void wake() {
    if (wake_ < 0) return;
    const std::uint64_t one = 1;
    [[maybe_unused]] auto n = ::write(wake_, &one, sizeof one);
  }

  void set_up(bool up) {
    if (up_.exchange(up) == up) return;
    log_event(up ? "bus_up" : "bus_down", {{"node", node()}, {"redis", at_.host + ":" + std::to_string(at_.port)}});
    if (handlers_.state) contained("bus_state", [&] { handlers_.state(up); });
  }

  // The subscriber's thread.
  void listen() {
    redis::Connection sub;
    while (running_) {
      if (!sub.ok()) {
        std::string error;
        if (!sub.open(at_, 500, error)) {
          std::this_thread::sleep_for(std::chrono::milliseconds(200));
          continue;
        }
        redisSetTimeout(sub.handle(), timeval{0, 0});
        std::lock_guard lock(sub_mutex_);
        changes_.clear();
        for (const auto& c : channels_) sub.append({"SUBSCRIBE", c});
      }
      {
        std::lock_guard lock(sub_mutex_);
        for (const auto& [c, on] : changes_) sub.append({on ? "SUBSCRIBE" : "UNSUBSCRIBE", c});
        changes_.clear();
      }
      int done = 0;
      while (!done && sub.ok())
        if (redisBufferWrite(sub.handle(), &done) != REDIS_OK) break;
      pollfd p[2] = {{sub.handle()->fd, POLLIN, 0}, {wake_, POLLIN, 0}};
      if (poll(p, 2, 500) < 0) continue;
      if (p[1].revents & POLLIN) {
        std::uint64_t n;
        [[maybe_unused]] auto r = ::read(wake_, &n, sizeof n);
      }
      if (!(p[0].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      if (redisBufferRead(sub.handle()) != REDIS_OK) {
        sub.close();
        continue;
      }
      for (;;) {
        void* raw = nullptr;
        if (redisGetReplyFromReader(sub.handle(), &raw) != REDIS_OK) {
          sub.close();
          break;
        }
        if (!raw) break;
        Reply r(static_cast<redisReply*>(raw));
        if (r->type != REDIS_REPLY_ARRAY || r->elements != 3 || r->element[0]->type != REDIS_REPLY_STRING) continue;
        if (std::string_view(r->element[0]->str, r->element[0]->len) != "message") continue;
        std::string channel(r->element[1]->str, r->element[1]->len);
        std::string payload(r->element[2]->str, r->element[2]->len);
        contained("bus_message", [&] { handlers_.message(channel, std::move(payload)); });
      }
    }
  }

  // The publisher's thread.
  void publish_posted() {
    redis::Connection pub;
    std::string error;
    while (running_) {
      std::deque<std::pair<std::string, std::string>> batch;
      {
        std::unique_lock lock(post_mutex_);
        post_cv_.wait(lock, [&] { return !running_ || !posted_.empty(); });
        batch.swap(posted_);
      }
      // A connection from before a Redis restart fails at once, before any reply: the batch is
      // sent again on a new one. Once a reply came, the rest is dropped (never published twice).
      auto failed_before_reply = [&] {
        std::size_t sent = 0;
        for (const auto& [c, p] : batch) sent += pub.append({"PUBLISH", c, p}) ? 1 : 0;
        for (std::size_t i = 0; i < sent; ++i)
          if (!pub.read()) return i == 0;
        return false;
      };
      if ((!pub.ok() && !pub.open(at_, 500, error)) ||
          (failed_before_reply() && (!pub.open(at_, 500, error) || failed_before_reply())))
        dropped_ += batch.size();
    }
  }

  // The keeper's thread.
  void keep() {
    while (running_) {
      const bool ok = renew();
      set_up(ok);
      std::unique_lock lock(keeper_mutex_);
      keeper_cv_.wait_for(lock, std::chrono::milliseconds(ok ? options_.lease_ms / 3 : 250), [&] { return !running_; });
    }
  }

  bool renew() {
    std::vector<std::string> keys;
    {
      std::lock_guard lock(owned_mutex_);
      for (const auto& c : owned_) keys.push_back(own_key(c));
    }
    std::vector<std::string_view> args{"EVAL", kRenew};
    const auto count = std::to_string(keys.size());
    args.push_back(count);
    for (const auto& k : keys) args.push_back(k);
    args.push_back(node());
    args.push_back(lease_);
    auto r = command(args);
    if (!r || r->type != REDIS_REPLY_ARRAY) return false;
    for (std::size_t i = 0; i < r->elements; ++i) {
      const std::string conversation = std::string(r->element[i]->str, r->element[i]->len).substr(std::string("tact:own:").size());
      own(conversation, false);
      log_event("lease_lost", {{"conversation", conversation}, {"node", node()}});
      if (handlers_.lost) contained("bus_lost", [&] { handlers_.lost(conversation); });
    }
    // The agents here, as one hash that lapses with this node.
    std::map<std::string, int> agents;
    {
      std::lock_guard lock(agents_mutex_);
      agents = agents_;
    }
    const std::string hash = "tact:agents:" + node();
    std::vector<std::string> counts;
    for (const auto& [sub, n] : agents) counts.push_back(std::to_string(n));
    std::vector<std::string_view> hset{"HSET", hash, "-", "0"};  // "-": keeps the hash (and the node) alive without agents
    std::size_t i = 0;
    for (const auto& [sub, n] : agents) {
      hset.push_back(sub);
      hset.push_back(counts[i++]);
    }
    std::lock_guard lock(cmd_mutex_);
    if (!cmd_.ok()) return false;
    cmd_.append({"MULTI"});
    cmd_.append({"DEL", hash});
    cmd_.append(hset);
    cmd_.append({"PEXPIRE", hash, lease_});
    cmd_.append({"SADD", "tact:nodes", node()});
    cmd_.append({"EXEC"});
    bool ok = true;
    for (int k = 0; k < 6; ++k) ok = cmd_.read() != nullptr && ok;
    return ok;
  }

  redis::Address at_;
  BusOptions options_;
  std::string lease_;
  BusHandlers handlers_;
  std::atomic<bool> up_{false}, running_{false};

  std::mutex cmd_mutex_;
  redis::Connection cmd_;
  std::chrono::steady_clock::time_point next_connect_{};

  std::mutex owned_mutex_;
  std::set<std::string> owned_;

  std::mutex sub_mutex_;
  std::set<std::string> channels_;
  std::vector<std::pair<std::string, bool>> changes_;
  int wake_ = -1;

  std::mutex post_mutex_;
  std::condition_variable post_cv_;
  std::deque<std::pair<std::string, std::string>> posted_;
  std::atomic<std::uint64_t> dropped_{0};

  std::mutex agents_mutex_;
  std::map<std::string, int> agents_;

  std::mutex keeper_mutex_;
  std::condition_variable keeper_cv_;

  std::thread subscriber_, publisher_, keeper_;
};

}  // namespace

std::unique_ptr<Bus> open_redis_bus(const std::string& url, BusOptions options, std::string& error) {
  redis::Address at;
  if (!redis::parse_url(url, at, error)) return nullptr;
  auto bus = std::make_unique<RedisBus>(std::move(at), std::move(options));
  if (!bus->open(error)) return nullptr;
  return bus;
}

}  // namespace tact::gateway
