// The HTTP API's side of the relay, the health timer, and the rebuild on start.
#include "coach_frames.hpp"
#include "json_io.hpp"
#include "log.hpp"
#include "relay.hpp"

namespace tact::gateway {

using nlohmann::json;

namespace {
bool may_see(const Identity& who, const std::string& agent) {
  return who.role == UserRole::supervisor || who.role == UserRole::admin || (who.role == UserRole::agent && agent == who.sub);
}
}  // namespace

void Relay::set_rules(RulesRef rules) {
  std::lock_guard lock(rules_mutex_);
  rules_ = std::move(rules);
}

bool Relay::recover(std::string& error) {
  const auto rules = this->rules();
  std::int64_t max_id = 0;
  std::size_t conversations = 0, messages = 0;
  for (const auto& c : store_.conversations(false)) {
    if (c.id.size() > 1 && c.id[0] == 'c' && c.id.find_first_not_of("0123456789", 1) == std::string::npos && c.id.size() < 18)
      max_id = std::max<std::int64_t>(max_id, std::stoll(c.id.substr(1)));
    if (c.closed_at) continue;
    auto live = std::make_shared<LiveConversation>(c.id, c.channel, c.customer, c.customer_name);
    for (const auto& m : store_.messages(c.id)) {
      auto role = coach::parse_role(m.role);
      if (!role) {
        error = "message " + m.id + " has an unknown role \"" + m.role + "\"";
        return false;
      }
      live->coach.apply(*rules.set, coach::Event{*role, m.text, m.at, m.id});
      live->seq = m.seq;
      live->remember_sent({m.author, m.client_id, m.id, m.seq, true});  // for a client's resend after the restart
      ++messages;
    }
    live->whispers = static_cast<std::int64_t>(store_.whispers(c.id).size());
    live->last_health = live->coach.snapshot(*rules.set, now_()).health;
    hub_.restore(std::move(live), c.agent);
    ++conversations;
  }
  next_id_ = max_id + 1;
  log_event("recovered", {{"open_conversations", conversations}, {"messages", messages}});
  return true;
}

void Relay::tick() {
  if (!hub_.has_supervisors()) return;
  const auto rules = this->rules();
  const auto now = now_();
  for (const auto& v : hub_.open_conversations()) {
    Frame frame;
    {
      std::lock_guard lock(v.live->mutex);
      const auto snap = v.live->coach.snapshot(*rules.set, now);
      if (snap.waiting_ms <= 0 && snap.health == v.live->last_health) continue;
      v.live->last_health = snap.health;
      frame = make_frame(health_event(v.live->id, snap, v.agent, true));
    }
    hub_.deliver(v.live->id, frame, to_supervisors);
  }
}

void Relay::post_event(const Identity& who, const std::string& conversation, coach::Role role, std::string text,
                       std::int64_t at, std::function<void(EventResult)> done) {
  auto view = hub_.find(conversation);
  if (!view) {
    const std::string agent = who.role == UserRole::agent ? who.sub : "";  // the agent who posts it owns it
    auto [registered, created] = hub_.restore(std::make_shared<LiveConversation>(conversation, "api", "", ""), agent);
    view = registered;
    if (created) {
      store_.open_conversation({conversation, "", "", agent, "api", at, std::nullopt}, [conversation](std::error_code ec) {
        if (ec) log_event("store_failed", {{"what", "open"}, {"conversation", conversation}});
      });
      log_event("conversation_opened", {{"conversation", conversation}, {"channel", "api"}});
    }
  }
  if (!may_see(who, view->agent) && !view->agent.empty())
    return done({401, {{"error", "wrong_role"}, {"message", "this conversation is assigned to another agent"}}});
  if (!view->open) return done({409, {{"error", "conversation_closed"}, {"message", "the conversation was closed"}}});
  auto after = [this, done, role](std::error_code ec, const Stored& s) {
    if (ec) return done({503, {{"error", "store_failed"}, {"message", "the event could not be stored; send it again"}}});
    metrics_.messages[role == coach::Role::customer ? 0 : 1]++;
    const std::string& conv = s.conversation;
    std::vector<Delivery> frames{{s.message, to_staff}, {s.coach, to_staff}};
    if (s.health) frames.push_back({s.health, to_supervisors});
    hub_.deliver(conv, frames, nullptr);
    json body = json::parse(*s.coach);  // the coach event as stored: without "type"
    body.erase("type");
    body["id"] = s.id;
    body["seq"] = s.seq;
    done({200, std::move(body)});
  };
  if (apply(*view, who, role, std::move(text), at, "", std::move(after)).what == Applied::closed)
    done({409, {{"error", "conversation_closed"}, {"message", "the conversation was closed"}}});
}

json Relay::list(const Identity& who) {
  const auto rules = this->rules();
  const auto now = now_();
  json out = json::array();
  for (const auto& c : store_.conversations(false)) {
    auto view = hub_.find(c.id);
    const std::string agent = view ? view->agent : c.agent;
    if (!may_see(who, agent)) continue;
    json row{{"id", c.id}, {"customer", c.customer_name}, {"agent", agent}, {"open", view ? view->open : !c.closed_at}};
    if (view && view->open) {
      std::lock_guard lock(view->live->mutex);
      const auto snap = view->live->coach.snapshot(*rules.set, now);
      row["messages"] = view->live->seq;
      row["score"] = snap.health.score;
      row["reasons"] = snap.health.reasons;
      row["waiting_ms"] = snap.waiting_ms;
      row["trend"] = snap.trend;
    }
    out.push_back(std::move(row));
  }
  return json{{"conversations", std::move(out)}};
}

std::optional<json> Relay::transcript(const Identity& who, const std::string& id) {
  auto c = store_.conversation(id);
  if (!c) return std::nullopt;
  auto view = hub_.find(id);
  const std::string agent = view ? view->agent : c->agent;
  if (!may_see(who, agent)) return std::nullopt;
  json messages = json::array();
  for (const auto& m : store_.messages(id)) {
    auto coach = json::parse(m.coach_json, nullptr, false);
    messages.push_back(json{{"id", m.id}, {"seq", m.seq}, {"role", m.role}, {"from", m.author_name}, {"text", m.text},
                            {"at", m.at}, {"coach", coach.is_discarded() ? json(nullptr) : coach}});
  }
  json whispers = json::array();
  for (const auto& w : store_.whispers(id))
    whispers.push_back(json{{"id", w.id}, {"from", w.author_name}, {"text", w.text}, {"at", w.at}});
  return json{{"id", id}, {"customer", c->customer_name}, {"agent", agent}, {"open", view ? view->open : !c->closed_at},
              {"messages", std::move(messages)}, {"whispers", std::move(whispers)}};
}

}  // namespace tact::gateway
