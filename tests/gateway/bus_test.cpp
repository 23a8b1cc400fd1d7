// The Redis bus (gateway/bus/) against a redis-server this test starts: leases, channels, agents.
#include <catch2/catch.hpp>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "bus/bus.hpp"
#include "obs/log.hpp"
#include "services.hpp"

using namespace tact::gateway;

namespace {

struct Inbox {
  std::mutex m;
  std::condition_variable cv;
  std::vector<std::pair<std::string, std::string>> got;
  std::vector<std::string> lost;
  BusHandlers handlers() {
    return {[this](const std::string& c, std::string p) {
              std::lock_guard l(m);
              got.emplace_back(c, std::move(p));
              cv.notify_all();
            },
            [this](const std::string& c) {
              std::lock_guard l(m);
              lost.push_back(c);
              cv.notify_all();
            },
            [](bool) {}};
  }
  // Until `pred` holds (checked at each message and every 20 ms), at most 10 s.
  template <class F>
  bool wait(F pred) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    std::unique_lock l(m);
    while (!pred()) {
      if (std::chrono::steady_clock::now() > until) return false;
      l.unlock();
      const bool done = pred();  // some predicates call the bus, which may take this lock
      l.lock();
      if (done) return true;
      cv.wait_for(l, std::chrono::milliseconds(20));
    }
    return true;
  }
};

std::unique_ptr<Bus> open(const tact::test::RedisServer& redis, const std::string& node, int lease_ms = 600) {
  std::string error;
  auto bus = open_redis_bus(redis.url(), {lease_ms, node}, error);
  INFO(error);
  REQUIRE(bus);
  return bus;
}

}  // namespace

TEST_CASE("bus: one node holds a lease; another takes it over only from a node that is gone") {
  set_logging(false);
  tact::test::RedisServer redis;
  Inbox ia, ib;  // before the buses: their threads write here until they stop
  auto a = open(redis, "a"), b = open(redis, "b");
  a->start(ia.handlers());
  b->start(ib.handlers());
  CHECK(a->claim("c1") == "a");
  CHECK(b->claim("c1") == "a");           // held
  CHECK(b->take_over("c1", "x") == "a");  // not from the node that holds it
  // Renewed: still a's well past the lease.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  CHECK(b->claim("c1") == "a");
  // a is gone (stops renewing): b takes it over, and a would hear it had lost it.
  a->stop();
  CHECK(b->take_over("c1", "a") == "b");
  CHECK(b->claim("c1") == "b");
}

TEST_CASE("bus: a node learns when another took its lease; publish says whether anyone listened") {
  set_logging(false);
  tact::test::RedisServer redis;
  Inbox ia, ib;  // before the buses: their threads write here until they stop
  auto a = open(redis, "a"), b = open(redis, "b");
  b->subscribe("tact:node:b");
  a->start(ia.handlers());
  b->start(ib.handlers());
  REQUIRE(a->claim("c1") == "a");
  REQUIRE(b->take_over("c1", "a") == "b");  // as if a had died
  REQUIRE(ia.wait([&] { return !ia.lost.empty(); }));
  CHECK(ia.lost[0] == "c1");

  REQUIRE(ib.wait([&] { return a->publish("tact:node:b", "hello") == Sent::delivered; }));
  CHECK(a->publish("tact:node:nobody", "hello") == Sent::no_receiver);
  REQUIRE(ib.wait([&] { return !ib.got.empty(); }));
  CHECK(ib.got[0] == std::make_pair(std::string("tact:node:b"), std::string("hello")));
  a->post("tact:node:b", "one");
  a->post("tact:node:b", "two");
  REQUIRE(ib.wait([&] { return ib.got.size() >= 3; }));
  CHECK(ib.got[1].second == "one");
  CHECK(ib.got[2].second == "two");
}

TEST_CASE("bus: agents connected to any node; Redis down and back: the node says so and takes its leases again") {
  set_logging(false);
  tact::test::RedisServer redis;
  Inbox ia, ib;  // before the buses: their threads write here until they stop
  std::mutex m;
  std::vector<bool> states;
  auto a = open(redis, "a"), b = open(redis, "b");
  auto h = ia.handlers();
  h.state = [&](bool up) {
    std::lock_guard l(m);
    states.push_back(up);
  };
  a->start(h);
  b->start(ib.handlers());
  a->agent_connections("alice", +1);
  b->agent_connections("bob", +1);
  CHECK(a->agents_online() == std::vector<std::string>{"alice", "bob"});
  b->agent_connections("bob", -1);
  CHECK(a->agents_online() == std::vector<std::string>{"alice"});
  REQUIRE(a->claim("c1") == "a");

  redis.kill9();
  REQUIRE(ia.wait([&] { return !a->up(); }));
  CHECK(a->claim("c2").empty());  // down: no answer, never a guess
  CHECK(a->publish("tact:node:b", "x") == Sent::bus_down);
  redis.start();  // empty: every lease is gone
  REQUIRE(ia.wait([&] { return a->up(); }));
  REQUIRE(ia.wait([&] { return b->claim("c1") == "a"; }));  // a took it again
  std::lock_guard l(m);
  CHECK(states == std::vector<bool>{false, true});
}
