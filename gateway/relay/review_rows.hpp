#pragma once
// Stored reviews as coach/insights.hpp reads them: for GET /api/insights and `tact report`.
#include <cstdint>
#include <string>
#include <vector>

#include "insights.hpp"
#include "store/store.hpp"

namespace tact::gateway {

// The reviews of conversations closed in [from, to), with their ratings; only `agent`'s when it is
// not empty. A review that is not a JSON object (a rating stored without its review) is left out.
std::vector<coach::ReviewRow> review_rows(Store& store, std::int64_t from, std::int64_t to, const std::string& agent);

}  // namespace tact::gateway
