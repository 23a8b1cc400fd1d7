// The relay on more than one node (`tact serve --bus redis://…`, issue 21). The store is the
// source of truth; the bus carries what happens between nodes:
//   - each open conversation is coached by one node, its owner, which holds its lease on the bus;
//     a frame for it that arrives at another node is forwarded to the owner's channel, after the
//     access rule (access.cpp) allowed it here; when the owner no longer listens (it died), the
//     node that needed it takes the lease over and rebuilds the conversation from the store;
//   - the owner delivers each event to the connections here (the hub) and posts it once per
//     audience to the channels of the conversation's customer, its agent and the supervisors,
//     which the nodes where they are connected listen to;
//   - an HTTP API event for a conversation another node holds goes to the owner the same way, and
//     the owner's answer comes back on the asking node's channel (relay/api_forwarding.cpp);
//   - agents connected to any node count for assignment; rule changes are announced to all.
// Channels: tact:node:<node> (frames and API events forwarded to it, answers to its API events), tact:user:<role>:<sub> (events for that
// user's connections), tact:supervisors, tact:all (rules, agents online, board snapshots).
// A payload of events is the sending node's id, then each frame on its own line (a frame is JSON
// without raw newlines); a node skips the events it posted itself (its hub already had them).
#include <chrono>
#include <climits>

#include "json_io.hpp"
#include "obs/log.hpp"
#include "protocol/coach_frames.hpp"
#include "relay/cluster_channels.hpp"
#include "relay/relay.hpp"
#include "relay/remote_peer.hpp"

