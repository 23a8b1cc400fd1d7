#include "relay/recovery.hpp"

namespace tact::gateway {

std::optional<std::size_t> replay_messages(Store& store, LiveConversation& live, const coach::RuleSet& rules,
                                           std::string& error) {
  live.coach = coach::Conversation{};
  live.seq = 0;
  live.recent_sent.clear();
  std::size_t applied = 0;
  for (const auto& m : store.messages(live.id)) {
    auto role = coach::parse_role(m.role);
    if (!role) {
      error = "message " + m.id + " has an unknown role \"" + m.role + "\"";
      return std::nullopt;
    }
    live.coach.apply(rules, coach::Event{*role, m.text, m.at, m.id, live.customer_name});
    live.seq = m.seq;
    live.remember_sent({m.author, m.client_id, m.id, m.seq, true});  // for a client's resend after a restart
    ++applied;
  }
  live.needs_rebuild = false;
  return applied;
}

}  // namespace tact::gateway
