#pragma once
// Text normalization before matching, with a map back to the original bytes for highlighting.
//
// normalize() replaces @handles by a single space, each URL by the marker "<url>" (so rules can
// see that a link was given without matching inside it), curly quotes and apostrophes by their
// ASCII forms, dashes by '-', and runs of white space by one space, and trims. Case is folded by
// the matcher (rules are case-insensitive unless they say otherwise), so the text keeps its case
// for the rules that need it. Invalid UTF-8 bytes are kept as they are.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tact::coach {

inline constexpr const char* kUrlMarker = "<url>";

struct ByteRange {
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
  friend bool operator==(const ByteRange&, const ByteRange&) = default;
};

struct NormalizedText {
  std::string text;
  // For each byte of text, the range of original bytes it stands for.
  std::vector<ByteRange> origin;

  // The original byte range covered by normalized bytes [begin, end). Requires begin < end <= text.size().
  ByteRange to_original(std::size_t begin, std::size_t end) const;
};

NormalizedText normalize(std::string_view original);

// The same text without the map back to the original, for callers that need no spans.
std::string normalize_text(std::string_view original);

}  // namespace tact::coach
