#include "relay/review_rows.hpp"

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

}  // namespace tact::gateway
