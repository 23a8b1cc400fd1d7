#include "rules/rule_preview.hpp"

#include <algorithm>
#include <set>

#include "conversation.hpp"

namespace tact::gateway {
namespace {

PreviewOutcome outcome(const coach::MessageResult& r) {
  std::set<std::string> kinds;
  for (const auto& f : r.flags) kinds.insert(f.kind);
  return {r.annotation.acts, {kinds.begin(), kinds.end()}};
}

// a - b, both sorted or in the vocabulary's order (small: a few acts per message).
std::vector<std::string> minus(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  std::vector<std::string> out;
  for (const auto& x : a)
    if (std::find(b.begin(), b.end(), x) == b.end()) out.push_back(x);
  return out;
}

void count(std::map<std::string, ActCount>& counts, const std::vector<std::string>& added, const std::vector<std::string>& removed) {
  for (const auto& a : added) counts[a].added++;
  for (const auto& r : removed) counts[r].removed++;
}

}  // namespace

PreviewResult preview_diff(const coach::RuleSet& live, const coach::RuleSet& draft,
                           const std::vector<PreviewConversation>& conversations, std::size_t max_changes) {
  PreviewResult out;
  for (const auto& c : conversations) {
    ++out.conversations;
    coach::Conversation with_live, with_draft;
    for (const auto& m : c.messages) {
      ++out.messages;
      const coach::Event e{m.role, m.text, m.at, m.id};
      auto a = outcome(with_live.apply(live, e));
      auto b = outcome(with_draft.apply(draft, e));
      if (a.acts == b.acts && a.flags == b.flags) continue;
      PreviewChange ch{c.source, c.id, m.id, m.role, m.text, std::move(a), std::move(b), {}, {}, {}, {}};
      ch.acts_added = minus(ch.draft.acts, ch.live.acts);
      ch.acts_removed = minus(ch.live.acts, ch.draft.acts);
      ch.flags_added = minus(ch.draft.flags, ch.live.flags);
      ch.flags_removed = minus(ch.live.flags, ch.draft.flags);
      ++out.changed;
      count(out.acts, ch.acts_added, ch.acts_removed);
      count(out.flags, ch.flags_added, ch.flags_removed);
      if (out.changes.size() < max_changes) out.changes.push_back(std::move(ch));
      else out.truncated = true;
    }
  }
  return out;
}

void to_json(nlohmann::json& j, const PreviewResult& r) {
  using nlohmann::json;
  json changes = json::array();
  for (const auto& c : r.changes)
    changes.push_back(json{{"source", c.source},
                           {"conversation", c.conversation},
                           {"message_id", c.message_id},
                           {"role", coach::to_string(c.role)},
                           {"text", c.text},
                           {"live", {{"acts", c.live.acts}, {"flags", c.live.flags}}},
                           {"draft", {{"acts", c.draft.acts}, {"flags", c.draft.flags}}},
                           {"acts_added", c.acts_added},
                           {"acts_removed", c.acts_removed},
                           {"flags_added", c.flags_added},
                           {"flags_removed", c.flags_removed}});
  auto counts = [](const std::map<std::string, ActCount>& m) {
    json o = json::object();
    for (const auto& [k, v] : m) o[k] = json{{"added", v.added}, {"removed", v.removed}};
    return o;
  };
  j = json{{"conversations", r.conversations}, {"messages", r.messages}, {"changed", r.changed},
           {"truncated", r.truncated}, {"acts", counts(r.acts)}, {"flags", counts(r.flags)}, {"changes", std::move(changes)}};
}

}  // namespace tact::gateway
