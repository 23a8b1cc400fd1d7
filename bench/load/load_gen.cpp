// bench_load: many conversations (a customer and an agent connection each) driven in a closed
// loop, first against a bare Beast WebSocket echo server, then against a real `tact serve` it
// starts itself (temp data dir, loopback only). Reports messages/s, p50/p99 latency from a
// customer's send to the agent's coach event (echo: to the echo), the ratio, and the server's
// memory per open conversation. Then latency at a paced load: a fresh `tact serve`, the same
// number of conversations, customers sending at a quarter and at half the measured maximum
// (open loop, so the latency is the server's, not the queue a closed loop builds), with the
// server's CPU per message. `--max N` runs only the paced phases, at a quarter and half of N: the
// way to compare two builds (`--tact PATH`) at the same load on a noisy machine.
// Both closed-loop phases print the server's and the generator's CPU per message. They share the
// machine's cores, so the CPU figures bound the throughputs: a coached message makes the server
// read one frame and send four in two writes (echo: one and one), and the generator read them.
// `--nodes N` runs cluster_phases.hpp instead: SQLite, PostgreSQL, and N nodes with Redis.
// Bounded: at most 5000 conversations and 60 s per phase.
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <sstream>
#include <iostream>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cluster_phases.hpp"
#include "echo_server.hpp"
#include "auth/jwt.hpp"
#include "obs/process_memory.hpp"
#include "tact_process.hpp"
#include "traffic.hpp"

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

using tact::bench::cpu_seconds;

namespace {

const std::string kSecret = "bench-load-secret-0123456789abcdef";
const char* kTexts[] = {"My order #4411 still has not arrived and nobody answers, this is ridiculous",
                        "I see your order #4411 has not arrived. I am so sorry for the trouble, I will fix this myself."};

struct Stats {
  std::uint64_t messages = 0;
  std::vector<double> latency_us;
  bool measuring = false;
};

class Side : public std::enable_shared_from_this<Side> {
 public:
  // Frames are not parsed (see field_of): the generator shares the machine's cores with the
  // server, and a coach event is a few KiB of JSON.
  using OnFrame = std::function<void(Side&, std::string_view)>;
  Side(net::io_context& ioc, OnFrame on) : ws_(ioc), on_(std::move(on)) {}
  void connect(unsigned short port, const std::string& target, std::function<void()> ready) {
    beast::get_lowest_layer(ws_).connect(tcp::endpoint{net::ip::make_address("127.0.0.1"), port});
    ws_.handshake("127.0.0.1", target);
    ready();
    do_read();
  }
  void send(std::string s) {
    out_ = std::move(s);
    ws_.async_write(net::buffer(out_), [self = shared_from_this()](beast::error_code, std::size_t) {});
  }
  std::string conversation;
  Clock::time_point sent_at;
  // Unique per connection: the server acknowledges a repeated client_id without storing it.
  std::string client_id() { return "m" + std::to_string(++sent_); }

 private:
  void do_read() {
    ws_.async_read(buf_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return;
      const auto data = self->buf_.data();  // a flat_buffer is one contiguous block
      self->on_(*self, std::string_view(static_cast<const char*>(data.data()), data.size()));
      self->buf_.consume(self->buf_.size());
      self->do_read();
    });
  }
  websocket::stream<beast::tcp_stream> ws_;
  beast::flat_buffer buf_;
  std::string out_;
  OnFrame on_;
  std::uint64_t sent_ = 0;
};

// The value of a top-level string field, without parsing: the first `"name":"` and up to the next
// quote. Good for the fields read here ("type", "role", "conversation"), whose values need no
// escaping and which the server writes before any text that could contain them.
std::string_view field_of(std::string_view frame, std::string_view name) {
  std::string key;
  key.reserve(name.size() + 4);
  key.append("\"").append(name).append("\":\"");
  const auto at = frame.find(key);
  if (at == std::string_view::npos) return {};
  const auto from = at + key.size();
  const auto to = frame.find('"', from);
  return to == std::string_view::npos ? std::string_view{} : frame.substr(from, to - from);
}

// A client's message frame; the texts and ids here need no JSON escaping.
std::string message_frame(std::string_view conversation, const char* text, const std::string& client_id) {
  std::string out = "{\"type\":\"message\",";
  if (!conversation.empty()) out.append("\"conversation\":\"").append(conversation).append("\",");
  out.append("\"text\":\"").append(text).append("\",\"client_id\":\"").append(client_id).append("\"}");
  return out;
}

// CPU seconds of the calling thread: the generator's own, apart from the echo server's threads.
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

std::string token(tact::gateway::UserRole role, const std::string& sub) {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  return tact::gateway::sign_token({role, sub, sub, now + 3600}, kSecret);
}

