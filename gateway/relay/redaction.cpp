#include "relay/redaction.hpp"

#include "protocol/coach_frames.hpp"

namespace tact::gateway {

std::optional<RedactMode> parse_redact_mode(std::string_view s) {
  if (s == "off") return RedactMode::off;
  if (s == "store") return RedactMode::store;
  if (s == "all") return RedactMode::all;
  return std::nullopt;
}

std::string_view to_string(RedactMode m) {
  switch (m) {
    case RedactMode::off: return "off";
    case RedactMode::store: return "store";
    case RedactMode::all: return "all";
  }
  return "store";
}

bool redact_quotes(const coach::Redactor& redactor, coach::Snapshot& snap) {
  bool changed = false;
  auto redact = [&](std::string& text) {
    auto r = redactor.redact(text);
    if (!r.changed()) return;
    text = std::move(r.text);
    changed = true;
  };
  for (auto& reason : snap.health.reasons) redact(reason.text);
  for (auto& step : snap.checklist) redact(step.why);
  return changed;
}

std::optional<RedactedMessage> redact_coached(const coach::Redactor& redactor, const std::string& text,
                                              const std::string& conversation, const std::string& message_id, coach::Role role,
                                              const coach::MessageResult& result, const coach::Snapshot& snap,
                                              const std::string& rules_version) {
  if (redactor.empty()) return std::nullopt;
  auto red = redactor.redact(text);
  // Suggestions are templates filled with the details: they can only hold personal data that a
  // detail holds, so they are redacted only when a detail was.
  coach::Details details = snap.details;
  bool details_changed = false;
  for (auto* d : {&details.name, &details.order, &details.product, &details.problem}) {
    if (d->empty()) continue;
    auto r = redactor.redact(*d);
    if (!r.changed()) continue;
    *d = std::move(r.text);
    details_changed = true;
  }
  coach::Snapshot view = snap;
  // A reason may quote an earlier message: redacted even when this one had nothing to redact.
  const bool quotes_changed = redact_quotes(redactor, view);
  if (!red.changed() && !details_changed && !quotes_changed) return std::nullopt;
  coach::MessageResult mapped = result;
  for (auto& s : mapped.annotation.spans) {
    const auto m = red.map({s.begin, s.end});
    s.begin = m.begin;
    s.end = m.end;
  }
  for (auto& f : mapped.flags)
    if (f.span) f.span = red.map(*f.span);
  view.details = std::move(details);
  if (details_changed)
    for (auto& s : view.suggestions) s.text = redactor.redact_text(s.text);
  return RedactedMessage{std::move(red.text), coach_payload(conversation, message_id, role, mapped, view, rules_version)};
}

bool redact_stored(const coach::Redactor& redactor, std::string& text, std::string* coach_json) {
  auto red = redactor.redact(text);
  bool changed = red.changed();
  if (coach_json && !coach_json->empty()) {
    auto j = nlohmann::ordered_json::parse(*coach_json, nullptr, false);
    if (j.is_object()) {
      bool payload_changed = false;
      auto map_range = [&](nlohmann::ordered_json& o) {
        if (!red.changed() || !o.is_object() || !o.contains("begin") || !o.contains("end")) return;
        if (!o["begin"].is_number_unsigned() || !o["end"].is_number_unsigned()) return;
        const auto m = red.map({o["begin"].get<std::uint32_t>(), o["end"].get<std::uint32_t>()});
        o["begin"] = m.begin;
        o["end"] = m.end;
        payload_changed = true;
      };
      if (j.contains("spans") && j["spans"].is_array())
        for (auto& s : j["spans"]) map_range(s);
      if (j.contains("flags") && j["flags"].is_array())
        for (auto& f : j["flags"]) map_range(f);
      auto redact_field = [&](nlohmann::ordered_json& v) {
        if (!v.is_string()) return;
        auto r = redactor.redact(v.get_ref<const std::string&>());
        if (!r.changed()) return;
        v = std::move(r.text);
        payload_changed = true;
      };
      if (j.contains("details") && j["details"].is_object())
        for (auto& [k, v] : j["details"].items()) redact_field(v);
      if (j.contains("suggestions") && j["suggestions"].is_array())
        for (auto& s : j["suggestions"])
          if (s.is_object() && s.contains("text")) redact_field(s["text"]);
      if (j.contains("health") && j["health"].is_object() && j["health"].contains("reasons") && j["health"]["reasons"].is_array())
        for (auto& r : j["health"]["reasons"])
          if (r.is_object() && r.contains("text")) redact_field(r["text"]);
      if (j.contains("checklist") && j["checklist"].is_array())
        for (auto& st : j["checklist"])
          if (st.is_object() && st.contains("why")) redact_field(st["why"]);
      if (payload_changed) {
        *coach_json = j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
        changed = true;
      }
    }
  }
  if (red.changed()) text = std::move(red.text);
  return changed;
}

void add_views(std::vector<Delivery>& out, RedactMode mode, const Frame& original, const Frame& redacted, unsigned audience) {
  if (!redacted || mode == RedactMode::off) {
    out.push_back({original, audience});
    return;
  }
  const unsigned sees_original = audience & (to_customer | to_author | (mode == RedactMode::store ? to_agent : 0u));
  if (sees_original) out.push_back({original, sees_original});
  if (const unsigned rest = audience & ~sees_original) out.push_back({redacted, rest});
}

}  // namespace tact::gateway
