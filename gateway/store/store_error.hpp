#pragma once
// What a failed store write was, so a full disk and a bug do not look alike: each write's `done`
// gets one of these (or success). std::error_code, so callers compare with `==` and log
// `.message()`.
#include <string_view>
#include <system_error>

namespace tact::gateway {

enum class StoreError {
  disk_full = 1,  // no space, or the file size limit: free space, the write may be sent again
  constraint,     // the write contradicts what is stored (a duplicate, an unknown conversation): a bug or a race
  corrupt,        // the database file is damaged: restore it from a backup
  busy,           // another process holds the database
  io,             // any other I/O failure
  unsupported,    // this store does not keep that kind of record
};

const std::error_category& store_category() noexcept;
std::error_code make_error_code(StoreError e) noexcept;

// From SQLite's (extended) result code.
std::error_code store_error_from_sqlite(int code) noexcept;
// From PostgreSQL's SQLSTATE ("" when there is none: the connection was lost, an I/O error).
std::error_code store_error_from_sqlstate(std::string_view sqlstate) noexcept;

}  // namespace tact::gateway

template <>
struct std::is_error_code_enum<tact::gateway::StoreError> : std::true_type {};
