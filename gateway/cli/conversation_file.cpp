#include "conversation_file.hpp"

#include <cstdio>

namespace tact::cli {
namespace {

// Days since 1970-01-01 of a civil date (Howard Hinnant's algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

// Twitter ids carry their creation time: (id >> 22) + the Twitter epoch, in ms.
std::optional<std::int64_t> tweet_time(const nlohmann::json& id) {
  if (!id.is_string()) return std::nullopt;
  try {
    return static_cast<std::int64_t>(std::stoull(id.get<std::string>()) >> 22) + 1288834974657LL;
  } catch (...) {
    return std::nullopt;
  }
}

}  // namespace

std::optional<std::int64_t> parse_iso_time(const std::string& s) {
  int y, mo, d, h, mi, sec, ms = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d.%3dZ", &y, &mo, &d, &h, &mi, &sec, &ms) < 6) return std::nullopt;
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  return ((days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 24 + h) * 60 + mi) * 60000LL +
         sec * 1000LL + ms;
}

ReadResult read_conversations(const nlohmann::json& file) {
  ReadResult out;
  if (!file.is_array()) {
    out.error = "expected a JSON array of conversations";
    return out;
  }
  for (std::size_t i = 0; i < file.size(); ++i) {
    const auto& c = file[i];
    const auto where = "conversation " + std::to_string(i);
    if (!c.is_object() || !c.contains("dialogContent") || !c["dialogContent"].is_array()) {
      out.error = where + ": missing \"dialogContent\"";
      return out;
    }
    RecordedConversation rc;
    rc.id = std::to_string(i);
    if (auto h = c.find("dialogHeader"); h != c.end() && h->is_object()) {
      if (h->contains("sessionID") && (*h)["sessionID"].is_string()) rc.id = (*h)["sessionID"];
      if (h->contains("company") && (*h)["company"].is_string()) rc.company = (*h)["company"];
    }
    std::int64_t last = 0;
    for (const auto& t : c["dialogContent"]) {
      if (!t.is_object() || !t.contains("message") || !t["message"].is_string()) {
        out.error = where + ": a turn without \"message\"";
        return out;
      }
      const bool agent = t.contains("agent");
      std::int64_t at = last;
      if (t.contains("datetime") && t["datetime"].is_string())
        if (auto parsed = parse_iso_time(t["datetime"].get<std::string>())) at = *parsed;
      last = std::max(last, at);
      rc.events.push_back({agent ? coach::Role::agent : coach::Role::customer, t["message"].get<std::string>(), last,
                           std::to_string(rc.events.size() + 1)});
    }
    if (auto a = c.find("agentURL"); a != c.end() && a->is_object() && a->contains("url_utterance") &&
                                      (*a)["url_utterance"].is_string()) {
      const auto at = tweet_time(a->value("tweet_ID", nlohmann::json())).value_or(last + 60000);
      rc.events.push_back({coach::Role::agent, (*a)["url_utterance"].get<std::string>(), std::max(last, at),
                           std::to_string(rc.events.size() + 1)});
    }
    out.conversations.push_back(std::move(rc));
  }
  return out;
}

}  // namespace tact::cli