double pct(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

// `server_cpu` gives the CPU seconds the server has used so far: the phase prints its CPU per
// message beside the generator's.
void run_phase(net::io_context& ioc, Stats& stats, int seconds, const char* name, const std::function<double()>& server_cpu) {
  ioc.run_for(std::chrono::milliseconds(500));  // warm up
  stats.measuring = true;
  const auto start = Clock::now();
  const double cpu0 = thread_cpu_seconds();
  const double server0 = server_cpu();
  std::uint64_t last = 0;
  for (int s = 0; s < seconds; ++s) {
    ioc.run_for(std::chrono::seconds(1));
    std::fprintf(stderr, "  %s: %ds, %llu msgs/s\n", name, s + 1, static_cast<unsigned long long>(stats.messages - last));
    last = stats.messages;
  }
  stats.measuring = false;
  const double secs = std::chrono::duration<double>(Clock::now() - start).count();
  const double cpu = thread_cpu_seconds() - cpu0;
  const double server = server_cpu() - server0;
  const auto per_message = [&](double s) { return stats.messages > 0 ? 1e6 * s / static_cast<double>(stats.messages) : 0.0; };
  std::printf("%-6s %10.0f msgs/s   p50 %7.0f us   p99 %7.0f us   (%llu msgs; CPU per message: server %.1f us, generator %.1f us)\n",
              name, static_cast<double>(stats.messages) / secs, pct(stats.latency_us, 0.5), pct(stats.latency_us, 0.99),
              static_cast<unsigned long long>(stats.messages), per_message(server), per_message(cpu));
}

void record(Stats& st, Side& s) {
  if (!st.measuring) return;
  ++st.messages;
  st.latency_us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - s.sent_at).count());
}

// Echo: the customer sends and waits for its echo, then the agent does; repeat.
double echo_phase(int conversations, int seconds) {
  tact::bench::EchoServer server(2);
  net::io_context ioc;
  std::vector<std::shared_ptr<Side>> keep;
  Stats stats;
  for (int i = 0; i < conversations; ++i) {
    auto pair = std::make_shared<std::pair<Side*, Side*>>();  // customer, agent
    auto customer = std::make_shared<Side>(ioc, [&stats, pair](Side& c, std::string_view) {
      record(stats, c);
      pair->second->sent_at = Clock::now();
      pair->second->send(message_frame("", kTexts[1], pair->second->client_id()));
    });
    auto agent = std::make_shared<Side>(ioc, [&stats, pair](Side& a, std::string_view) {
      record(stats, a);
      pair->first->sent_at = Clock::now();
      pair->first->send(message_frame("", kTexts[0], pair->first->client_id()));
    });
    *pair = {customer.get(), agent.get()};
    agent->connect(server.port(), "/", [] {});
    customer->connect(server.port(), "/", [] {});
    customer->sent_at = Clock::now();
    customer->send(message_frame("", kTexts[0], customer->client_id()));
    keep.push_back(agent);
    keep.push_back(customer);
  }
  // The echo server's threads are this process's others.
  run_phase(ioc, stats, seconds, "echo", [] { return cpu_seconds(getpid()) - thread_cpu_seconds(); });
  return static_cast<double>(stats.messages) / seconds;
}

void stop_tact(int pid, const std::filesystem::path& dir) {
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  std::filesystem::remove_all(dir);
}

// Customers send at `rate` coached messages/s in all (agents answer each at once); latency from a
// customer's send to the agent's coach event.
void paced_phases(const std::string& bin, int conversations, int seconds, double max_rate) {
  const auto dir = std::filesystem::temp_directory_path() / ("tact-paced-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const auto server = tact::bench::spawn_tact(bin, dir.string(), kSecret);
  const int pid = server.pid;
  const unsigned short port = server.port;
  if (pid < 0) return;
  net::io_context ioc;
  tact::bench::Traffic traffic(ioc, {port, kSecret, conversations, "paced", 0, {}});
  if (!traffic.connect()) {
    std::fprintf(stderr, "bench_load: paced: cannot connect %d conversations\n", conversations);
    return stop_tact(pid, dir);
  }
  for (const double share : {0.25, 0.5}) {
    const double rate = max_rate * share;
    traffic.set_rate(rate);
    traffic.start();
    ioc.run_for(std::chrono::seconds(1));
    traffic.take_latencies();
    const auto before = traffic.coached();
    const double cpu0 = cpu_seconds(pid);
    const auto start = Clock::now();
    ioc.run_for(std::chrono::seconds(seconds));
    const double secs = std::chrono::duration<double>(Clock::now() - start).count();
    const double cpu = cpu_seconds(pid) - cpu0;
    const auto coached = traffic.coached() - before;
    auto lat = traffic.take_latencies();
    traffic.stop();
    ioc.run_for(std::chrono::milliseconds(500));  // let the last answers in
    std::printf("paced  %10.0f msgs/s   p50 %7.0f us   p99 %7.0f us   (offered %.0f/s = %.0f%% of max, %d open conversations; "
                "server CPU %.1f us per message)\n",
                static_cast<double>(coached) / secs, tact::bench::percentile(lat, 0.5), tact::bench::percentile(lat, 0.99), rate,
                share * 100, conversations, coached > 0 ? 1e6 * cpu / static_cast<double>(coached) : 0.0);
  }
  traffic.close();
  ioc.run_for(std::chrono::milliseconds(200));
  stop_tact(pid, dir);
}

}  // namespace

