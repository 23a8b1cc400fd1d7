#pragma once
// The token secret: TACT_SECRET, or the file `secret` in the data dir, created (mode 0600, 32
// random bytes as hex) when missing.
#include <cstddef>
#include <optional>
#include <ostream>
#include <string>

namespace tact::gateway {

inline constexpr std::size_t kMinSecretBytes = 32;  // HS256 wants a key as long as its hash

// Creates the data dir if needed. Returns nullopt after printing the reason to `err` (also for a
// TACT_SECRET shorter than kMinSecretBytes).
std::optional<std::string> load_secret(const std::string& data_dir, std::ostream& err);

// Creates `dir` (and parents); false after printing the reason to `err`.
bool ensure_dir(const std::string& dir, std::ostream& err);

}  // namespace tact::gateway
