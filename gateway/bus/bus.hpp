#pragma once
// What the nodes of a cluster (`tact serve --bus redis://…`) share besides the store: who owns
// each open conversation (a lease that lapses when its node dies), channels between nodes, and
// which agents are connected where. The relay (relay/cluster.cpp) gives the channels their
// meaning; the bus only carries text. Without --bus there is no Bus and nothing here runs.
// Threads: every call from any thread; the handlers run on the bus's own threads.
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace tact::gateway {

enum class Sent { delivered, no_receiver, bus_down };

struct BusHandlers {
  // A message on a channel this node listens to.
  std::function<void(const std::string& channel, std::string payload)> message;
  // A lease this node held is another node's now (or it could not be renewed in time).
  std::function<void(const std::string& conversation)> lost;
  // The bus went down (false) or came back (true); on coming back, every channel is listened to
  // again and every lease this node still holds is taken again.
  std::function<void(bool up)> state;
};

class Bus {
 public:
  virtual ~Bus() = default;
  virtual const std::string& node() const = 0;  // this node's id, unique in the cluster
  virtual bool up() const = 0;
  virtual void start(BusHandlers handlers) = 0;
  virtual void stop() = 0;

  // Ownership of a conversation. claim() takes the lease when nobody holds it and returns who
  // holds it afterwards (this node or another; "" when the bus is down). take_over() takes it
  // from `from` only if `from` still holds it (its node stopped listening: it died).
  virtual std::string claim(const std::string& conversation) = 0;
  virtual std::string take_over(const std::string& conversation, const std::string& from) = 0;
  virtual void release(const std::string& conversation) = 0;
  // A conversation this node just created: held from now on, and its lease taken now or, while
  // the bus is down, as soon as it is back.
  virtual void hold(const std::string& conversation) = 0;

  // Publishes and says whether anyone listened (a node's own channel: whether it is alive).
  virtual Sent publish(const std::string& channel, const std::string& payload) = 0;
  // Publishes without waiting, in order, pipelined (the fan-out of events). Dropped while down.
  virtual void post(std::string channel, std::string payload) = 0;
  virtual void subscribe(const std::string& channel) = 0;
  virtual void unsubscribe(const std::string& channel) = 0;

  // Agents connected to this node (counted per sub) and, from every live node, to the cluster.
  virtual void agent_connections(const std::string& sub, int delta) = 0;
  virtual std::vector<std::string> agents_online() = 0;
};

struct BusOptions {
  int lease_ms = 3000;  // a dead owner's conversations move after at most this long
  std::string node;     // "" = generated
};

// redis://[:PASSWORD@]HOST:PORT. Null, with the reason in `error`, when the URL is malformed or
// Redis cannot be reached at start.
std::unique_ptr<Bus> open_redis_bus(const std::string& url, BusOptions options, std::string& error);

}  // namespace tact::gateway
