#include "relay/review_rows.hpp"

#include "role.hpp"

namespace tact::gateway {

std::vector<coach::ReviewRow> review_rows(Store& store, std::int64_t from, std::int64_t to, const std::string& agent) {
  std::vector<coach::ReviewRow> rows;
  for (auto& r : store.reviews(from, to)) {
    if (!agent.empty() && r.agent != agent) continue;
    auto review = nlohmann::json::parse(r.review_json, nullptr, false);
    if (!review.is_object()) continue;
    std::optional<coach::RatingValue> rating;
    if (r.rating) rating = coach::RatingValue{r.rating->score, r.rating->comment, r.rating->at};
    rows.push_back({r.conversation, r.agent, r.closed_at, std::move(review), std::move(rating)});
  }
  return rows;
}

std::optional<coach::Review> review_stored(Store& store, const coach::RuleSet& rules, const std::string& id, std::int64_t closed_at,
                                           const std::function<void(std::string&)>& view) {
  const auto stored = store.conversation(id);
  if (!stored) return std::nullopt;
  std::vector<coach::Event> events;
  for (auto& m : store.messages(id)) {
    if (view) view(m.text);
    events.push_back({coach::parse_role(m.role).value_or(coach::Role::customer), std::move(m.text), m.at, std::move(m.id),
                      stored->customer_name});
  }
  return coach::review_conversation(rules, events, closed_at);
}

}  // namespace tact::gateway
