#pragma once
// JSON forms of the coach's values, as the command line and the gateway print them. Each form is
// written once, by write_json into a JsonWriter (the gateway's hot path); the nlohmann::json
// conversions (the command line, tests) parse that same text, so the two never disagree.
#include <nlohmann/json.hpp>

#include "annotator.hpp"
#include "json_writer.hpp"

namespace tact::coach {

void write_json(JsonWriter& w, const Span& s);        // {"begin","end","act","rule"}
void write_json(JsonWriter& w, const Annotation& a);  // {"acts","rules","spans"}

void to_json(nlohmann::json& j, const Span& s);
void to_json(nlohmann::json& j, const Annotation& a);

// Dumps without throwing on invalid UTF-8 (replaced by U+FFFD).
std::string dump(const nlohmann::json& j);

template <class T>
void write_json(JsonWriter& w, const std::vector<T>& items) {
  w.begin_array();
  for (const auto& item : items) write_json(w, item);
  w.end_array();
}
inline void write_json(JsonWriter& w, const std::string& s) { w.value(s); }
inline void write_json(JsonWriter& w, double d) { w.value(d); }

// "key": value, for anything write_json writes.
template <class T>
void write_field(JsonWriter& w, std::string_view key, const T& value) {
  w.key(key);
  write_json(w, value);
}

// The nlohmann form of anything write_json writes.
template <class T>
nlohmann::json to_json_value(const T& value) {
  JsonWriter w;
  write_json(w, value);
  return nlohmann::json::parse(w.str());
}

}  // namespace tact::coach

#include "conversation.hpp"

namespace tact::coach {

void write_json(JsonWriter& w, const Flag& f);           // {"kind","rule","begin"?,"end"?,"why","try_instead"}
void write_json(JsonWriter& w, const StepState& s);      // {"step","status","message_id"?,"why"?}
void write_json(JsonWriter& w, const HealthReason& r);   // {"delta","text"}
void write_json(JsonWriter& w, const Health& h);         // {"score","reasons"}
void write_json(JsonWriter& w, const Suggestion& s);     // {"step","text","template"}
void write_json(JsonWriter& w, const Details& d);        // only the known details
void write_json(JsonWriter& w, const MessageResult& m);  // {"acts","rules","spans","flags","sentiment"?}
// {"checklist": {"<step>": "missing|done|spoiled"}, "steps": [StepState...], "round", "details",
//  "sentiment": last or null, "sentiment_history", "trend", "escalated", "waiting_ms", "health",
//  "suggestions", "cause"}
void write_json(JsonWriter& w, const Snapshot& s);
// {"id","label"} of the open complaint's cause, or null while none is open.
void write_cause(JsonWriter& w, const Snapshot& s);

void to_json(nlohmann::json& j, const Flag& f);
void to_json(nlohmann::json& j, const StepState& s);
void to_json(nlohmann::json& j, const HealthReason& r);
void to_json(nlohmann::json& j, const Health& h);
void to_json(nlohmann::json& j, const Suggestion& s);
void to_json(nlohmann::json& j, const Details& d);
void to_json(nlohmann::json& j, const MessageResult& m);
void to_json(nlohmann::json& j, const Snapshot& s);

}  // namespace tact::coach
