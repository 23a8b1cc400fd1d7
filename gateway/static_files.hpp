#pragma once
// Static files (the web widget) under one root directory.
#include <optional>
#include <string>
#include <string_view>

namespace tact::gateway {

// The file for a URL path: "/" and directories give index.html. Null for any path with "..",
// a backslash, a NUL or percent-encoding, or one that is not absolute.
std::optional<std::string> static_file_path(const std::string& root, std::string_view url_path);

std::string_view mime_type(std::string_view path);

}  // namespace tact::gateway
