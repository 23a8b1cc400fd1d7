// HTTP API events (POST /api/conversations/{id}/events, and the integrations' webhooks) for a
// conversation another node of a cluster holds. The node that took the request checked the
// caller's token and the access rule; it sends the event to the owner's channel with an id and
// waits. The owner posts it as if it had been asked itself (the access rule runs again there) and
// sends the answer, status and body, back to the asking node's channel, which answers the caller.
// No answer within kEventForwardTimeout (the owner died mid-way): 503, and a resend with the same
// client_id is stored once.
#include "json_io.hpp"
#include "obs/log.hpp"
#include "relay/cluster_channels.hpp"
#include "relay/relay.hpp"

namespace tact::gateway {

using nlohmann::json;

namespace {

EventResult elsewhere(const std::string& why) {
  return {503, {{"error", "conversation_elsewhere"},
                {"message", "another node holds this conversation and " + why + "; send the event again shortly"}}};
}

}  // namespace

void Relay::forward_event(const Identity& who, const std::string& conversation, PostedEvent e,
                          std::function<void(EventResult)> done) {
  const auto owner = bus_->claim(conversation);
  if (owner.empty()) return done(elsewhere("the cluster's bus is down"));
  if (owner == bus_->node()) return done(elsewhere("it could not be rebuilt here"));  // adopt() logged why
  const std::string id = bus_->node() + ":" + std::to_string(++forwarded_events_);
  json envelope{{"event",
                 {{"role", coach::to_string(e.role)},
                  {"text", std::move(e.text)},
                  {"at", e.at},
                  {"name", std::move(e.name)},
                  {"author_sub", std::move(e.author_sub)},
                  {"client_id", std::move(e.client_id)},
                  {"agent", std::move(e.agent)}}},
                {"who", {{"role", std::string(to_string(who.role))}, {"sub", who.sub}, {"name", who.name}}},
                {"conversation", conversation},
                {"id", id},
                {"reply_to", bus_->node()}};
  {
    // Before publishing: the answer may come back before publish() returns.
    std::lock_guard lock(pending_mutex_);
    pending_events_[id] = {std::move(done), std::chrono::steady_clock::now() + kEventForwardTimeout};
  }
  const auto sent = bus_->publish(channels::node(owner), coach::dump(envelope));
  if (sent == Sent::delivered) return;
  std::function<void(EventResult)> undelivered;
  {
    std::lock_guard lock(pending_mutex_);
    if (auto it = pending_events_.find(id); it != pending_events_.end()) {
      undelivered = std::move(it->second.done);
      pending_events_.erase(it);
    }
  }
  metrics_.count_error("bus_unavailable");
  log_event("forward_failed", {{"conversation", conversation}, {"why", sent == Sent::bus_down ? "bus down" : "owner gone"}});
  if (undelivered)
    undelivered(elsewhere(sent == Sent::bus_down ? "the cluster's bus is down" : "its node stopped answering (it moves within seconds)"));
}

void Relay::on_forwarded_event(const json& envelope) {
  const auto& w = envelope.value("who", json::object());
  const auto& ev = envelope.value("event", json::object());
  const auto user_role = parse_user_role(w.value("role", ""));
  const auto role = coach::parse_role(ev.value("role", ""));
  const std::string id = envelope.value("id", ""), reply_to = envelope.value("reply_to", "");
  if (!user_role || !role || id.empty() || reply_to.empty()) return;
  Identity who{*user_role, w.value("sub", ""), w.value("name", "")};
  PostedEvent e{*role,
                ev.value("text", ""),
                ev.value("at", std::int64_t{0}),
                ev.value("name", ""),
                ev.value("author_sub", ""),
                ev.value("client_id", ""),
                ev.value("agent", "")};
  post_event_at(who, envelope.value("conversation", ""), std::move(e),
                [this, id, reply_to](EventResult r) {
                  bus_->post(channels::node(reply_to), coach::dump(json{{"reply", id}, {"status", r.status}, {"body", r.body}}));
                },
                true);
}

void Relay::on_event_reply(const json& reply) {
  std::function<void(EventResult)> done;
  {
    std::lock_guard lock(pending_mutex_);
    auto it = pending_events_.find(reply.value("reply", ""));
    if (it == pending_events_.end()) return;  // answered late: the caller already had its 503
    done = std::move(it->second.done);
    pending_events_.erase(it);
  }
  done({reply.value("status", 503), reply.value("body", json::object())});
}

void Relay::expire_forwarded_events() {
  std::vector<std::function<void(EventResult)>> expired;
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(pending_mutex_);
    for (auto it = pending_events_.begin(); it != pending_events_.end();)
      if (it->second.until <= now) {
        expired.push_back(std::move(it->second.done));
        it = pending_events_.erase(it);
      } else {
        ++it;
      }
  }
  for (auto& done : expired) done(elsewhere("did not answer within " + std::to_string(kEventForwardTimeout.count()) + " s"));
}

}  // namespace tact::gateway
