#include "clauses.hpp"

#include <array>

namespace tact::coach {
namespace {

char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

constexpr std::array<std::string_view, 5> kContrast{"but", "however", "although", "though", "whereas"};
constexpr std::array<std::string_view, 12> kAbbrev{"mr", "mrs", "ms", "dr", "st", "vs", "etc", "approx", "dept", "no",
                                                   "eg", "ie"};

// The bytes the splitter looks at; every other byte is skipped with one table look-up.
constexpr std::array<bool, 256> kSpecial = [] {
  std::array<bool, 256> t{};
  for (unsigned char c : {'.', '!', '?', ';', ' '}) t[c] = true;
  return t;
}();

// The word ending just before position `end` (letters only), lower-cased into buf.
std::string_view word_before(std::string_view s, std::size_t end, char (&buf)[8]) {
  std::size_t b = end;
  while (b > 0 && is_alpha(s[b - 1])) --b;
  if (end - b == 0 || end - b > sizeof buf) return {};
  for (std::size_t k = b; k < end; ++k) buf[k - b] = lower(s[k]);
  // "e.g" and "U.S": a single letter preceded by a dot counts as a one-letter word too.
  return std::string_view(buf, end - b);
}

bool is_abbreviation(std::string_view s, std::size_t dot) {
  char buf[8];
  const auto w = word_before(s, dot, buf);
  if (w.size() == 1) return true;
  for (auto a : kAbbrev)
    if (w == a) return true;
  return false;
}

// True when the ';' at `semi` ends an HTML entity ("&amp;", "&#39;"), which chat exports often keep.
bool is_html_entity_end(std::string_view s, std::size_t semi) {
  std::size_t b = semi;
  while (b > 0 && semi - b < 8 && (is_alpha(s[b - 1]) || (s[b - 1] >= '0' && s[b - 1] <= '9') || s[b - 1] == '#')) --b;
  return b > 0 && b < semi && s[b - 1] == '&';
}

// Length of the contrast word starting at i, when s[i..] is one followed by a space or punctuation.
std::size_t contrast_at(std::string_view s, std::size_t i) {
  const char first = lower(s[i]);
  if (first != 'b' && first != 'h' && first != 'a' && first != 't' && first != 'w') return 0;
  for (auto w : kContrast) {
    if (s.size() - i < w.size() + 1) continue;
    bool same = true;
    for (std::size_t k = 0; k < w.size() && same; ++k) same = lower(s[i + k]) == w[k];
    if (!same) continue;
    const char next = s[i + w.size()];
    if (next == ' ' || next == ',') return w.size();
  }
  return 0;
}

}  // namespace

Segments split_clauses(std::string_view s) {
  Segments out;
  out.sentences.reserve(8);  // chat messages rarely have more; growing costs an allocation each time
  out.clauses.reserve(8);
  const auto n = static_cast<std::uint32_t>(s.size());
  std::uint32_t sentence_begin = 0, clause_begin = 0;
  auto skip_spaces = [&](std::uint32_t i) {
    while (i < n && s[i] == ' ') ++i;
    return i;
  };
  auto end_clause = [&](std::uint32_t end) {
    std::uint32_t e = end;
    while (e > clause_begin && s[e - 1] == ' ') --e;
    if (e > clause_begin) out.clauses.push_back({clause_begin, e, static_cast<std::uint32_t>(out.sentences.size())});
  };
  auto end_sentence = [&](std::uint32_t end) {
    end_clause(end);
    std::uint32_t e = end;
    while (e > sentence_begin && s[e - 1] == ' ') --e;
    if (e > sentence_begin) out.sentences.push_back({sentence_begin, e});
  };
  clause_begin = sentence_begin = skip_spaces(0);
  for (std::uint32_t i = clause_begin; i < n; ++i) {
    const char c = s[i];
    if (!kSpecial[static_cast<unsigned char>(c)]) continue;
    if (c == '.' || c == '!' || c == '?') {
      std::uint32_t j = i;
      while (j < n && (s[j] == '.' || s[j] == '!' || s[j] == '?')) ++j;
      while (j < n && (s[j] == '"' || s[j] == '\'' || s[j] == ')' || s[j] == ']')) ++j;
      if (j < n && s[j] != ' ') {
        i = j - 1;
        continue;
      }
      if (j - i == 1 && c == '.' && j < n && is_abbreviation(s, i)) continue;
      if (c == '.' && j - i >= 2 && j < n && s[i + 1] == '.') {  // an ellipsis is a pause, not an end
        i = j - 1;
        continue;
      }
      end_sentence(j);
      clause_begin = sentence_begin = skip_spaces(j);
      i = clause_begin == 0 ? 0 : clause_begin - 1;
    } else if (c == ';') {
      if (is_html_entity_end(s, i)) continue;
      end_clause(i + 1);
      clause_begin = skip_spaces(i + 1);
      i = clause_begin - 1;
    } else if (c == ' ' && i + 1 < n && i + 1 > clause_begin) {
      const auto len = static_cast<std::uint32_t>(contrast_at(s, i + 1));
      if (!len) continue;
      std::uint32_t j = i + 1 + len;
      if (j < n && s[j] == ',') ++j;
      end_clause(j);
      clause_begin = skip_spaces(j);
      i = clause_begin - 1;
    }
  }
  end_sentence(n);
  return out;
}

}  // namespace tact::coach
