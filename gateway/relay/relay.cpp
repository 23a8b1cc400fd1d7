// Client frames: message, draft, close, whisper, subscribe.
#include "relay/relay.hpp"
#include "relay/recovery.hpp"

#include <chrono>
#include <climits>

#include "protocol/coach_frames.hpp"
#include "protocol/server_events.hpp"
#include "json_io.hpp"
#include "obs/log.hpp"
#include "store/store_error.hpp"

namespace tact::gateway {

using nlohmann::json;

namespace {

}  // namespace

bool is_gateway_id(std::string_view id) {
  return id.size() > 1 && id[0] == 'c' && id.find_first_not_of("0123456789", 1) == std::string_view::npos;
}

Relay::Relay(Hub& hub, Store& store, Metrics& metrics, RulesRef rules, Clock now_ms, RelayLimits limits)
    : hub_(hub), store_(store), metrics_(metrics), rules_(std::move(rules)), now_(std::move(now_ms)), limits_(limits) {}

RulesRef Relay::rules() const {
  std::lock_guard lock(rules_mutex_);
  return rules_;
}

// Never one that is stored: hosts may not open c<digits> ids (is_gateway_id), and recover()
// starts after the largest stored one, but an old data dir may hold anything. (Runs under the
// hub's lock, which skips ids it holds itself: it must not call the hub.)
std::string Relay::next_conversation_id() {
  for (;;) {
    std::int64_t n = next_id_++;
    if (n >= id_block_end_) {  // a store shared by several nodes hands out blocks
      if (auto first = store_.reserve_conversation_ids()) {
        n = *first;
        next_id_ = n + 1;
        id_block_end_ = n + 100;
      } else {
        id_block_end_ = INT64_MAX;
      }
    }
    std::string id = "c" + std::to_string(n);
    if (!store_.conversation(id)) return id;
  }
}

std::optional<ConversationFacts> Relay::facts(const std::string& id) {
  if (auto v = hub_.find(id)) return ConversationFacts{id, v->live->channel, v->live->customer, v->agent, v->open};
  if (auto c = store_.conversation(id)) return ConversationFacts{id, c->channel, c->customer, c->agent, !c->closed_at};
  return std::nullopt;
}

void Relay::deliver(const std::string& conversation, const std::vector<Delivery>& frames, const Identity* author) {
  hub_.deliver(conversation, frames, author);
  if (bus_) fan_out(conversation, frames, author);
}

void Relay::refuse(Peer& peer, const FrameError& e) {
  metrics_.count_error(e.code);
  peer.send(make_frame(error_event(e)));
}

void Relay::connected(const std::shared_ptr<Peer>& peer) {
  // An agent's connection may take queued conversations: `hello` goes first, then `assigned`.
  std::vector<std::pair<std::string, std::string>> assignments;
  hub_.add(peer, [&assignments](const std::string& c, const std::string& a) { assignments.emplace_back(c, a); });
  const auto& who = peer->who();
  metrics_.connections[static_cast<int>(who.role)]++;
  peer->send(make_frame(hello_event(who, rules().version, limits_.max_message, bus_ ? visible_in_store(who) : hub_.visible_to(who))));
  for (const auto& [c, a] : assignments) announce_assignment(c, a);
  if (bus_) user_here(who, +1);  // after `hello`: listens to this user's channel, counts an agent cluster-wide
}

void Relay::disconnected(const Peer* peer) {
  hub_.remove(peer);
  if (bus_) user_here(peer->who(), -1);
  metrics_.connections[static_cast<int>(peer->who().role)]--;
}

void Relay::announce_assignment(const std::string& conversation, const std::string& agent) {
  if (agent.empty()) return;
  auto view = hub_.find(conversation);
  if (!view) return;
  store_.assign(conversation, agent, [](std::error_code ec) {
    if (ec) log_event("store_failed", {{"what", "assign"}});
  });
  log_event("conversation_assigned", {{"conversation", conversation}, {"agent", agent}});
  send_to_user({UserRole::agent, agent, {}}, make_frame(assigned_event(conversation, view->live->customer_name)));
}

void Relay::handle(const std::shared_ptr<Peer>& peer, const ClientFrame& f) {
  if (auto e = check_role(f, peer->who().role)) return refuse(*peer, *e);
  // A rating and feedback on the coach touch only the store: any node takes them.
  const bool store_only = f.type == FrameType::rating || f.type == FrameType::feedback;
  if (bus_ && f.type != FrameType::subscribe && !store_only) {  // a cluster: the conversation may be another node's
    ClientFrame routed = f;
    if (route(peer, routed)) dispatch(peer, routed);
    return;
  }
  dispatch(peer, f);
}

void Relay::dispatch(const std::shared_ptr<Peer>& peer, const ClientFrame& f) {
  switch (f.type) {
    case FrameType::message: return on_message(peer, f);
    case FrameType::draft: return on_draft(peer, f);
    case FrameType::close: return on_close(peer, f);
    case FrameType::whisper: return on_whisper(peer, f);
    case FrameType::subscribe: return on_subscribe(peer);
    case FrameType::rating: return on_rating(peer, f);
    case FrameType::feedback: return on_feedback(peer, f);
  }
}

std::optional<ConversationView> Relay::writable(Peer& peer, Access what, const std::string& id, const json& ref) {
  auto view = hub_.find(id);
  // Not in memory: a conversation closed before a restart (or none). Either way nothing to write.
  std::optional<ConversationFacts> known;
  if (view) known = ConversationFacts{id, view->live->channel, view->live->customer, view->agent, view->open};
  else known = facts(id);
  auto decision = decide(peer.who(), what, id, known ? &*known : nullptr);
  if (decision && !view) decision = {false, 409, "conversation_closed", "conversation \"" + id + "\" was closed"};
  if (!decision) {
    refuse(peer, {decision.code, decision.message, ref});
    return std::nullopt;
  }
  return view;
}

Relay::Applied Relay::apply(const ConversationView& view, const Identity& author, coach::Role role, std::string text,
                            std::int64_t at, std::string client_id, AfterStore after) {
  auto& live = *view.live;
  const auto rules = this->rules();
  std::lock_guard lock(live.mutex);
  if (!live.open) return {Applied::closed, {}};
  if (live.needs_rebuild && live.pending == 0) {
    // After a failed write: back to the conversation as the store has it (what a restart rebuilds).
    std::string error;
    if (!replay_messages(store_, live, *rules.set, error)) log_event("replay_failed", {{"conversation", live.id}, {"error", error}});
    store_.open_conversation({live.id, live.customer, live.customer_name, view.agent, live.channel, at, std::nullopt},
                             [](std::error_code) {});  // INSERT OR IGNORE: in case the first one failed
  }
  if (const auto* earlier = client_id.empty() ? nullptr : live.find_sent(author.sub, client_id))
    return {Applied::duplicate, *earlier};
  Stored out;
  out.conversation = live.id;
  out.seq = ++live.seq;
  out.id = live.id + "-" + std::to_string(out.seq);
  const auto t0 = std::chrono::steady_clock::now();
  const auto result = live.coach.apply(*rules.set, coach::Event{role, text, at, out.id, live.customer_name});
  const auto snap = live.coach.snapshot(*rules.set, at);
  metrics_.coach_seconds.observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  // Written once: the stored copy and the coach event share the text (the event adds "type").
  std::string payload_text = coach_payload(live.id, out.id, role, result, snap, rules.version);
  out.coach = make_frame(coach_event(payload_text));
  out.message = make_frame(message_event(live.id, out.id, out.seq, role, author.name, text, at));
  // What is stored and what supervisors see: redacted (the coach above saw the original).
  if (limits_.redact != RedactMode::off) {
    if (auto red = redact_coached(rules.set->redactor(), text, live.id, out.id, role, result, snap, rules.version)) {
      out.message_redacted = make_frame(message_event(live.id, out.id, out.seq, role, author.name, red->text, at));
      out.coach_redacted = make_frame(coach_event(red->payload));
      text = std::move(red->text);
      payload_text = std::move(red->payload);
    }
  }
  if (snap.health != live.last_health) {
    live.last_health = snap.health;
    out.health = make_frame(supervisor_health(live.id, snap, view.agent, *rules.set));
  }
  live.remember_sent({author.sub, client_id, out.id, out.seq, false});
  MessageRecord rec{live.id, out.id, out.seq, std::string(coach::to_string(role)), author.sub, author.name,
                    std::move(text), at, std::move(client_id), std::move(payload_text), rules.version};
  ++live.pending;
  store_.append_message(std::move(rec), [conv = view.live, out = std::move(out), after = std::move(after)](std::error_code ec) {
    {
      std::lock_guard l(conv->mutex);
      --conv->pending;
      if (ec) conv->needs_rebuild = true;
      conv->sent_done(out.id, !ec);
    }
    after(ec, out);
  });
  return {};
}

void Relay::on_message(const std::shared_ptr<Peer>& peer, const ClientFrame& f) {
  const auto& who = peer->who();
  const json ref = f.client_id;
  std::optional<ConversationView> view;
  if (who.role == UserRole::customer && f.conversation.empty()) {
    bool created = false;
    view = hub_.customer_conversation(
        who, [&] { return std::make_shared<LiveConversation>(next_conversation_id(), "ws", who.sub, who.name); },
        [&](const ConversationView& v) {
          store_.open_conversation({v.live->id, who.sub, who.name, v.agent, "ws", now_(), std::nullopt}, [live = v.live](std::error_code ec) {
            if (!ec) return;
            log_event("store_failed", {{"what", "open"}, {"conversation", live->id}});
            std::lock_guard l(live->mutex);
            live->needs_rebuild = true;
          });
          log_event("conversation_opened", {{"conversation", v.live->id}, {"customer", who.sub}, {"agent", v.agent}});
          created = true;
        });
    if (created && bus_) bus_->hold(view->live->id);
    if (!view->agent.empty() && view->live->seq == 0) announce_assignment(view->live->id, view->agent);
  } else if (f.conversation.empty()) {
    return refuse(*peer, {"missing_field", "\"conversation\" is required for an agent's message", ref});
  } else {
    view = writable(*peer, Access::message, f.conversation, ref);
    if (!view) return;
  }
  const auto role = who.role == UserRole::customer ? coach::Role::customer : coach::Role::agent;
  // The ack (or the failure) goes to every connection of the author: one that reconnected and
  // resent the message meanwhile gets it too.
  auto after = [this, who, client_id = f.client_id, role](std::error_code ec, const Stored& s) {
    const std::string& conv = s.conversation;
    if (ec == StoreError::constraint) {
      // A resend of a message stored before this node knew of it (a node that died between its
      // write and the ack, or one older than the last kRecentSent): acknowledged as stored.
      if (auto earlier = stored_with_client_id(conv, who.sub, client_id)) {
        log_event("message_repeated", {{"conversation", conv}, {"id", earlier->id}, {"client_id", client_id}});
        return send_to_user(who, make_frame(ack_event(client_id, conv, earlier->id, earlier->seq)));
      }
    }
    if (ec) {
      log_event("store_failed", {{"what", "message"}, {"conversation", conv}, {"id", s.id}});
      metrics_.count_error("store_failed");
      send_to_user(who, make_frame(error_event({"store_failed", "the message could not be stored; send it again", client_id})));
      return;
    }
    metrics_.messages[role == coach::Role::customer ? 0 : 1]++;
    std::vector<Delivery> frames{{make_frame(ack_event(client_id, conv, s.id, s.seq)), to_author}};
    add_views(frames, limits_.redact, s.message, s.message_redacted, to_all);
    add_views(frames, limits_.redact, s.coach, s.coach_redacted, to_staff);
    if (s.health) frames.push_back({s.health, to_supervisors});
    deliver(conv, frames, &who);
  };
  const auto applied = apply(*view, who, role, f.text, now_(), f.client_id, std::move(after));
  if (applied.what == Applied::closed)
    return refuse(*peer, {"conversation_closed", "conversation \"" + view->live->id + "\" was closed", ref});
  if (applied.what == Applied::duplicate) {
    log_event("message_repeated", {{"conversation", view->live->id}, {"id", applied.earlier.id}, {"client_id", f.client_id}});
    // Stored: acknowledged again. Still queued: its ack reaches this connection too when stored.
    if (applied.earlier.stored)
      peer->send(make_frame(ack_event(f.client_id, view->live->id, applied.earlier.id, applied.earlier.seq)));
  }
}

std::optional<MessageRecord> Relay::stored_with_client_id(const std::string& conversation, const std::string& author,
                                                          const std::string& client_id) {
  if (client_id.empty()) return std::nullopt;
  for (auto& m : store_.messages(conversation))
    if (m.client_id == client_id && m.author == author) return std::move(m);
  return std::nullopt;
}

void Relay::on_draft(const std::shared_ptr<Peer>& peer, const ClientFrame& f) {
  auto view = writable(*peer, Access::draft, f.conversation, "draft");
  if (!view) return;
  const auto rules = this->rules();
  std::vector<coach::Flag> flags;
  {
    std::lock_guard lock(view->live->mutex);
    flags = view->live->coach.check_draft(*rules.set, f.text, now_());
  }
  peer->send(make_frame(draft_check_event(f.conversation, flags)));
}

void Relay::on_close(const std::shared_ptr<Peer>& peer, const ClientFrame& f) {
  auto view = writable(*peer, Access::close, f.conversation, "close");
  if (view) close_conversation(*view, peer->who().sub);
}

void Relay::close_conversation(const ConversationView& view, const std::string& by, std::optional<std::int64_t> when) {
  const auto at = when.value_or(now_());
  const std::string id = view.live->id;
  {
    std::lock_guard lock(view.live->mutex);
    if (!view.live->open) return;
    view.live->open = false;
    hub_.close(id);
    // `closed` goes out once the review is stored: a client that asks for it then finds it.
    store_.close_conversation(id, at, [this, id, at, agent = view.agent](std::error_code ec) {
      auto announce = [this, id, at] { deliver(id, {{make_frame(closed_event(id, at)), to_all}}, nullptr); };
      if (ec) {
        log_event("store_failed", {{"what", "close"}, {"conversation", id}});
        return announce();
      }
      review_closed(id, agent, at, announce);
    });
  }
  if (view.live->channel == "api") {
    std::lock_guard lock(api_mutex_);
    if (auto it = api_opener_.find(id); it != api_opener_.end()) {
      if (auto n = api_open_.find(it->second); n != api_open_.end() && --n->second == 0) api_open_.erase(n);
      api_opener_.erase(it);
    }
  }
  log_event("conversation_closed", {{"conversation", id}, {"by", by}});
}

void Relay::on_whisper(const std::shared_ptr<Peer>& peer, const ClientFrame& f) {
  auto view = writable(*peer, Access::whisper, f.conversation, "whisper");
  if (!view) return;
  const auto& who = peer->who();
  // A whisper is stored and shown to staff only: redacted unless --redact off.
  WhisperRecord rec{f.conversation, {}, who.sub, who.name,
                    limits_.redact == RedactMode::off ? f.text : rules().set->redactor().redact_text(f.text), now_()};
  {
    std::lock_guard lock(view->live->mutex);
    rec.id = f.conversation + "-w" + std::to_string(++view->live->whispers);
  }
  auto frame = make_frame(whisper_event(rec.conversation, rec.id, rec.author_name, rec.text, rec.at));
  std::weak_ptr<Peer> sender = peer;
  store_.append_whisper(std::move(rec), [this, sender, frame, id = f.conversation](std::error_code ec) {
    auto p = sender.lock();
    if (ec) {
      if (p) refuse(*p, {"store_failed", "the whisper could not be stored; send it again", "whisper"});
      return;
    }
    deliver(id, {{frame, to_staff}}, nullptr);
    if (p && !subscribed(p.get())) p->send(frame);
  });
}

std::string Relay::supervisor_health(const std::string& conversation, coach::Snapshot snap, const std::string& agent,
                                     const coach::RuleSet& rules) const {
  if (limits_.redact != RedactMode::off) redact_quotes(rules.redactor(), snap);
  return health_event(conversation, snap, agent, true);
}

Frames Relay::board_pages() {
  const auto rules = this->rules();
  const auto now = now_();
  std::vector<std::string> events;
  for (const auto& v : hub_.open_conversations()) {
    std::lock_guard lock(v.live->mutex);
    events.push_back(supervisor_health(v.live->id, v.live->coach.snapshot(*rules.set, now), v.agent, *rules.set));
  }
  Frames pages;
  for (auto& page : health_pages(events, limits_.health_page)) pages.push_back(std::move(page));
  return pages;
}

void Relay::on_subscribe(const std::shared_ptr<Peer>& peer) {
  hub_.subscribe(peer);
  if (bus_) request_board(peer->who());
  if (auto pages = board_pages(); !pages.empty()) peer->send(std::move(pages));
}

}  // namespace tact::gateway
