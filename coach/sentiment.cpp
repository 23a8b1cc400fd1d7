#include "sentiment.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace tact::coach {
namespace {

bool is_word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '\'';
}

std::vector<std::string> words_of(std::string_view text) {
  std::vector<std::string> out;
  std::string w;
  for (char c : text) {
    if (is_word_char(c)) {
      w.push_back((c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c);
    } else if (!w.empty()) {
      out.push_back(std::move(w));
      w.clear();
    }
  }
  if (!w.empty()) out.push_back(std::move(w));
  return out;
}

bool is_negator(const SentimentConfig& c, const std::string& w) {
  if (std::find(c.negators.begin(), c.negators.end(), w) != c.negators.end()) return true;
  return w.size() > 3 && w.compare(w.size() - 3, 3, "n't") == 0;
}

}  // namespace

double score_sentiment(const SentimentConfig& c, std::string_view text) {
  const auto words = words_of(text);
  double sum = 0;
  for (std::size_t i = 0; i < words.size(); ++i) {
    auto it = c.words.find(words[i]);
    if (it == c.words.end()) continue;
    double v = it->second;
    if (i > 0) {
      if (auto in = c.intensifiers.find(words[i - 1]); in != c.intensifiers.end()) v *= in->second;
    }
    // A negator up to three words before flips and damps the word: "not good" is mildly negative.
    for (std::size_t k = 1; k <= 3 && k <= i; ++k)
      if (is_negator(c, words[i - k])) {
        v = -v * 0.5;
        break;
      }
    sum += v;
  }
  if (sum == 0) return 0;
  return sum / std::sqrt(sum * sum + 15.0);  // squashes into (-1, 1), as VADER does
}

bool bears_sentiment(const SentimentConfig& c, std::string_view text) {
  const auto words = words_of(text);
  return std::any_of(words.begin(), words.end(), [&](const std::string& w) { return c.words.count(w) > 0; });
}

std::string_view sentiment_trend(const std::vector<double>& h) {
  if (h.size() < 2) return "";
  const std::size_t n = std::min<std::size_t>(3, h.size() - 1);
  double before = 0;
  for (std::size_t k = 0; k < n; ++k) before += h[h.size() - 2 - k];
  before /= static_cast<double>(n);
  const double d = h.back() - before;
  if (d < -0.15) return "falling";
  if (d > 0.15) return "rising";
  return "steady";
}

}  // namespace tact::coach
