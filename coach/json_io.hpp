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

#include "conversation.hpp"

namespace tact::coach {

void to_json(nlohmann::json& j, const Flag& f);           // {"kind","begin"?,"end"?,"why","try_instead"}
void to_json(nlohmann::json& j, const StepState& s);      // {"step","status","message_id"?,"why"?}
void to_json(nlohmann::json& j, const HealthReason& r);   // {"delta","text"}
void to_json(nlohmann::json& j, const Health& h);         // {"score","reasons"}
void to_json(nlohmann::json& j, const Suggestion& s);     // {"step","text"}
void to_json(nlohmann::json& j, const Details& d);        // only the known details
void to_json(nlohmann::json& j, const MessageResult& m);  // {"acts","rules","spans","flags","sentiment"?}

// {"checklist": {"<step>": "missing|done|spoiled"}, "steps": [StepState...], "round", "details",
//  "sentiment": last or null, "sentiment_history", "trend", "escalated", "waiting_ms", "health",
//  "suggestions"}
void to_json(nlohmann::json& j, const Snapshot& s);

}  // namespace tact::coach
