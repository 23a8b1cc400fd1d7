#include "normalize.hpp"

#include <array>
#include <cstring>

namespace tact::coach {
namespace {

bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
bool is_handle_char(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool starts_with_nocase(std::string_view s, std::size_t at, std::string_view prefix) {
  if (s.size() - at < prefix.size()) return false;
  for (std::size_t k = 0; k < prefix.size(); ++k)
    if (ascii_lower(s[at + k]) != prefix[k]) return false;
  return true;
}

// How the fast path of normalize() sees a byte: plain (copied), special (white space, '@', UTF-8),
// or a letter that may start a link ("http", "www") when it starts a token.
enum ByteKind : unsigned char { kPlain, kSpecial, kMayStartLink };
constexpr std::array<ByteKind, 256> kByteKind = [] {
  std::array<ByteKind, 256> t{};
  for (int c = 0x80; c < 256; ++c) t[c] = kSpecial;
  for (unsigned char c : {' ', '\t', '\n', '\r', '\f', '\v', '@'}) t[c] = kSpecial;
  for (unsigned char c : {'h', 'H', 'w', 'W'}) t[c] = kMayStartLink;
  return t;
}();

// A three-byte UTF-8 punctuation mark with a plain ASCII stand-in, or nullptr.
const char* ascii_for(std::string_view s, std::size_t i) {
  if (s.size() - i >= 2 && static_cast<unsigned char>(s[i]) == 0xC2 && static_cast<unsigned char>(s[i + 1]) == 0xA0)
    return " ";  // no-break space
  if (s.size() - i < 3 || static_cast<unsigned char>(s[i]) != 0xE2 || static_cast<unsigned char>(s[i + 1]) != 0x80)
    return nullptr;
  switch (static_cast<unsigned char>(s[i + 2])) {
    case 0x98: case 0x99: case 0x9B: case 0xB2: return "'";   // ‘ ’ ‛ ′
    case 0x9C: case 0x9D: case 0x9F: case 0xB3: return "\"";  // “ ” ‟ ″
    case 0x90: case 0x91: case 0x92: case 0x93: case 0x94: case 0x95: return "-";  // hyphens and dashes
    case 0xA6: return "...";  // …
    default: return nullptr;
  }
}

// Builds the normalized text, and the map back to the original when kOrigin. The text is written
// through a pointer into a buffer sized for the worst case (a bare "www." becomes " <url>": 4 bytes
// to 6), then cut to length.
template <bool kOrigin>
class Builder {
 public:
  Builder(NormalizedText& out, std::size_t original_size) : out_(out) {
    out_.text.resize(original_size + original_size / 2 + 2);
    begin_ = w_ = out_.text.data();
  }
  void put(char c, std::size_t begin, std::size_t end) {
    *w_++ = c;
    if constexpr (kOrigin) out_.origin.push_back({static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(end)});
  }
  // Copies original bytes [begin, end) unchanged.
  void append(std::string_view s, std::size_t begin, std::size_t end) {
    std::memcpy(w_, s.data() + begin, end - begin);
    w_ += end - begin;
    if constexpr (kOrigin)
      for (auto k = begin; k < end; ++k)
        out_.origin.push_back({static_cast<std::uint32_t>(k), static_cast<std::uint32_t>(k + 1)});
  }
  void space(std::size_t begin, std::size_t end) {
    if (w_ == begin_) return;
    if (w_[-1] == ' ') {
      if constexpr (kOrigin) out_.origin.back().end = static_cast<std::uint32_t>(end);
      return;
    }
    put(' ', begin, end);
  }
  void finish() {
    if (w_ != begin_ && w_[-1] == ' ') {
      --w_;
      if constexpr (kOrigin) out_.origin.pop_back();
    }
    out_.text.resize(static_cast<std::size_t>(w_ - begin_));
  }

 private:
  NormalizedText& out_;
  char* begin_ = nullptr;
  char* w_ = nullptr;
};

template <bool kOrigin>
NormalizedText run(std::string_view s);

}  // namespace

ByteRange NormalizedText::to_original(std::size_t begin, std::size_t end) const {
  return {origin[begin].begin, origin[end - 1].end};
}

NormalizedText normalize(std::string_view s) { return run<true>(s); }

std::string normalize_text(std::string_view s) { return std::move(run<false>(s).text); }

namespace {

template <bool kOrigin>
NormalizedText run(std::string_view s) {
  NormalizedText out;
  if constexpr (kOrigin) out.origin.reserve(s.size());
  Builder<kOrigin> b(out, s.size());
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    // A link starts anywhere a word does not continue: after spaces, no-break spaces, ':' or '('.
    const bool token_start = i == 0 || !is_handle_char(static_cast<unsigned char>(s[i - 1]));
    // Most bytes are plain ASCII that stays as it is: copy a run of them at once. A run stops before
    // a byte that may start something else: '@', white space, UTF-8, an 'h' or 'w' starting a token.
    {
      std::size_t j = i;
      while (j < s.size()) {
        const auto kind = kByteKind[static_cast<unsigned char>(s[j])];
        if (kind == kSpecial) break;
        if (kind == kMayStartLink && (j == 0 || !is_handle_char(static_cast<unsigned char>(s[j - 1])))) break;
        ++j;
      }
      if (j > i) {
        b.append(s, i, j);
        i = j;
        continue;
      }
    }
    if (c == '@' && i + 1 < s.size() && is_handle_char(static_cast<unsigned char>(s[i + 1])) &&
        (i == 0 || !is_handle_char(static_cast<unsigned char>(s[i - 1])))) {
      std::size_t j = i + 1;
      while (j < s.size() && is_handle_char(static_cast<unsigned char>(s[j]))) ++j;
      b.space(i, j);
      i = j;
      continue;
    }
    if (token_start && (starts_with_nocase(s, i, "http://") || starts_with_nocase(s, i, "https://") ||
                        starts_with_nocase(s, i, "www."))) {
      std::size_t j = i;
      while (j < s.size() && !is_space(static_cast<unsigned char>(s[j])) && !(ascii_for(s, j) && *ascii_for(s, j) == ' ')) ++j;
      b.space(i, i);
      for (char m : std::string_view(kUrlMarker)) b.put(m, i, j);
      i = j;
      continue;
    }
    if (is_space(c)) {
      b.space(i, i + 1);
      ++i;
      continue;
    }
    if (const char* repl = ascii_for(s, i)) {
      const std::size_t len = c == 0xC2 ? 2 : 3;
      if (repl[0] == ' ') {
        b.space(i, i + len);
      } else {
        for (const char* p = repl; *p; ++p) b.put(*p, i, i + len);
      }
      i += len;
      continue;
    }
    b.put(static_cast<char>(c), i, i + 1);
    ++i;
  }
  b.finish();
  return out;
}

}  // namespace
}  // namespace tact::coach
