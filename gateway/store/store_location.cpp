#include "store/store_location.hpp"

namespace tact::gateway {

namespace {
bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }
}  // namespace

std::string StoreLocation::describe() const {
  if (kind == sqlite) return "sqlite:" + where;
  // postgresql://user:password@host/db -> postgresql://user@host/db
  const auto scheme = where.find("://");
  const auto at = where.find('@', scheme == std::string::npos ? 0 : scheme + 3);
  if (scheme == std::string::npos || at == std::string::npos) return where;
  const auto colon = where.find(':', scheme + 3);
  if (colon == std::string::npos || colon > at) return where;
  return where.substr(0, colon) + where.substr(at);
}

std::optional<StoreLocation> parse_store_location(const std::string& text, std::string& error) {
  if (starts_with(text, "sqlite:")) {
    StoreLocation at{StoreLocation::sqlite, text.substr(7)};
    if (at.where.empty()) {
      error = "--store sqlite: needs a directory, e.g. sqlite:./tact-data";
      return std::nullopt;
    }
    return at;
  }
  if (starts_with(text, "postgresql://") || starts_with(text, "postgres://")) {
    if (text.find_first_of("\r\n") != std::string::npos) {
      error = "--store: a PostgreSQL URL is one line";
      return std::nullopt;
    }
    return StoreLocation{StoreLocation::postgresql, text};
  }
  error = "--store takes sqlite:DIR or postgresql://USER@HOST:PORT/DATABASE, not \"" +
          StoreLocation{StoreLocation::postgresql, text}.describe() + "\"";
  return std::nullopt;
}

std::unique_ptr<Store> open_store(const StoreLocation& at, Metrics* metrics, std::string& error) {
  return at.kind == StoreLocation::sqlite ? open_sqlite_store(at.where, metrics, error)
                                          : open_postgres_store(at.where, metrics, error);
}

}  // namespace tact::gateway