namespace tact::gateway {

using nlohmann::json;

namespace {

using channels::kAll;
using channels::kNodePrefix;
using channels::kSupervisors;
using channels::kUserPrefix;

std::string user_channel(UserRole role, const std::string& sub) { return channels::user(role, sub); }

std::string pack(const std::string& origin, const Frames& frames) {
  std::string out = origin;
  for (const auto& f : frames) {
    out += '\n';
    out += *f;
  }
  return out;
}

// Origin, then the frames.
std::pair<std::string, Frames> unpack(const std::string& payload) {
  std::pair<std::string, Frames> out;
  std::size_t at = payload.find('\n');
  out.first = payload.substr(0, at);
  while (at != std::string::npos) {
    const auto next = payload.find('\n', at + 1);
    out.second.push_back(make_frame(payload.substr(at + 1, next == std::string::npos ? std::string::npos : next - at - 1)));
    at = next;
  }
  return out;
}

Access access_of(FrameType t) {
  switch (t) {
    case FrameType::draft: return Access::draft;
    case FrameType::close: return Access::close;
    case FrameType::whisper: return Access::whisper;
    default: return Access::message;
  }
}

json frame_json(const ClientFrame& f) {
  json j{{"type", std::string(to_string(f.type))}};
  if (!f.conversation.empty()) j["conversation"] = f.conversation;
  if (f.type == FrameType::message || f.type == FrameType::draft || f.type == FrameType::whisper) j["text"] = f.text;
  if (!f.client_id.empty()) j["client_id"] = f.client_id;
  return j;
}

}  // namespace

void Relay::join(Bus& bus, std::function<void()> rules_changed) {
  bus_ = &bus;
  rules_changed_ = std::move(rules_changed);
  hub_.set_agent_picker([this] {
    // Connected anywhere, fewest open conversations (the store's count) first.
    const auto online = bus_->agents_online();
    if (online.empty()) return std::string();
    const auto load = store_.open_per_agent();
    std::string best;
    int fewest = INT_MAX;
    for (const auto& a : online) {
      auto it = load.find(a);
      const int n = it == load.end() ? 0 : it->second;
      if (n < fewest) fewest = n, best = a;
    }
    return best;
  });
  bus.subscribe(kNodePrefix + bus.node());
  bus.subscribe(kAll);
  bus.start({[this](const std::string& channel, std::string payload) { on_bus(channel, std::move(payload)); },
             [this](const std::string& conversation) {
               hub_.forget(conversation);  // its frames go to the new owner from now on
             },
             [](bool) {}});
  log_event("cluster_joined", {{"node", bus.node()}});
}

json Relay::cluster_status() const {
  if (!bus_) return nullptr;
  return json{{"node", bus_->node()}, {"bus", bus_->up() ? "up" : "down"}};
}

void Relay::announce_rules(std::int64_t version) {
  if (bus_) bus_->post(kAll, "rules\n" + std::to_string(version));
}

bool Relay::subscribed(const Peer* peer) const {
  if (auto* remote = dynamic_cast<const RemotePeer*>(peer)) return remote->subscribed();
  return hub_.subscribed(peer);
}

void Relay::send_to_user(const Identity& who, const Frame& frame) {
  hub_.send_to(who, frame);
  if (bus_) bus_->post(user_channel(who.role, who.sub), pack(bus_->node(), {frame}));
}

void Relay::send_to_supervisors(const Frame& frame) {
  hub_.send_to_subscribed(frame);
  if (bus_) bus_->post(kSupervisors, pack(bus_->node(), {frame}));
}

void Relay::user_here(const Identity& who, int delta) {
  int now = 0;
  {
    std::lock_guard lock(users_mutex_);
    auto& n = users_here_[{who.role, who.sub}];
    n += delta;
    now = n;
    if (n <= 0) users_here_.erase({who.role, who.sub});
  }
  if (delta > 0 && now == 1) bus_->subscribe(user_channel(who.role, who.sub));
  if (delta < 0 && now == 0) bus_->unsubscribe(user_channel(who.role, who.sub));
  if (who.role == UserRole::agent) {
    bus_->agent_connections(who.sub, delta);
    if (delta > 0) {
      adopt_queued();
      bus_->post(kAll, "agent\n" + who.sub);  // owners of queued conversations assign them
    }
  }
  if (who.role == UserRole::supervisor && delta > 0 && now == 1) bus_->subscribe(kSupervisors);
}

// Queued conversations whose owner died wait for the next node that needs them: an agent's
// arrival is such a need.
void Relay::adopt_queued() {
  for (const auto& c : store_.conversations(true))
    if (c.agent.empty() && c.channel == "ws" && !hub_.find(c.id)) adopt(c.id);
  hub_.assign_queued([this](const std::string& c, const std::string& a) { announce_assignment(c, a); });
}

// The other nodes send the health of the conversations they hold to this supervisor.
void Relay::request_board(const Identity& supervisor) { bus_->post(kAll, "board\n" + supervisor.sub); }

std::vector<std::string> Relay::visible_in_store(const Identity& who) {
  std::vector<std::string> out;
  if (who.role != UserRole::customer && who.role != UserRole::agent) return out;
  for (const auto& c : store_.conversations(true)) {
    const ConversationFacts f{c.id, c.channel, c.customer, c.agent, true};
    if (decide(who, Access::read, c.id, &f)) out.push_back(c.id);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<ConversationView> Relay::adopt(const std::string& id, bool claimed) {
  if (auto v = hub_.find(id)) return v;
  if (!claimed && bus_->claim(id) != bus_->node()) return std::nullopt;
  auto c = store_.conversation(id);
  if (!c || c->closed_at) return std::nullopt;
  std::size_t messages = 0;
  std::string error;
  auto live = rebuild(*c, rules(), messages, error);
  if (!live) {
    log_event("adopt_failed", {{"conversation", id}, {"message", error}});
    return std::nullopt;
  }
  auto [view, created] = hub_.restore(std::move(live), c->agent);
  if (created) log_event("conversation_adopted", {{"conversation", id}, {"node", bus_->node()}, {"messages", messages}});
  return view;
}

bool Relay::route(const std::shared_ptr<Peer>& peer, ClientFrame& f) {
  const auto& who = peer->who();
  const json ref = f.type == FrameType::message ? json(f.client_id) : json(std::string(to_string(f.type)));
  if (f.conversation.empty()) {
    if (who.role != UserRole::customer || hub_.customer_open(who.sub)) return true;
    auto open = store_.open_conversation_of(who.sub);
    if (!open) return true;  // a new conversation, opened here
    f.conversation = open->id;
  }
  if (hub_.find(f.conversation)) return true;
  const bool remote = dynamic_cast<const RemotePeer*>(peer.get()) != nullptr;
  // The one rule decides before anything crosses to another node (a refusal is the handler's);
  // the owner decides again on what it holds. An allowance and the owner are remembered for a
  // second: they cost a store read and a Redis call per forwarded frame otherwise.
  const auto now = std::chrono::steady_clock::now();
  const std::string key = f.conversation + '\n' + std::string(to_string(who.role)) + '\n' + who.sub + '\n' +
                          std::string(to_string(f.type));
  std::string owner;
  {
    std::lock_guard lock(route_mutex_);
    if (auto it = route_cache_.find(key); it != route_cache_.end() && it->second.until > now) owner = it->second.owner;
  }
  if (owner.empty() || remote) {
    auto known = facts(f.conversation);
    if (!known || !known->open || !decide(who, access_of(f.type), f.conversation, &*known)) return true;
  }
  auto remember = [&](const std::string& holder) {
    std::lock_guard lock(route_mutex_);
    if (route_cache_.size() > 100000) route_cache_.clear();
    if (holder.empty()) route_cache_.erase(key);
    else route_cache_[key] = {holder, now + std::chrono::seconds(1)};
  };
  if (!owner.empty() && !remote && owner != bus_->node()) {
    json envelope{{"who", {{"role", std::string(to_string(who.role))}, {"sub", who.sub}, {"name", who.name}}},
                  {"subscribed", hub_.subscribed(peer.get())},
                  {"frame", frame_json(f)}};
    if (bus_->publish(kNodePrefix + owner, coach::dump(envelope)) == Sent::delivered) return false;
    remember("");  // gone or down: ask the bus below
  }
  auto unreachable = [&](const std::string& why) {
    metrics_.count_error("bus_unavailable");
    log_event("forward_failed", {{"conversation", f.conversation}, {"why", why}});
    peer->send(make_frame(error_event({"bus_unavailable",
                                       "the node that holds conversation \"" + f.conversation + "\" cannot be reached (" + why +
                                           "); send it again in a few seconds",
                                       ref})));
    return false;
  };
  for (int attempt = 0; attempt < 3; ++attempt) {
    const auto holder = bus_->claim(f.conversation);
    if (holder.empty()) return unreachable("the cluster's bus is down");
    if (holder == bus_->node()) {
      adopt(f.conversation, true);  // a conversation closed meanwhile is refused by the handler
      return true;
    }
    if (remote) return unreachable("it moved while the frame was on its way");  // forwarded once, never twice
    json envelope{{"who", {{"role", std::string(to_string(who.role))}, {"sub", who.sub}, {"name", who.name}}},
                  {"subscribed", hub_.subscribed(peer.get())},
                  {"frame", frame_json(f)}};
    switch (bus_->publish(kNodePrefix + holder, coach::dump(envelope))) {
      case Sent::delivered:
        remember(holder);
        return false;
      case Sent::bus_down: return unreachable("the cluster's bus is down");
      case Sent::no_receiver:  // its node stopped listening: it died
        log_event("owner_gone", {{"conversation", f.conversation}, {"owner", holder}});
        if (bus_->take_over(f.conversation, holder) == bus_->node()) {
          adopt(f.conversation, true);
          return true;
        }
        break;
    }
  }
  return unreachable("its owner changed three times");
}

void Relay::on_forwarded(const std::string& payload) {
  auto j = json::parse(payload, nullptr, false);
  if (!j.is_object()) return;
  if (j.contains("reply")) return on_event_reply(j);      // relay/api_forwarding.cpp
  if (j.contains("event")) return on_forwarded_event(j);
  if (!j.contains("who") || !j.contains("frame")) return;
  const auto& w = j["who"];
  auto role = parse_user_role(w.value("role", ""));
  if (!role) return;
  Identity who{*role, w.value("sub", ""), w.value("name", "")};
  auto parsed = parse_client_frame(coach::dump(j["frame"]));
  if (!parsed.frame) return;
  auto peer = std::make_shared<RemotePeer>(who, j.value("subscribed", false), [this](const Identity& to, Frames frames) {
    bus_->post(user_channel(to.role, to.sub), pack("", frames));  // "": every connection of theirs, here too
  });
  handle(peer, *parsed.frame);
}

void Relay::on_bus(const std::string& channel, std::string payload) {
  if (channel.rfind(kNodePrefix, 0) == 0) return on_forwarded(payload);
  if (channel == kAll) {
    const auto nl = payload.find('\n');
    const std::string kind = payload.substr(0, nl), arg = nl == std::string::npos ? "" : payload.substr(nl + 1);
    if (kind == "rules" && rules_changed_) rules_changed_();
    if (kind == "agent") hub_.assign_queued([this](const std::string& c, const std::string& a) { announce_assignment(c, a); });
    if (kind == "board") {  // a supervisor subscribed elsewhere: the health of the conversations here
      const auto pages = board_pages();
      if (!pages.empty()) bus_->post(user_channel(UserRole::supervisor, arg), pack(bus_->node(), pages));
    }
    return;
  }
  auto [origin, frames] = unpack(payload);
  if (origin == bus_->node() || frames.empty()) return;  // ours: the hub delivered them here already
  if (channel == kSupervisors) return hub_.send_to_subscribed(frames);
  if (channel.rfind(kUserPrefix, 0) == 0) {
    const auto rest = channel.substr(kUserPrefix.size());
    const auto colon = rest.find(':');
    auto role = parse_user_role(rest.substr(0, colon));
    if (role && colon != std::string::npos) hub_.send_to({*role, rest.substr(colon + 1), {}}, frames);
  }
}

void Relay::fan_out(const std::string& conversation, const std::vector<Delivery>& frames, const Identity* author) {
  auto view = hub_.find(conversation);
  if (!view) return;
  const auto& live = *view->live;
  auto select = [&](unsigned audience) {
    Frames out;
    for (const auto& d : frames)
      if (d.audience & audience) out.push_back(d.frame);
    return out;
  };
  const bool author_is_customer = author && author->role == UserRole::customer && author->sub == live.customer;
  const bool author_is_agent = author && author->role == UserRole::agent && author->sub == view->agent;
  if (live.channel == "ws" && !live.customer.empty()) {
    auto f = select(to_customer | (author_is_customer ? to_author : 0u));
    if (!f.empty()) bus_->post(user_channel(UserRole::customer, live.customer), pack(bus_->node(), f));
  }
  if (!view->agent.empty()) {
    auto f = select(to_agent | (author_is_agent ? to_author : 0u));
    if (!f.empty()) bus_->post(user_channel(UserRole::agent, view->agent), pack(bus_->node(), f));
  }
  if (author && !author_is_customer && !author_is_agent) {
    auto f = select(to_author);
    if (!f.empty()) bus_->post(user_channel(author->role, author->sub), pack(bus_->node(), f));
  }
  auto f = select(to_supervisors);
  if (!f.empty()) bus_->post(kSupervisors, pack(bus_->node(), f));
}

}  // namespace tact::gateway
