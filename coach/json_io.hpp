#pragma once
// JSON forms of the coach's values, as the command line and the gateway print them.
#include <nlohmann/json.hpp>

#include "annotator.hpp"

namespace tact::coach {

void to_json(nlohmann::json& j, const Span& s);
void to_json(nlohmann::json& j, const Annotation& a);  // {"acts","rules","spans"}

// Dumps without throwing on invalid UTF-8 (replaced by U+FFFD).
std::string dump(const nlohmann::json& j);

}  // namespace tact::coach
