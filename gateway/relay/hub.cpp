#include "relay/hub.hpp"

#include <algorithm>
#include <climits>

#include "relay/access.hpp"

namespace tact::gateway {

void Hub::collect_locked(const KeyView& key, std::vector<std::shared_ptr<Peer>>& out) const {
  auto it = peers_.find(key);
  if (it == peers_.end()) return;
  for (const auto& r : it->second)
    if (auto p = r.weak.lock()) out.push_back(std::move(p));
}

std::optional<std::string> Hub::ask_picker() const {
  if (!picker_) return std::nullopt;
  return picker_();
}

std::string Hub::pick_agent_locked(const std::optional<std::string>& picked) const {
  if (picked) return *picked;
  std::string best;
  int fewest = INT_MAX;
  for (const auto& [key, list] : peers_) {
    if (key.first != UserRole::agent || list.empty()) continue;
    auto it = agent_open_.find(key.second);
    const int n = it == agent_open_.end() ? 0 : it->second;
    if (n < fewest) fewest = n, best = key.second;
  }
  return best;
}

void Hub::assign_locked(Entry& e, const std::string& agent) {
  e.agent = agent;
  if (!agent.empty() && e.open) ++agent_open_[agent];
}

void Hub::add(const std::shared_ptr<Peer>& peer,
              const std::function<void(const std::string&, const std::string&)>& assigned) {
  {
    std::lock_guard lock(mutex_);
    peers_[{peer->who().role, peer->who().sub}].push_back({peer.get(), peer});
  }
  if (peer->who().role == UserRole::agent) assign_queued(assigned);
}

void Hub::assign_queued(const std::function<void(const std::string&, const std::string&)>& assigned) {
  std::vector<std::pair<std::string, std::string>> done;
  for (;;) {
    std::string front;
    {
      std::lock_guard lock(mutex_);
      while (!queue_.empty() && !waiting_locked(queue_.front())) queue_.pop_front();
      if (queue_.empty()) break;
      front = queue_.front();
    }
    const auto picked = ask_picker();
    std::lock_guard lock(mutex_);
    if (queue_.empty() || queue_.front() != front || !waiting_locked(front)) continue;  // changed meanwhile: look again
    const auto agent = pick_agent_locked(picked);
    if (agent.empty()) break;  // nobody to take it (a cluster's picker may say so): stays queued
    queue_.pop_front();
    assign_locked(conversations_.at(front), agent);
    done.emplace_back(front, agent);
  }
  for (const auto& [c, a] : done) assigned(c, a);
}

bool Hub::waiting_locked(const std::string& id) const {
  auto it = conversations_.find(id);
  return it != conversations_.end() && it->second.open && it->second.agent.empty();
}

std::optional<ConversationView> Hub::customer_open(const std::string& customer) const {
  std::lock_guard lock(mutex_);
  auto it = customer_open_.find(customer);
  if (it == customer_open_.end()) return std::nullopt;
  const auto& e = conversations_.at(it->second);
  return ConversationView{e.live, e.agent, e.open};
}

void Hub::forget(const std::string& id) {
  std::lock_guard lock(mutex_);
  auto it = conversations_.find(id);
  if (it == conversations_.end()) return;
  if (it->second.open && !it->second.agent.empty()) --agent_open_[it->second.agent];
  if (auto c = customer_open_.find(it->second.live->customer); c != customer_open_.end() && c->second == id) customer_open_.erase(c);
  conversations_.erase(it);
}

void Hub::remove(const Peer* peer) {
  std::lock_guard lock(mutex_);
  auto erase_from = [peer](std::vector<Ref>& v) {
    std::erase_if(v, [peer](const Ref& r) { return r.raw == peer || r.weak.expired(); });
  };
  erase_from(supervisors_);
  // Only the peer's own key: sweeping every key made each disconnect O(connections) under the
  // lock, and 10,000 connections closing at once stalled every delivery for about a second.
  if (auto it = peers_.find(KeyView{peer->who().role, peer->who().sub}); it != peers_.end()) {
    erase_from(it->second);
    if (it->second.empty()) peers_.erase(it);
  }
}

void Hub::subscribe(const std::shared_ptr<Peer>& peer) {
  std::lock_guard lock(mutex_);
  for (const auto& r : supervisors_)
    if (r.raw == peer.get()) return;
  supervisors_.push_back({peer.get(), peer});
}

bool Hub::subscribed(const Peer* peer) const {
  std::lock_guard lock(mutex_);
  return std::any_of(supervisors_.begin(), supervisors_.end(), [peer](const Ref& r) { return r.raw == peer; });
}

bool Hub::has_supervisors() const {
  std::lock_guard lock(mutex_);
  return !supervisors_.empty();
}

std::vector<std::shared_ptr<Peer>> Hub::peers() const {
  std::vector<std::shared_ptr<Peer>> out;
  std::lock_guard lock(mutex_);
  for (const auto& [key, list] : peers_) collect_locked(key, out);
  return out;
}

std::size_t Hub::peer_count() const {
  std::size_t n = 0;
  std::lock_guard lock(mutex_);
  for (const auto& [key, list] : peers_) n += list.size();
  return n;
}

ConversationView Hub::customer_conversation(const Identity& customer,
                                            const std::function<std::shared_ptr<LiveConversation>()>& make,
                                            const std::function<void(const ConversationView&)>& opened) {
  if (auto open = customer_open(customer.sub)) return *open;
  const auto picked = ask_picker();
  std::lock_guard lock(mutex_);
  if (auto it = customer_open_.find(customer.sub); it != customer_open_.end()) {  // another of their connections opened it meanwhile
    const auto& e = conversations_.at(it->second);
    return {e.live, e.agent, e.open};
  }
  Entry e{make(), {}, true};
  while (conversations_.count(e.live->id)) e.live = make();  // an id the HTTP API already took
  assign_locked(e, pick_agent_locked(picked));
  if (e.agent.empty()) queue_.push_back(e.live->id);
  customer_open_[customer.sub] = e.live->id;
  ConversationView view{e.live, e.agent, true};
  conversations_.emplace(e.live->id, std::move(e));
  opened(view);
  return view;
}

std::pair<ConversationView, bool> Hub::restore(std::shared_ptr<LiveConversation> live, std::string agent) {
  std::lock_guard lock(mutex_);
  if (auto it = conversations_.find(live->id); it != conversations_.end())
    return {{it->second.live, it->second.agent, it->second.open}, false};  // two API calls raced to open it
  Entry e{live, {}, live->open};
  assign_locked(e, agent);
  if (e.open && live->channel == "ws") {
    if (!live->customer.empty()) customer_open_[live->customer] = live->id;
    if (e.agent.empty()) queue_.push_back(live->id);
  }
  ConversationView view{e.live, e.agent, e.open};
  conversations_.emplace(live->id, std::move(e));
  return {std::move(view), true};
}

bool Hub::reassign(const std::string& id, const std::string& agent) {
  std::lock_guard lock(mutex_);
  auto it = conversations_.find(id);
  if (it == conversations_.end() || !it->second.open || it->second.agent == agent) return false;
  if (auto n = agent_open_.find(it->second.agent); n != agent_open_.end() && --n->second <= 0) agent_open_.erase(n);
  assign_locked(it->second, agent);
  return true;
}

std::optional<ConversationView> Hub::find(const std::string& id) const {
  std::lock_guard lock(mutex_);
  auto it = conversations_.find(id);
  if (it == conversations_.end()) return std::nullopt;
  return ConversationView{it->second.live, it->second.agent, it->second.open};
}

std::vector<ConversationView> Hub::open_conversations() const {
  std::vector<ConversationView> out;
  std::lock_guard lock(mutex_);
  for (const auto& [id, e] : conversations_)
    if (e.open) out.push_back({e.live, e.agent, true});
  return out;
}

void Hub::close(const std::string& id) {
  std::lock_guard lock(mutex_);
  auto it = conversations_.find(id);
  if (it == conversations_.end() || !it->second.open) return;
  it->second.open = false;
  if (!it->second.agent.empty()) --agent_open_[it->second.agent];
  if (auto c = customer_open_.find(it->second.live->customer); c != customer_open_.end() && c->second == id)
    customer_open_.erase(c);
}

std::vector<std::string> Hub::visible_to(const Identity& who) const {
  std::vector<std::string> out;
  if (who.role != UserRole::customer && who.role != UserRole::agent) return out;  // staff: after subscribe
  std::lock_guard lock(mutex_);
  for (const auto& [id, e] : conversations_) {
    if (!e.open) continue;
    const ConversationFacts f{id, e.live->channel, e.live->customer, e.agent, e.open};
    if (decide(who, Access::read, id, &f)) out.push_back(id);
  }
  std::sort(out.begin(), out.end());
  return out;
}

void Hub::send_to_subscribed(const Frames& frames) const {
  std::vector<std::shared_ptr<Peer>> targets;
  {
    std::lock_guard lock(mutex_);
    for (const auto& r : supervisors_)
      if (auto p = r.weak.lock()) targets.push_back(std::move(p));
  }
  for (const auto& p : targets) p->send(frames);
}

void Hub::deliver(const std::string& conversation, const Frame& frame, unsigned audience) const {
  deliver(conversation, {{frame, audience}}, nullptr);
}

void Hub::deliver(const std::string& conversation, const std::vector<Delivery>& frames, const Identity* author) const {
  unsigned wanted = 0;
  for (const auto& d : frames) wanted |= d.audience;
  struct Target {
    std::shared_ptr<Peer> peer;
    unsigned audience;
  };
  std::vector<Target> targets;
  // A peer reached twice (the author is also the conversation's customer) gets each frame once.
  // Only targets added from earlier lists can be it: a list of the hub never holds a peer twice.
  auto add_list = [&targets](const std::vector<Ref>& list, unsigned audience) {
    const auto earlier = static_cast<std::ptrdiff_t>(targets.size());
    for (const auto& r : list) {
      auto p = r.weak.lock();
      if (!p) continue;
      const auto end = targets.begin() + earlier;
      auto same = std::find_if(targets.begin(), end, [&](const Target& t) { return t.peer == p; });
      if (same != end) same->audience |= audience;
      else targets.push_back({std::move(p), audience});
    }
  };
  auto add_key = [&](const KeyView& key, unsigned audience) {
    if (auto it = peers_.find(key); it != peers_.end()) add_list(it->second, audience);
  };
  {
    std::lock_guard lock(mutex_);
    targets.reserve(2 + ((wanted & to_supervisors) ? supervisors_.size() : 0));
    if (author && (wanted & to_author)) add_key({author->role, author->sub}, to_author);
    auto it = conversations_.find(conversation);
    if (it != conversations_.end()) {
      const auto& e = it->second;
      if ((wanted & to_customer) && e.live->channel == "ws") add_key({UserRole::customer, e.live->customer}, to_customer);
      if ((wanted & to_agent) && !e.agent.empty()) add_key({UserRole::agent, e.agent}, to_agent);
      if (wanted & to_supervisors) add_list(supervisors_, to_supervisors);
    }
  }
  for (auto& t : targets) {
    Frames out;
    out.reserve(frames.size());
    for (const auto& d : frames)
      if (d.audience & t.audience) out.push_back(d.frame);
    if (!out.empty()) t.peer->send(std::move(out));
  }
}

void Hub::send_to(const Identity& who, const Frames& frames) const {
  std::vector<std::shared_ptr<Peer>> targets;
  {
    std::lock_guard lock(mutex_);
    collect_locked({who.role, who.sub}, targets);
  }
  for (const auto& p : targets) p->send(frames);
}

}  // namespace tact::gateway
