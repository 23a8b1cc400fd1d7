#include "relay/access.hpp"

namespace tact::gateway {
namespace {

AccessDecision allow() { return {true, 200, {}, {}}; }

AccessDecision unknown(const std::string& id) {
  return {false, 404, "unknown_conversation", "no conversation \"" + id.substr(0, 64) + "\" that you may use"};
}

AccessDecision closed(const std::string& id) {
  return {false, 409, "conversation_closed", "conversation \"" + id + "\" was closed"};
}

bool is_staff(const Identity& who) { return who.role == UserRole::supervisor || who.role == UserRole::admin; }
bool is_customer_of(const Identity& who, const ConversationFacts& c) {
  return who.role == UserRole::customer && c.channel == "ws" && !c.customer.empty() && c.customer == who.sub;
}
bool is_agent_of(const Identity& who, const ConversationFacts& c) {
  return who.role == UserRole::agent && !c.agent.empty() && c.agent == who.sub;
}

// "chatwoot:<integration>:<id>": written only by that integration's webhook (integrations/).
bool is_integration_id(const std::string& id) { return id.starts_with("chatwoot:"); }

AccessDecision integration_only(const std::string& id) {
  return {false, 403, "integration_conversation",
          "conversation \"" + id.substr(0, 64) + "\" is written by its chat platform's webhook, not over this API"};
}

}  // namespace

AccessDecision decide(const Identity& who, Access what, const std::string& id, const ConversationFacts* c) {
  // An agent token (a platform's agent's) reads an integration's conversation; only the
  // platform writes it, through its signed webhook.
  if (what == Access::post_event && who.role == UserRole::agent && is_integration_id(id)) return integration_only(id);
  if (!c) {
    if (what == Access::post_event && who.role != UserRole::customer) return allow();  // opens it
    return unknown(id);
  }
  const bool sees = is_staff(who) || is_agent_of(who, *c) || is_customer_of(who, *c);
  if (!sees) return unknown(c->id);
  // The two that come after the close.
  if (what == Access::review) {
    if (is_customer_of(who, *c))
      return {false, 403, "review_for_staff", "the review of conversation \"" + c->id + "\" is for its agent and supervisors; rate the chat instead"};
    return allow();
  }
  if (what == Access::rate) {
    if (!is_customer_of(who, *c)) return unknown(c->id);
    if (c->open)
      return {false, 409, "conversation_open", "conversation \"" + c->id + "\" is still open; rate it once it is closed"};
    return allow();
  }
  if (what == Access::feedback) {
    if (!is_agent_of(who, *c))
      return {false, 403, "feedback_by_agent", "feedback on the coach of conversation \"" + c->id + "\" comes from its agent"};
    return allow();
  }
  if (what == Access::lesson) {
    if (!is_staff(who))
      return {false, 403, "lessons_by_staff", "lessons are written by supervisors and admins; ask yours to write one"};
    if (c->open)
      return {false, 404, "not_closed", "conversation \"" + c->id + "\" is still open; write its lesson once it is closed and reviewed"};
    return allow();
  }
  switch (what) {
    case Access::read: return allow();
    case Access::message:
      if (!is_customer_of(who, *c) && !is_agent_of(who, *c)) return unknown(c->id);
      break;
    case Access::draft:
      if (!is_agent_of(who, *c)) return unknown(c->id);
      break;
    case Access::close:
      if (!is_customer_of(who, *c) && !is_agent_of(who, *c) && !is_staff(who)) return unknown(c->id);
      break;
    case Access::whisper:
      if (!is_staff(who)) return unknown(c->id);
      break;
    case Access::review:
    case Access::rate:
    case Access::feedback:
    case Access::lesson: break;  // decided above
    case Access::post_event:
      if (who.role == UserRole::customer) return unknown(c->id);
      // A live chat is written by its own customer and agent over /ws, never over HTTP: anyone
      // else could speak for the customer there.
      if (c->channel != "api")
        return {false, 409, "wrong_channel",
                "conversation \"" + c->id + "\" is a live WebSocket chat; its customer and agent write to it over /ws"};
      break;
  }
  if (!c->open) return closed(c->id);
  return allow();
}

AccessDecision decide_insights(const Identity& who, const std::string& agent) {
  if (is_staff(who)) return allow();
  if (who.role == UserRole::agent && (agent.empty() || agent == who.sub)) return allow();
  if (who.role == UserRole::agent)
    return {false, 403, "own_insights_only", "an agent sees only their own insights: leave out \"agent\" or use agent=" + who.sub.substr(0, 64)};
  return {false, 403, "staff_only", "insights are for agents, supervisors and admins"};
}

}  // namespace tact::gateway
