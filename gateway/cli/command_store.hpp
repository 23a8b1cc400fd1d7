#pragma once
// The store a maintenance command (`tact data`, `tact report`) works on: `--store LOCATION` when
// given (sqlite:DIR or postgresql://…, as `tact serve --store`), else the data dir's SQLite.
#include <memory>
#include <string>

#include "store/store.hpp"

namespace tact::cli {

// Null with the reason (and, for a bad location, how to write one) in `error`.
std::unique_ptr<gateway::Store> open_command_store(const std::string& data_dir, const std::string& store, std::string& error);

}  // namespace tact::cli
