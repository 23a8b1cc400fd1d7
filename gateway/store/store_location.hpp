#pragma once
// Where `tact serve --store` keeps conversations: `sqlite:DIR` (the embedded default, the same as
// --data DIR) or a PostgreSQL URL (`postgresql://user@host:5432/db`, libpq's syntax).
#include <memory>
#include <optional>
#include <string>

#include "store/store.hpp"

namespace tact::gateway {

struct StoreLocation {
  enum Kind { sqlite, postgresql } kind = sqlite;
  std::string where;  // the directory, or the URL
  // For logs and banners: the URL without its password.
  std::string describe() const;
};

// nullopt with what is wrong and how to write it in `error`.
std::optional<StoreLocation> parse_store_location(const std::string& text, std::string& error);

std::unique_ptr<Store> open_store(const StoreLocation& at, Metrics* metrics, std::string& error);

}  // namespace tact::gateway
