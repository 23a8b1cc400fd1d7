#pragma once
// Who is connected and who sees which conversation: peers by role and sub, subscribed
// supervisors, each conversation's customer and assigned agent, the queue of conversations
// waiting for an agent. Thread-safe; frames are sent after the lock is released.
// Threads: io threads (connections, frames, HTTP reads), the store's writer thread (deliver()
// of stored messages: all fan-out of messages runs there), the background thread (the sweep).
// Callbacks it takes (add's `assigned`, customer_conversation's `make`/`opened`) run under its
// lock: they must not call the hub. The cluster's agent picker is the exception: it runs unlocked.
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "relay/live_conversation.hpp"
#include "relay/peer.hpp"

namespace tact::gateway {

enum Audience : unsigned { to_customer = 1, to_agent = 2, to_supervisors = 4, to_all = 7, to_staff = 6, to_author = 8 };

// A frame and who of a conversation gets it; to_author: every connection of the message's author.
struct Delivery {
  Frame frame;
  unsigned audience;
};

struct ConversationView {
  std::shared_ptr<LiveConversation> live;
  std::string agent;  // sub, "" while queued
  bool open = true;
};

class Hub {
 public:
  // A new connection. For an agent, queued conversations are assigned to connected agents
  // (fewest open first); `assigned` gets each (conversation, agent) so the caller can store and
  // announce it.
  void add(const std::shared_ptr<Peer>& peer, const std::function<void(const std::string&, const std::string&)>& assigned);
  void remove(const Peer* peer);
  // Assigns queued conversations to the least-loaded agent (another agent connected, anywhere).
  void assign_queued(const std::function<void(const std::string&, const std::string&)>& assigned);
  // In a cluster: who picks the agent for a conversation (agents connected to any node, by the
  // store's count of their open conversations). It asks Redis and the store, so it runs before the
  // hub's lock is taken, never under it. Unset: the agents here. Set it before serving.
  void set_agent_picker(std::function<std::string()> pick) { picker_ = std::move(pick); }
  // The customer's open conversation, if this node holds it.
  std::optional<ConversationView> customer_open(const std::string& customer) const;
  // Drops a conversation this node no longer owns (its lease went to another node).
  void forget(const std::string& id);
  void subscribe(const std::shared_ptr<Peer>& peer);
  bool subscribed(const Peer* peer) const;
  bool has_supervisors() const;
  std::vector<std::shared_ptr<Peer>> peers() const;
  std::size_t peer_count() const;

  // The customer's open conversation; or a new one from `make`, registered and assigned to the
  // connected agent with the fewest open conversations ("" = queued). `opened` runs under the
  // lock with the new conversation and its agent (to queue its storage first). `make` runs under
  // the lock too (again while its id is taken), so it must not call the hub.
  ConversationView customer_conversation(const Identity& customer,
                                         const std::function<std::shared_ptr<LiveConversation>()>& make,
                                         const std::function<void(const ConversationView&)>& opened);
  // Registers a conversation as it is (restart, or the HTTP API) unless one with its id is there:
  // the registered one, and whether it is `live`. Queued when open without agent and from a
  // customer connection.
  std::pair<ConversationView, bool> restore(std::shared_ptr<LiveConversation> live, std::string agent);
  std::optional<ConversationView> find(const std::string& id) const;
  std::vector<ConversationView> open_conversations() const;
  // Gives the open conversation `id` to `agent`; false when it is not open or already theirs.
  bool reassign(const std::string& id, const std::string& agent);
  // Marks it closed (it stays findable, closed, until restart).
  void close(const std::string& id);
  // The open conversations `who` takes part in (decide() in access.hpp): a customer's own chat,
  // an agent's assigned ones; none for supervisors and admins (they subscribe).
  std::vector<std::string> visible_to(const Identity& who) const;

  void deliver(const std::string& conversation, const Frame& frame, unsigned audience) const;
  // Each connection gets the frames meant for it in one send, in this order (see Peer::send).
  void deliver(const std::string& conversation, const std::vector<Delivery>& frames, const Identity* author) const;
  void send_to(const Identity& who, const Frame& frame) const { send_to(who, Frames{frame}); }
  void send_to(const Identity& who, const Frames& frames) const;
  // To every subscribed supervisor connection.
  void send_to_subscribed(const Frame& frame) const { send_to_subscribed(Frames{frame}); }
  void send_to_subscribed(const Frames& frames) const;

 private:
  struct Entry {
    std::shared_ptr<LiveConversation> live;
    std::string agent;
    bool open = true;
  };
  using Key = std::pair<UserRole, std::string>;
  using KeyView = std::pair<UserRole, std::string_view>;  // to look up without copying the sub
  struct KeyLess {
    using is_transparent = void;
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      return a.first != b.first ? a.first < b.first : std::string_view(a.second) < std::string_view(b.second);
    }
  };
  struct Ref {  // the raw pointer identifies a peer without locking (it may be mid-destruction)
    const Peer* raw;
    std::weak_ptr<Peer> weak;
  };
  std::optional<std::string> ask_picker() const;  // the cluster's pick; nullopt when there is no picker
  std::string pick_agent_locked(const std::optional<std::string>& picked) const;
  bool waiting_locked(const std::string& id) const;  // open and queued for an agent
  void assign_locked(Entry& e, const std::string& agent);
  void collect_locked(const KeyView& key, std::vector<std::shared_ptr<Peer>>& out) const;

  mutable std::mutex mutex_;
  std::map<Key, std::vector<Ref>, KeyLess> peers_;
  std::vector<Ref> supervisors_;
  std::unordered_map<std::string, Entry> conversations_;
  std::unordered_map<std::string, std::string> customer_open_;  // customer sub -> conversation
  std::map<std::string, int> agent_open_;                       // agent sub -> open conversations
  std::deque<std::string> queue_;                               // waiting for an agent
  std::function<std::string()> picker_;
};

}  // namespace tact::gateway
