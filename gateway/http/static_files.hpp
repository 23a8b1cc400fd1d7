#pragma once
// Static files (the web widget) under one root directory.
#include <optional>
#include <string>
#include <string_view>

namespace tact::gateway {

// The file for a URL path: "/" and directories give index.html. Null for any path with "..",
// a backslash, a NUL or percent-encoding, or one that is not absolute.
std::optional<std::string> static_file_path(const std::string& root, std::string_view url_path);

// The file for a URL path if it is a shipped page or asset: a regular file (never a directory)
// under `root` reached by static_file_path, with a page or asset extension (html, js, css, json,
// png, svg, ico, woff2), outside the tools/ folder, node_modules and dot-files. Null otherwise.
std::optional<std::string> shipped_file(const std::string& root, std::string_view url_path);

std::string_view mime_type(std::string_view path);

}  // namespace tact::gateway
