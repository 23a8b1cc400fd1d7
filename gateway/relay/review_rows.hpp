#pragma once
// Stored reviews as coach/insights.hpp reads them (for GET /api/insights and `tact report`), and
// the review of a stored conversation (at its close, on start, and by `tact data redact`).
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "insights.hpp"
#include "review.hpp"
#include "store/store.hpp"

namespace tact::gateway {

// The reviews of conversations closed in [from, to), with their ratings; only `agent`'s when it is
// not empty. A review that is not a JSON object (a rating stored without its review) is left out.
std::vector<coach::ReviewRow> review_rows(Store& store, std::int64_t from, std::int64_t to, const std::string& agent);

// The review of conversation `id` as stored, at `closed_at`; each message's text through `view`
// first when given (what redaction will leave). nullopt when the conversation is not stored.
std::optional<coach::Review> review_stored(Store& store, const coach::RuleSet& rules, const std::string& id, std::int64_t closed_at,
                                           const std::function<void(std::string&)>& view = {});

}  // namespace tact::gateway
