#include "protocol/json_limits.hpp"

namespace tact::gateway {

bool nested_within(std::string_view text, std::size_t max_depth) noexcept {
  std::size_t depth = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if ((c == '[' || c == '{') && ++depth > max_depth) return false;
    else if ((c == ']' || c == '}') && depth > 0) --depth;
  }
  return true;
}

nlohmann::json parse_untrusted(std::string_view text, std::size_t max_depth) {
  if (!nested_within(text, max_depth)) return nlohmann::json(nlohmann::json::value_t::discarded);
  return nlohmann::json::parse(text, nullptr, false);
}

}  // namespace tact::gateway