int main(int argc, char** argv) {
  std::string bin = TACT_BIN;
  int conversations = 1000, seconds = 10;
  double given_max = 0;
  int nodes = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--tact") bin = argv[i + 1];
    else if (a == "--conversations") conversations = std::clamp(std::atoi(argv[i + 1]), 1, 5000);
    else if (a == "--seconds") seconds = std::clamp(std::atoi(argv[i + 1]), 1, 60);
    else if (a == "--max") given_max = std::max(0.0, std::atof(argv[i + 1]));
    else if (a == "--nodes") nodes = std::clamp(std::atoi(argv[i + 1]), 1, 8);
  }
  if (nodes > 0) {  // one node with SQLite, one with PostgreSQL, N with PostgreSQL and Redis
    tact::bench::cluster_phases({bin, kSecret, nodes, conversations, seconds, 0.25});
    return 0;
  }
  if (given_max > 0) {  // to compare two builds at the same load: the paced phases only
    std::printf("bench_load: paced phases only, at 25%% and 50%% of --max %.0f\n", given_max);
    paced_phases(bin, conversations, seconds, given_max);
    return 0;
  }
  std::printf("bench_load: %d conversations (2 connections each), %d s per phase, loopback\n", conversations, seconds);
  std::vector<std::shared_ptr<Side>> keep;
  const double echo = echo_phase(conversations, seconds);

  const auto dir = std::filesystem::temp_directory_path() / ("tact-load-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const auto server = tact::bench::spawn_tact(bin, dir.string(), kSecret);
  const int pid = server.pid;
  const unsigned short port = server.port;
  if (pid < 0) {
    std::fprintf(stderr, "bench_load: cannot start %s serve\n", bin.c_str());
    return 1;
  }
  double tact_rate = 0;
  {
    net::io_context ioc;
    Stats stats;
    const long rss0 = tact::gateway::rss_kib(pid);
    for (int i = 0; i < conversations; ++i) {
      auto agent = std::make_shared<Side>(ioc, [&stats](Side& a, std::string_view f) {
        const auto type = field_of(f, "type");
        if (type == "assigned") a.conversation = std::string(field_of(f, "conversation"));
        if (type == "coach" && field_of(f, "role") == "customer") {
          record(stats, a);
          a.sent_at = Clock::now();
          a.send(message_frame(a.conversation, kTexts[1], a.client_id()));
        }
      });
      auto customer = std::make_shared<Side>(ioc, [&stats, agent](Side& c, std::string_view f) {
        if (field_of(f, "type") == "message" && field_of(f, "role") == "agent") {
          if (stats.measuring) ++stats.messages;  // the agent's message, coached too
          agent->sent_at = c.sent_at = Clock::now();
          c.send(message_frame("", kTexts[0], c.client_id()));
        }
      });
      agent->connect(port, "/ws?token=" + token(tact::gateway::UserRole::agent, "a" + std::to_string(i)), [] {});
      customer->connect(port, "/ws?token=" + token(tact::gateway::UserRole::customer, "u" + std::to_string(i)), [] {});
      customer->sent_at = agent->sent_at = Clock::now();
      customer->send(message_frame("", kTexts[0], customer->client_id()));
      keep.push_back(agent);
      keep.push_back(customer);
    }
    ioc.run_for(std::chrono::seconds(1));
    const long rss1 = tact::gateway::rss_kib(pid);
    // The agent's latency clock starts when the customer sends: keep it in the agent side.
    run_phase(ioc, stats, seconds, "tact", [pid] { return cpu_seconds(pid); });
    const double tact = static_cast<double>(stats.messages) / seconds;
    tact_rate = tact;
    std::printf("ratio  tact/echo = %.2f\n", echo > 0 ? tact / echo : 0.0);
    std::printf("memory %.1f KiB per open conversation (server RSS %ld -> %ld KiB, incl. its 2 connections)\n",
                static_cast<double>(rss1 - rss0) / conversations, rss0, rss1);
    keep.clear();
  }
  stop_tact(pid, dir);
  paced_phases(bin, conversations, seconds, tact_rate);
  return 0;
}
