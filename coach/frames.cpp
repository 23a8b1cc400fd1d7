#include "frames.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "annotator.hpp"
#include "re2_options.hpp"

namespace tact::coach {
namespace {

constexpr std::size_t kMaxGroupBytes = 30;
constexpr std::size_t kMaxGroupWords = 4;
constexpr std::size_t kMaxPhraseBytes = 60;
constexpr std::int64_t kFrameMaxMem = 1 << 20;

bool is_person_word(std::string_view w) {
  static constexpr std::string_view words[] = {"i",  "i'm", "im",  "i've", "ive",  "i'd",   "me",     "my",   "mine",
                                               "myself", "you", "you're", "youre", "your", "yours", "u",  "ur",
                                               "we", "us",  "our", "ours", "we're", "they", "them", "their"};
  return std::find(std::begin(words), std::end(words), w) != std::end(words);
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// The group's text as the agent may say it, or nullopt: a few plain ASCII words, no pronoun (the
// rewrite carries the person), no emoji or quote, not shouted. "Laptop" at a sentence start
// becomes "laptop"; "PS4" and "iPhone" keep their case.
std::optional<std::string> safe_group(std::string_view g) {
  if (g.empty() || g.size() > kMaxGroupBytes) return std::nullopt;
  std::size_t letters = 0, upper = 0, words = 0;
  std::string out, word;
  auto end_word = [&]() -> bool {
    if (word.empty()) return true;
    ++words;
    if (is_person_word(lower(word))) return false;
    const bool capitalized = word[0] >= 'A' && word[0] <= 'Z' &&
                             std::none_of(word.begin() + 1, word.end(), [](char c) { return c >= 'A' && c <= 'Z'; }) &&
                             std::none_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!out.empty()) out += ' ';
    out += capitalized ? lower(word) : word;
    word.clear();
    return true;
  };
  for (char c : g) {
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (c == ' ') {
      if (!end_word()) return std::nullopt;
      continue;
    }
    if (!alpha && !(c >= '0' && c <= '9') && c != '-' && c != '\'') return std::nullopt;
    if (alpha) ++letters;
    if (c >= 'A' && c <= 'Z') ++upper;
    word += c;
  }
  if (!end_word() || words == 0 || words > kMaxGroupWords) return std::nullopt;
  if (letters >= 4 && upper == letters) return std::nullopt;  // shouted
  return out;
}

}  // namespace

std::optional<Restatement> restate(const Frame& frame, const NormalizedText& text) {
  if (!frame.re || !frame.re->ok()) return std::nullopt;
  const int groups = frame.re->NumberOfCapturingGroups();
  std::vector<re2::StringPiece> m(static_cast<std::size_t>(groups) + 1);
  if (!frame.re->Match(text.text, 0, text.text.size(), RE2::UNANCHORED, m.data(), groups + 1)) return std::nullopt;
  if (m[0].empty()) return std::nullopt;
  Restatement out;
  out.key = frame.id;
  const auto& names = frame.re->NamedCapturingGroups();
  std::string phrase;
  std::size_t pos = 0;
  while (true) {
    const auto open = frame.rewrite.find('{', pos);
    if (open == std::string::npos) break;
    const auto close = frame.rewrite.find('}', open);
    if (close == std::string::npos) return std::nullopt;
    const auto it = names.find(frame.rewrite.substr(open + 1, close - open - 1));
    if (it == names.end()) return std::nullopt;
    const auto& g = m[static_cast<std::size_t>(it->second)];
    auto safe = safe_group(std::string_view(g.data(), g.size()));
    if (!safe) return std::nullopt;
    phrase.append(frame.rewrite, pos, open - pos);
    phrase += *safe;
    out.key += "|" + lower(*safe);
    pos = close + 1;
  }
  phrase.append(frame.rewrite, pos);
  if (phrase.size() > kMaxPhraseBytes) return std::nullopt;
  out.phrase = std::move(phrase);
  const auto begin = static_cast<std::size_t>(m[0].data() - text.text.data());
  out.span = text.origin.empty() ? ByteRange{static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(begin + m[0].size())}
                                 : text.to_original(begin, begin + m[0].size());
  return out;
}

std::optional<Restatement> restate_complaint(const std::vector<Frame>& frames, const NormalizedText& text,
                                             const Annotation& annotation, const std::vector<std::string>& acts) {
  for (const auto& f : frames) {
    auto r = restate(f, text);
    if (!r) continue;
    for (const auto& s : annotation.spans)
      if (std::find(acts.begin(), acts.end(), s.act) != acts.end() && s.begin < r->span.end && r->span.begin < s.end)
        return r;
  }
  return std::nullopt;
}

std::vector<Frame> parse_frames(const nlohmann::json& pack, JsonReader& r) {
  std::vector<Frame> frames;
  auto it = pack.find("frames");
  if (it == pack.end()) return frames;
  if (!it->is_array()) {
    r.fail("frames", "must be an array of complaint frames");
    return frames;
  }
  for (std::size_t i = 0; i < it->size(); ++i) {
    const auto& j = (*it)[i];
    const auto f = "frames[" + std::to_string(i) + "]";
    if (!j.is_object()) {
      r.fail(f, "must be an object with \"id\", \"pattern\", \"rewrite\" and \"examples\"");
      continue;
    }
    Frame frame;
    frame.id = r.string(j, "id", f + ".id", true).value_or("");
    frame.pattern = r.string(j, "pattern", f + ".pattern", true).value_or("");
    frame.rewrite = r.string(j, "rewrite", f + ".rewrite", true).value_or("");
    auto re = std::make_shared<RE2>(frame.pattern, regex_options(false, kFrameMaxMem));
    if (!re->ok()) {
      r.fail(f + ".pattern", "invalid regular expression: " + re->error());
      continue;
    }
    const auto& names = re->NamedCapturingGroups();
    for (std::size_t pos = 0; (pos = frame.rewrite.find('{', pos)) != std::string::npos;) {
      const auto close = frame.rewrite.find('}', pos);
      if (close == std::string::npos) {
        r.fail(f + ".rewrite", "has an unclosed '{'");
        break;
      }
      const auto name = frame.rewrite.substr(pos + 1, close - pos - 1);
      if (!names.count(name))
        r.fail(f + ".rewrite", "{" + name + "} is not a named group of the pattern; write (?P<" + name + ">...) in it");
      pos = close + 1;
    }
    frame.re = std::move(re);
    const auto ex = j.find("examples");
    if (ex == j.end() || !ex->is_array() || ex->empty()) {
      r.fail(f + ".examples", "needs examples: [{\"text\": \"my order hasn't arrived\", \"restated\": \"your order hasn't arrived\"}]");
    } else {
      for (std::size_t k = 0; k < ex->size(); ++k) {
        const auto ef = f + ".examples[" + std::to_string(k) + "]";
        FrameExample e{r.string((*ex)[k], "text", ef + ".text", true).value_or(""),
                       r.string((*ex)[k], "restated", ef + ".restated", true).value_or("")};
        const auto got = restate(frame, normalize(e.text));
        const std::string said = got ? got->phrase : "";
        if (said != e.restated)
          r.fail(ef, "restates \"" + e.text + "\" as \"" + said + "\", not \"" + e.restated + "\"");
        frame.examples.push_back(std::move(e));
      }
    }
    frames.push_back(std::move(frame));
  }
  return frames;
}

}  // namespace tact::coach
