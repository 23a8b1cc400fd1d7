#pragma once
// Tone problems that are about the shape of a message, not its phrasing: shouting and curtness.
#include <optional>
#include <string_view>

#include "coaching_config.hpp"
#include "normalize.hpp"

namespace tact::coach {

// The span of the shouted part when enough of the message's letters are capitals.
std::optional<ByteRange> shouting(const ToneConfig& tone, std::string_view original);

// True when the message has at most tone.curt_max_words words.
bool is_curt(const ToneConfig& tone, std::string_view normalized);

}  // namespace tact::coach
