#pragma once
// Untrusted JSON bodies are checked for nesting depth before nlohmann parses them: its parser
// keeps depth on the heap, but copying, comparing and dumping a value recurse, and a body of
// 100,000 '[' overflowed the stack (issue 16, finding 8).
#include <cstddef>
#include <string_view>

#include <nlohmann/json.hpp>

namespace tact::gateway {

inline constexpr std::size_t kMaxJsonDepth = 64;

// Whether no array or object in `text` is nested deeper than `max_depth` (strings are skipped,
// with their escapes). Linear, no allocation; says nothing about validity otherwise.
bool nested_within(std::string_view text, std::size_t max_depth = kMaxJsonDepth) noexcept;

// nlohmann's parse without exceptions, after nested_within: a discarded value when the text is
// not JSON or nests too deep.
nlohmann::json parse_untrusted(std::string_view text, std::size_t max_depth = kMaxJsonDepth);

}  // namespace tact::gateway
