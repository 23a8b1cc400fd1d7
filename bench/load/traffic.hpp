#pragma once
// Customer + agent traffic against a running `tact serve`, for the soak, the crash test and the
// hostile-client tests. Everything runs on the caller's io_context (one thread): AsyncWs is one
// WebSocket client with a write queue; Traffic pairs a customer with an agent per conversation,
// paces the customers' messages and measures the latency from a customer's send to the agent's
// coach event for that message.
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

namespace tact::bench {

namespace beast = boost::beast;
namespace net = boost::asio;

class AsyncWs : public std::enable_shared_from_this<AsyncWs> {
 public:
  using OnFrame = std::function<void(const nlohmann::json&)>;
  using OnEnd = std::function<void(beast::error_code)>;
  explicit AsyncWs(net::io_context& ioc);

  // Connects to 127.0.0.1:port, upgrades at `target`; `ready` gets the handshake's result. After
  // it, every text frame goes to `on_frame` (parsed; a bad one as a discarded value) and the end
  // of the connection to `on_end`.
  void start(unsigned short port, std::string target, std::function<void(beast::error_code)> ready, OnFrame on_frame,
             OnEnd on_end = {});
  // Queued; frames go out one at a time. Ignored once the connection has ended.
  void send(std::string text);
  void close();  // closes the socket now
  // Frames are parsed only at the top level (nested objects and arrays are dropped): for load,
  // where the generator's own parsing would count in the latency it measures.
  void shallow(bool on) { shallow_ = on; }
  bool open() const { return open_; }
  std::size_t queued() const { return out_.size(); }

 private:
  void do_read();
  void do_write();
  void end(beast::error_code ec);

  beast::websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer in_;
  std::deque<std::string> out_;
  OnFrame on_frame_;
  OnEnd on_end_;
  bool open_ = false;
  bool ended_ = false;
  bool shallow_ = false;
};

// "<text> [tN]": the tag makes every message findable in a transcript.
std::string tagged(const std::string& text, std::uint64_t tag);
// The tag of a tagged text, 0 when there is none.
std::uint64_t tag_of(const std::string& text);

extern const std::vector<std::string> kCustomerTexts;
extern const std::vector<std::string> kAgentTexts;

std::string make_token(const std::string& secret, const std::string& role, const std::string& sub, long long ttl_s = 3600);
double percentile(std::vector<double> v, double p);

struct TrafficOptions {
  unsigned short port = 0;
  std::string secret;
  int conversations = 20;
  std::string prefix = "t";  // subs are <prefix>-c<i> and <prefix>-a<i>
  double rate = 0;           // coached messages per second (customer + agent); 0: as fast as they answer
  // More than one node (bench_load --nodes): conversation i's customer connects to ports[i % n] and
  // its agent to ports[(i + 1) % n], so that every message crosses between nodes. Empty: `port`.
  std::vector<unsigned short> ports;
};

class Traffic {
 public:
  Traffic(net::io_context& ioc, TrafficOptions o);
  // Connects every agent, then every customer; runs the io_context until all are connected (or
  // `timeout`). False when some could not connect.
  bool connect(std::chrono::milliseconds timeout = std::chrono::seconds(30));
  // Starts sending (call, then run the io_context).
  void start();
  void set_rate(double rate) { o_.rate = rate; }
  void stop();
  void close();  // stops and closes every connection
  // Latencies (microseconds) measured since the last call; clears them.
  std::vector<double> take_latencies();
  std::uint64_t coached() const { return coached_; }
  std::uint64_t errors() const { return errors_; }
  std::uint64_t disconnects() const { return disconnects_; }

 private:
  struct Pair {
    std::shared_ptr<AsyncWs> customer, agent;
    std::string conversation;
    bool waiting = false;  // the customer's message has not been answered yet
    int step = 0;
    std::chrono::steady_clock::time_point since;
  };
  void tick();
  void customer_send(Pair& p);
  unsigned short port_for(std::size_t conversation, std::size_t shift) const;

  net::io_context& ioc_;
  TrafficOptions o_;
  std::vector<Pair> pairs_;
  std::map<std::string, std::size_t> by_conversation_;
  std::map<std::uint64_t, std::chrono::steady_clock::time_point> sent_;  // tag -> when
  std::map<std::string, std::uint64_t> coach_for_;                       // message id -> tag
  std::vector<double> latencies_;
  std::uint64_t next_tag_ = 1, coached_ = 0, errors_ = 0, disconnects_ = 0;
  std::size_t cursor_ = 0;
  double credit_ = 0;
  bool running_ = false;
  net::steady_timer timer_;
  std::chrono::steady_clock::time_point last_tick_;
};

}  // namespace tact::bench
