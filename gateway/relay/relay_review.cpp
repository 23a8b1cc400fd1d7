// After the close (issue 22): the review of each closed conversation, the customer's rating, and
// team insights over stored reviews. The coach does the reviewing (coach/review.hpp) and the
// aggregation (coach/insights.hpp); this file reads and writes the store and decides nothing about
// access itself (relay/access.hpp does).
#include <algorithm>
#include <exception>
#include <optional>
#include <stdexcept>

#include "insights.hpp"
#include "json_io.hpp"
#include "obs/log.hpp"
#include "protocol/server_events.hpp"
#include "relay/relay.hpp"
#include "relay/review_rows.hpp"
#include "review.hpp"

namespace tact::gateway {

using nlohmann::json;

namespace {

json rating_json(const std::optional<RatingRecord>& r) {
  if (!r) return nullptr;
  return {{"score", r->score}, {"comment", r->comment}, {"at", r->at}};
}

}  // namespace

std::optional<ReviewRecord> Relay::make_review(const std::string& id, const std::string& agent, std::int64_t at) {
  try {
    const auto rules = this->rules();
    const auto found = review_stored(store_, *rules.set, id, at);
    // Gone already: erased (DELETE /api/data/customers/{sub} closes, then erases). Nothing to review.
    if (!found) throw std::runtime_error("the conversation is no longer stored");
    const auto& review = *found;
    const auto missed = std::count_if(review.steps.begin(), review.steps.end(), [](const coach::ReviewStep& s) { return s.status != "done"; });
    log_event("conversation_reviewed", {{"conversation", id}, {"cause", review.root_cause.id}, {"outcome", review.outcome.result},
                                        {"missed", static_cast<std::int64_t>(missed)}});
    return ReviewRecord{id, agent, at, rules.version, coach::dump(coach::review_json(review)), std::nullopt};
  } catch (const std::exception& e) {
    log_event("review_failed", {{"conversation", id}, {"error", e.what()}});
    return std::nullopt;
  }
}

void Relay::review_closed(const std::string& id, const std::string& agent, std::int64_t at, std::function<void()> then) {
  // Contained: whatever goes wrong with the review, `closed` still goes out.
  auto rec = make_review(id, agent, at);
  if (!rec) return then();
  store_.save_review(std::move(*rec), [id, then = std::move(then)](std::error_code ec) {
    if (ec) log_event("store_failed", {{"what", "review"}, {"conversation", id}, {"kind", ec.message()}});
    then();
  });
}

void Relay::review_backlog() {
  std::size_t reviewed = 0;
  for (const auto& c : store_.closed_without_review(kReviewBacklog)) {
    auto rec = make_review(c.id, c.agent, c.closed_at.value_or(0));
    if (!rec) continue;
    ++reviewed;
    store_.save_review(std::move(*rec), [id = c.id](std::error_code ec) {
      if (ec) log_event("store_failed", {{"what", "review"}, {"conversation", id}, {"kind", ec.message()}});
    });
  }
  if (reviewed == 0) return;
  store_.flush();  // stored before the server listens: a review asked for at once is there
  log_event("reviews_caught_up", {{"conversations", reviewed}});
}

EventResult Relay::review(const Identity& who, const std::string& id) {
  auto known = facts(id);
  if (auto d = decide(who, Access::review, id, known ? &*known : nullptr); !d) return refusal(d);
  if (known->open)
    return {404, {{"error", "not_closed"}, {"message", "conversation \"" + id + "\" is still open; its review is made when it closes"}}};
  auto stored = store_.review(id);
  if (!stored)
    return {404, {{"error", "no_review"},
                  {"message", "no review is stored for conversation \"" + id +
                                  "\": it closed before reviews existed, or its review could not be stored (see the server log)"}}};
  json out = json::parse(stored->review_json, nullptr, false);
  if (!out.is_object()) return {500, {{"error", "bad_review"}, {"message", "the stored review of \"" + id + "\" cannot be read"}}};
  const auto conv = store_.conversation(id);
  out["conversation"] = id;
  out["agent"] = stored->agent;
  out["customer"] = conv ? conv->customer_name : "";
  out["closed_at"] = stored->closed_at;
  out["rules_version"] = stored->rules_version;
  out["rating"] = rating_json(stored->rating);
  return {200, std::move(out)};
}

EventResult Relay::insights(const Identity& who, std::int64_t from, std::int64_t to, const std::string& agent) {
  if (auto d = decide_insights(who, agent); !d) return refusal(d);
  // An agent asking without naming anyone gets their own.
  const std::string only = who.role == UserRole::agent ? who.sub : agent;
  auto out = coach::insights(review_rows(store_, from, to, only), from, to);
  out["agent"] = only;
  for (auto& r : out["recent"]) {
    const auto c = store_.conversation(r.value("conversation", ""));
    r["customer"] = c ? c->customer_name : "";
  }
  return {200, std::move(out)};
}

void Relay::on_rating(const std::shared_ptr<Peer>& peer, const ClientFrame& f) {
  const json ref = "rating";
  auto known = facts(f.conversation);
  if (auto d = decide(peer->who(), Access::rate, f.conversation, known ? &*known : nullptr); !d)
    return refuse(*peer, {d.code, d.message, ref});
  const bool replaced = store_.rating(f.conversation).has_value();
  // The comment is the customer's words: stored redacted like their messages (unless --redact off).
  RatingRecord rec{f.conversation, f.score,
                   limits_.redact == RedactMode::off ? f.comment : rules().set->redactor().redact_text(f.comment), now_()};
  auto frame = make_frame(rated_event(rec.conversation, rec.score, rec.comment, rec.at, replaced));
  std::weak_ptr<Peer> sender = peer;
  const std::string id = f.conversation;
  const int score = f.score;
  store_.save_rating(std::move(rec), [this, sender, frame, id, score, replaced](std::error_code ec) {
    auto p = sender.lock();
    if (ec) {
      log_event("store_failed", {{"what", "rating"}, {"conversation", id}});
      if (p) refuse(*p, {"store_failed", "the rating could not be stored; send it again", "rating"});
      return;
    }
    log_event("conversation_rated", {{"conversation", id}, {"score", score}, {"replaced", replaced}});
    if (p) p->send(frame);
  });
}

}  // namespace tact::gateway
