#include "http/static_files.hpp"

#include <algorithm>
#include <filesystem>

namespace tact::gateway {

std::optional<std::string> static_file_path(const std::string& root, std::string_view url_path) {
  if (root.empty() || url_path.empty() || url_path.front() != '/') return std::nullopt;
  if (url_path.find("..") != std::string_view::npos || url_path.find('\\') != std::string_view::npos ||
      url_path.find('\0') != std::string_view::npos || url_path.find('%') != std::string_view::npos ||
      url_path.find("//") != std::string_view::npos)
    return std::nullopt;
  std::string path = root;
  if (!path.empty() && path.back() == '/') path.pop_back();
  path.append(url_path);
  if (path.back() == '/') path.append("index.html");
  return path;
}

std::optional<std::string> shipped_file(const std::string& root, std::string_view url_path) {
  auto path = static_file_path(root, url_path);
  if (!path) return std::nullopt;
  if (url_path.starts_with("/tools/") || url_path.find("/.") != std::string_view::npos ||
      url_path.find("/node_modules/") != std::string_view::npos)
    return std::nullopt;
  static constexpr std::string_view kShipped[] = {".html", ".js", ".mjs", ".css", ".json", ".png", ".svg", ".ico", ".woff2"};
  const std::string_view p(*path);
  if (std::none_of(std::begin(kShipped), std::end(kShipped), [&](std::string_view ext) { return p.ends_with(ext); }))
    return std::nullopt;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(*path, ec)) return std::nullopt;
  return path;
}

std::string_view mime_type(std::string_view path) {
  auto ext = path.substr(path.rfind('.') == std::string_view::npos ? path.size() : path.rfind('.'));
  if (ext == ".html" || ext == ".htm") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".txt" || ext == ".md") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

}  // namespace tact::gateway
