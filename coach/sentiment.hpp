#pragma once
// Customer sentiment of one message from the pack's word list, with negation and intensifiers.
#include <string_view>
#include <vector>

#include "coaching_config.hpp"

namespace tact::coach {

// -1 (very negative) .. 1 (very positive); 0 when no scored word occurs.
double score_sentiment(const SentimentConfig& config, std::string_view normalized_text);

// Whether the message has a word of the list at all: only such messages make the trend.
bool bears_sentiment(const SentimentConfig& config, std::string_view normalized_text);

// "rising", "falling" or "steady" for the last message against the ones before it; "" with fewer
// than two messages.
std::string_view sentiment_trend(const std::vector<double>& history);

}  // namespace tact::coach
