// The HTTP API's side of the relay, the health timer, and the rebuild on start.
#include <climits>

#include "protocol/coach_frames.hpp"
#include "json_io.hpp"
#include "obs/log.hpp"
#include "store/store_error.hpp"
#include "relay/relay.hpp"
#include "relay/recovery.hpp"

namespace tact::gateway {

using nlohmann::json;

EventResult refusal(const AccessDecision& d) { return {d.status, {{"error", d.code}, {"message", d.message}}}; }

namespace {

// c<digits> ids are allocated by the gateway; one of up to 18 digits fits the counter.
std::optional<std::int64_t> gateway_number(const std::string& id) {
  if (!is_gateway_id(id) || id.size() > 19) return std::nullopt;
  return std::stoll(id.substr(1));
}

}  // namespace

void Relay::set_rules(RulesRef rules) {
  std::lock_guard lock(rules_mutex_);
  rules_ = std::move(rules);
}

std::shared_ptr<LiveConversation> Relay::rebuild(const ConversationRecord& c, const RulesRef& rules, std::size_t& messages,
                                                 std::string& error) {
  auto live = std::make_shared<LiveConversation>(c.id, c.channel, c.customer, c.customer_name);
  const auto applied = replay_messages(store_, *live, *rules.set, error);
  if (!applied) return nullptr;
  messages += *applied;
  live->whispers = static_cast<std::int64_t>(store_.whispers(c.id).size());
  live->last_health = live->coach.snapshot(*rules.set, now_()).health;
  return live;
}

bool Relay::recover(std::string& error) {
  const auto rules = this->rules();
  std::int64_t max_id = 0;
  std::size_t conversations = 0, messages = 0;
  for (const auto& c : store_.conversations(false)) {
    if (auto n = gateway_number(c.id); n && *n < INT64_MAX) max_id = std::max(max_id, *n);
    if (c.closed_at || bus_) continue;  // a cluster: rebuilt by whichever node takes it (adopt())
    if (c.channel == "api" && !c.agent.empty()) {
      api_open_[c.agent]++;  // who opened it, as far as the store knows (an agent; staff openers are not kept)
      api_opener_[c.id] = c.agent;
    }
    auto live = rebuild(c, rules, messages, error);
    if (!live) return false;
    hub_.restore(std::move(live), c.agent);
    ++conversations;
  }
  next_id_ = max_id + 1;
  log_event("recovered", {{"open_conversations", conversations}, {"messages", messages}});
  if (!bus_) review_backlog();  // a cluster's nodes would race for the same ones
  return true;
}

void Relay::tick() {
  if (bus_) expire_forwarded_events();
  if (!bus_ && !hub_.has_supervisors()) return;  // in a cluster they may be on another node
  const auto rules = this->rules();
  const auto now = now_();
  std::vector<std::string> events;
  for (const auto& v : hub_.open_conversations()) {
    std::lock_guard lock(v.live->mutex);
    const auto snap = v.live->coach.snapshot(*rules.set, now);
    if (snap.waiting_ms <= 0 && snap.health == v.live->last_health) continue;
    v.live->last_health = snap.health;
    events.push_back(supervisor_health(v.live->id, snap, v.agent, *rules.set));
  }
  for (auto& page : health_pages(events, limits_.health_page)) send_to_supervisors(page);
}

void Relay::post_event(const Identity& who, const std::string& conversation, PostedEvent e, std::function<void(EventResult)> done) {
  post_event_at(who, conversation, std::move(e), std::move(done), false);
}

void Relay::post_event_at(const Identity& who, const std::string& conversation, PostedEvent e,
                          std::function<void(EventResult)> done, bool forwarded) {
  const auto role = e.role;
  auto known = facts(conversation);
  if (auto d = decide(who, Access::post_event, conversation, known ? &*known : nullptr); !d) return done(refusal(d));
  auto view = hub_.find(conversation);
  if (!view && known && known->open && bus_) {  // a cluster: take it if its node is gone, else ask its owner
    view = adopt(conversation);
    if (!view && !forwarded) return forward_event(who, conversation, std::move(e), std::move(done));
    if (!view)
      return done({503, {{"error", "conversation_elsewhere"},
                         {"message", "the conversation moved to another node while the event was on its way; send it again"}}});
  }
  if (!view && known) return done({409, {{"error", "conversation_closed"}, {"message", "the conversation was closed"}}});
  if (!view) {
    if (is_gateway_id(conversation))
      return done({400, {{"error", "bad_field"},
                         {"message", "ids of the form c<digits> are the gateway's own live chats; open yours under another id"}}});
    {
      std::lock_guard lock(api_mutex_);
      if (api_open_[who.sub] >= limits_.max_api_conversations)
        return done({429, {{"error", "too_many_conversations"},
                           {"message", "you have " + std::to_string(limits_.max_api_conversations) +
                                           " open API conversations (--max-api-conversations); close some first"}}});
    }
    // The agent who opens it owns it; a host (an integration) names the agent.
    const std::string agent = !e.agent.empty() ? e.agent : who.role == UserRole::agent ? who.sub : "";
    const std::string customer_name = role == coach::Role::customer ? e.name : "";
    auto [registered, created] =
        hub_.restore(std::make_shared<LiveConversation>(conversation, "api", "", customer_name), agent);
    view = registered;
    if (created) {
      {
        std::lock_guard lock(api_mutex_);
        api_open_[who.sub]++;
        api_opener_[conversation] = who.sub;
      }
      store_.open_conversation({conversation, "", customer_name, agent, "api", e.at, std::nullopt}, [conversation](std::error_code ec) {
        if (ec) log_event("store_failed", {{"what", "open"}, {"conversation", conversation}});
      });
      log_event("conversation_opened", {{"conversation", conversation}, {"channel", "api"}});
      if (bus_) bus_->hold(conversation);
    } else {
      // Another call opened it first, maybe for someone else: the rule again, on what is there.
      const ConversationFacts now_known{conversation, view->live->channel, view->live->customer, view->agent, view->open};
      if (auto d = decide(who, Access::post_event, conversation, &now_known); !d) return done(refusal(d));
    }
  }
  if (!view->open) return done({409, {{"error", "conversation_closed"}, {"message", "the conversation was closed"}}});
  if (!e.agent.empty() && e.agent != view->agent) {
    reassign(*view, e.agent);
    if (auto moved = hub_.find(conversation)) view = std::move(moved);  // the health event names the new agent
  }
  // The author as the transcript shows it: the customer's name for the customer's side, never
  // the caller's (a host platform posts both sides with one token).
  Identity author = who;
  if (!e.author_sub.empty()) author.sub = e.author_sub;
  if (role == coach::Role::customer) {
    author = {UserRole::customer, author.sub, e.name.empty() ? view->live->customer_name : e.name};
  } else if (!e.name.empty()) {
    author.name = e.name;
  }
  auto after = [this, done, role, author_sub = author.sub, client_id = e.client_id](std::error_code ec, const Stored& s) {
    if (ec == StoreError::constraint)  // stored before, by a node that died before answering
      if (auto earlier = stored_with_client_id(s.conversation, author_sub, client_id))
        return done({200, {{"conversation", s.conversation}, {"id", earlier->id}, {"seq", earlier->seq}, {"duplicate", true}}});
    if (ec) return done({503, {{"error", "store_failed"}, {"message", "the event could not be stored; send it again"}}});
    metrics_.messages[role == coach::Role::customer ? 0 : 1]++;
    const std::string& conv = s.conversation;
    std::vector<Delivery> frames;
    add_views(frames, limits_.redact, s.message, s.message_redacted, to_staff);
    add_views(frames, limits_.redact, s.coach, s.coach_redacted, to_staff);
    if (s.health) frames.push_back({s.health, to_supervisors});
    deliver(conv, frames, nullptr);
    // The agent's view (the caller is the host's agent side): redacted with --redact all.
    const Frame& coach = limits_.redact == RedactMode::all && s.coach_redacted ? s.coach_redacted : s.coach;
    json body = json::parse(*coach, nullptr, false);  // the coach event, without "type"
    if (!body.is_object()) body = json::object();
    body.erase("type");
    body["id"] = s.id;
    body["seq"] = s.seq;
    done({200, std::move(body)});
  };
  const auto applied = apply(*view, author, role, std::move(e.text), e.at, std::move(e.client_id), std::move(after));
  if (applied.what == Applied::closed)
    done({409, {{"error", "conversation_closed"}, {"message", "the conversation was closed"}}});
  else if (applied.what == Applied::duplicate)
    done({200, {{"conversation", conversation}, {"id", applied.earlier.id}, {"seq", applied.earlier.seq}, {"duplicate", true}}});
}

void Relay::reassign(const ConversationView& view, const std::string& agent) {
  if (!hub_.reassign(view.live->id, agent)) return;
  announce_assignment(view.live->id, agent);
}

EventResult Relay::reassign_api(const Identity& who, const std::string& conversation, const std::string& agent) {
  auto known = facts(conversation);
  if (!known) return {404, {{"error", "unknown_conversation"}, {"message", "no conversation \"" + conversation + "\" yet"}}};
  if (auto d = decide(who, Access::post_event, conversation, &*known); !d) return refusal(d);
  auto view = hub_.find(conversation);
  if (!view || !view->open) return {409, {{"error", "conversation_closed"}, {"message", "the conversation was closed"}}};
  reassign(*view, agent);
  return {200, {{"id", conversation}, {"agent", agent}}};
}

EventResult Relay::close_api(const Identity& who, const std::string& conversation, std::optional<std::int64_t> at) {
  auto known = facts(conversation);
  if (auto d = decide(who, Access::close, conversation, known ? &*known : nullptr); !d) return refusal(d);
  auto view = hub_.find(conversation);
  if (!view) return {409, {{"error", "conversation_closed"}, {"message", "the conversation was closed"}}};
  close_conversation(*view, who.sub, at);
  return {200, {{"id", conversation}, {"open", false}}};
}

json Relay::list(const Identity& who) {
  const auto rules = this->rules();
  const auto now = now_();
  const bool staff_view = who.role != UserRole::customer;
  json out = json::array();
  std::vector<std::size_t> held_elsewhere;  // rows of open conversations another node holds
  for (const auto& c : store_.conversations(false)) {
    auto view = hub_.find(c.id);
    const ConversationFacts f = view ? ConversationFacts{c.id, view->live->channel, view->live->customer, view->agent, view->open}
                                     : ConversationFacts{c.id, c.channel, c.customer, c.agent, !c.closed_at};
    if (!decide(who, Access::read, c.id, &f)) continue;
    json row{{"id", c.id}, {"customer", c.customer_name}, {"agent", f.agent}, {"open", f.open}};
    if (view && view->open && staff_view) {
      std::lock_guard lock(view->live->mutex);
      const auto snap = view->live->coach.snapshot(*rules.set, now);
      row["messages"] = view->live->seq;
      row["score"] = snap.health.score;
      row["reasons"] = snap.health.reasons;
      row["waiting_ms"] = snap.waiting_ms;
      row["trend"] = snap.trend;
    } else if (!view && f.open && staff_view) {
      held_elsewhere.push_back(out.size());
    }
    out.push_back(std::move(row));
  }
  if (!held_elsewhere.empty()) add_stored_health(out, held_elsewhere, now);
  return json{{"conversations", std::move(out)}};
}

// In a cluster the live state of a conversation is on the node that owns it; any other node
// answers with the health stored with its last message, `as_of` that message's time.
void Relay::add_stored_health(json& rows, const std::vector<std::size_t>& which, std::int64_t now) {
  const auto last = store_.last_messages_of_open();
  for (const auto i : which) {
    auto& row = rows[i];
    auto it = last.find(row.at("id").get<std::string>());
    if (it == last.end()) continue;  // nothing said yet
    const auto& m = it->second;
    const auto coach = json::parse(m.coach_json, nullptr, false);
    if (!coach.is_object() || !coach.contains("health")) continue;
    row["messages"] = m.seq;
    row["score"] = coach.at("health").value("score", 0);
    row["reasons"] = coach.at("health").value("reasons", json::array());
    row["waiting_ms"] = m.role == "customer" ? std::max<std::int64_t>(0, now - m.at) : 0;
    row["trend"] = coach.value("trend", json());
    row["as_of"] = m.at;
  }
}

EventResult Relay::transcript(const Identity& who, const std::string& id, std::int64_t after_seq) {
  auto known = facts(id);
  if (auto d = decide(who, Access::read, id, known ? &*known : nullptr); !d) return refusal(d);
  auto c = store_.conversation(id);
  if (!c) return {404, {{"error", "not_found"}, {"message", "conversation \"" + id + "\" is not stored yet; try again"}}};
  const bool customer = who.role == UserRole::customer;  // their own chat, as they saw it
  json messages = json::array();
  for (const auto& m : store_.messages(id)) {
    if (m.seq <= after_seq) continue;
    json row{{"id", m.id}, {"seq", m.seq}, {"role", m.role}, {"from", m.author_name}, {"text", m.text}, {"at", m.at}};
    if (!customer) {
      auto coach = json::parse(m.coach_json, nullptr, false);
      row["coach"] = coach.is_discarded() ? json(nullptr) : coach;
    }
    messages.push_back(std::move(row));
  }
  json out{{"id", id}, {"customer", c->customer_name}, {"agent", known->agent}, {"open", known->open}, {"messages", std::move(messages)}};
  if (!customer) {
    json whispers = json::array();
    for (const auto& w : store_.whispers(id))
      whispers.push_back(json{{"id", w.id}, {"from", w.author_name}, {"text", w.text}, {"at", w.at}});
    out["whispers"] = std::move(whispers);
  }
  return {200, std::move(out)};
}

}  // namespace tact::gateway
