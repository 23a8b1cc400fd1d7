#pragma once
// Text as a report line shows it.
#include <cstddef>
#include <string>

namespace tact::cli {

// `s` on one line (newlines as spaces), cut to at most `n` bytes at a UTF-8 boundary, with "..."
// when cut.
std::string one_line(const std::string& s, std::size_t n);

}  // namespace tact::cli
