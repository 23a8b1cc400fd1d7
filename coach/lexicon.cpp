#include "lexicon.hpp"

#include <algorithm>

#include <re2/re2.h>

#include "normalize.hpp"

namespace tact::coach {
namespace {

bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || (c >= '0' && c <= '9'); }

// Calls on_ref(begin, end, name) for each reference "{name}" of the pattern ([begin, end) covers the braces).
template <class F>
void for_each_ref(std::string_view p, F&& on_ref) {
  bool in_class = false;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const char c = p[i];
    if (c == '\\') {
      ++i;
    } else if (in_class) {
      in_class = c != ']';
    } else if (c == '[') {
      in_class = true;
      if (i + 1 < p.size() && p[i + 1] == ']') ++i;  // "[]...]": a leading ']' is a member
    } else if (c == '{' && i + 1 < p.size() && is_name_start(p[i + 1])) {
      std::size_t j = i + 1;
      while (j < p.size() && is_name_char(p[j])) ++j;
      if (j < p.size() && p[j] == '}') {
        on_ref(i, j + 1, p.substr(i + 1, j - i - 1));
        i = j;
      }
    }
  }
}

std::string alternation(std::vector<std::string_view> words) {
  // Longest first, so that a span covers "log in" rather than stopping at "log".
  std::stable_sort(words.begin(), words.end(), [](std::string_view a, std::string_view b) { return a.size() > b.size(); });
  std::string out = "(?:";
  for (std::size_t i = 0; i < words.size(); ++i) {
    if (i) out += '|';
    // QuoteMeta escapes a space as "\ ", which RE2 reads as a space.
    out += RE2::QuoteMeta(re2::StringPiece(words[i].data(), words[i].size()));
  }
  return out + ")";
}

}  // namespace

Lexicons parse_lexicons(const nlohmann::json& pack, std::vector<Problem>& problems) {
  Lexicons out;
  auto it = pack.find("lexicons");
  if (it == pack.end()) return out;
  if (!it->is_object()) {
    problems.push_back({"", "lexicons", "must be an object of named word lists", {}});
    return out;
  }
  for (const auto& [name, list] : it->items()) {
    const auto field = "lexicons." + name;
    if (name.empty() || !is_name_start(name[0]) ||
        !std::all_of(name.begin(), name.end(), [](char c) { return is_name_char(c); })) {
      problems.push_back({"", field, "a lexicon name must be letters, digits and '_', not starting with a digit", {}});
      continue;
    }
    if (!list.is_array() || list.empty()) {
      problems.push_back({"", field, "must be a non-empty array of words or phrases", {}});
      continue;
    }
    auto& words = out.words[name];
    for (std::size_t i = 0; i < list.size(); ++i) {
      const auto f = field + "[" + std::to_string(i) + "]";
      if (!list[i].is_string()) {
        problems.push_back({"", f, "must be a string", {}});
        continue;
      }
      auto w = normalize(list[i].get<std::string>()).text;
      if (w.empty()) {
        problems.push_back({"", f, "is empty; an empty entry would match everywhere", {}});
        continue;
      }
      if (std::find(words.begin(), words.end(), w) != words.end()) {
        problems.push_back({"", f, "\"" + w + "\" appears twice in the lexicon", {}});
        continue;
      }
      words.push_back(std::move(w));
    }
  }
  return out;
}

std::vector<std::string> lexicon_refs(std::string_view pattern) {
  std::vector<std::string> out;
  for_each_ref(pattern, [&](std::size_t, std::size_t, std::string_view name) { out.emplace_back(name); });
  return out;
}

Expansion expand_lexicons(std::string_view pattern, const Lexicons& lexicons, std::string_view only_name,
                          std::string_view only_word) {
  Expansion out;
  std::size_t copied = 0;
  for_each_ref(pattern, [&](std::size_t begin, std::size_t end, std::string_view name) {
    out.regex.append(pattern.substr(copied, begin - copied));
    copied = end;
    if (!only_name.empty() && name == only_name) {
      out.regex += alternation({only_word});
      return;
    }
    auto it = lexicons.words.find(name);
    if (it == lexicons.words.end()) {
      out.unknown.emplace_back(name);
      return;
    }
    out.regex += alternation(std::vector<std::string_view>(it->second.begin(), it->second.end()));
  });
  out.regex.append(pattern.substr(copied));
  return out;
}

}  // namespace tact::coach
