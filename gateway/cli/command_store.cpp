#include "command_store.hpp"

#include "store/store_location.hpp"

namespace tact::cli {

std::unique_ptr<gateway::Store> open_command_store(const std::string& data_dir, const std::string& store, std::string& error) {
  if (store.empty()) return gateway::open_sqlite_store(data_dir, nullptr, error);
  const auto at = gateway::parse_store_location(store, error);
  if (!at) return nullptr;
  return gateway::open_store(*at, nullptr, error);
}

}  // namespace tact::cli
