#include "tone.hpp"

namespace tact::coach {

std::optional<ByteRange> shouting(const ToneCheck& tone, std::string_view s) {
  int letters = 0, upper = 0;
  std::size_t first = s.size(), last = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool is_upper = c >= 'A' && c <= 'Z';
    if (!is_upper && !(c >= 'a' && c <= 'z')) continue;
    ++letters;
    if (!is_upper) continue;
    ++upper;
    if (first == s.size()) first = i;
    last = i;
  }
  if (letters < tone.min_letters || upper < tone.ratio * letters) return std::nullopt;
  return ByteRange{static_cast<std::uint32_t>(first), static_cast<std::uint32_t>(last + 1)};
}

bool is_curt(const ToneCheck& tone, std::string_view normalized) {
  int words = 0;
  bool in_word = false;
  for (char c : normalized) {
    const bool word_char = c != ' ';
    if (word_char && !in_word) ++words;
    in_word = word_char;
  }
  return words > 0 && words <= tone.max_words;
}

std::optional<ByteRange> tone_check(const ToneCheck& check, std::string_view original, std::string_view normalized,
                                    bool complaint_open) {
  if (check.kind == "shouting") return shouting(check, original);
  if (check.kind == "short" && (complaint_open || !check.only_open_complaint) && is_curt(check, normalized))
    return ByteRange{0, static_cast<std::uint32_t>(original.size())};
  return std::nullopt;
}

}  // namespace tact::coach
