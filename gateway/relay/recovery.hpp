#pragma once
// The one replay loop: a conversation's coaching state rebuilt from its stored messages, in seq
// order. Used on start (Relay::recover), when a cluster node adopts a conversation (Relay::adopt),
// and after a failed write (the state goes back to what the store holds). Runs on the caller's
// thread, under the conversation's lock when it is live.
#include <cstddef>
#include <optional>
#include <string>

#include "relay/live_conversation.hpp"
#include "rule_set.hpp"
#include "store/store.hpp"

namespace tact::gateway {

// Resets `live`'s coach, seq and resend memory, then applies every stored message. The number of
// messages applied; nullopt with `error` at a message whose role is unknown (a damaged store).
std::optional<std::size_t> replay_messages(Store& store, LiveConversation& live, const coach::RuleSet& rules,
                                           std::string& error);

}  // namespace tact::gateway
