#pragma once
// Tone problems that are about the shape of a message, not its phrasing: shouting and curtness.
// Which checks run, their limits and the flags they raise are the pack's (ToneConfig).
#include <optional>
#include <string_view>

#include "coaching_config.hpp"
#include "normalize.hpp"

namespace tact::coach {

// Kind "shouting": the span of the shouted part when enough of the message's letters are capitals.
std::optional<ByteRange> shouting(const ToneCheck& check, std::string_view original);

// Kind "short": true when the message has at most check.max_words words.
bool is_curt(const ToneCheck& check, std::string_view normalized);

// The span a tone check flags on a message, if it flags it.
std::optional<ByteRange> tone_check(const ToneCheck& check, std::string_view original, std::string_view normalized,
                                    bool complaint_open);

}  // namespace tact::coach
