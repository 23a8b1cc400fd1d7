#include "store/store_error.hpp"

#include <string>

#include <sqlite3.h>

namespace tact::gateway {
namespace {

class Category : public std::error_category {
 public:
  const char* name() const noexcept override { return "tact.store"; }
  std::string message(int e) const override {
    switch (static_cast<StoreError>(e)) {
      case StoreError::disk_full: return "the disk is full (or the file size limit was reached)";
      case StoreError::constraint: return "the write contradicts what is stored";
      case StoreError::corrupt: return "the database file is damaged";
      case StoreError::busy: return "another process holds the database";
      case StoreError::io: return "an I/O error";
      case StoreError::unsupported: return "this store does not keep that";
    }
    return "unknown store error";
  }
};

}  // namespace

const std::error_category& store_category() noexcept {
  static const Category c;
  return c;
}

std::error_code make_error_code(StoreError e) noexcept { return {static_cast<int>(e), store_category()}; }

std::error_code store_error_from_sqlite(int code) noexcept {
  switch (code & 0xff) {
    case SQLITE_FULL: return StoreError::disk_full;
    case SQLITE_CONSTRAINT: return StoreError::constraint;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB: return StoreError::corrupt;
    case SQLITE_BUSY:
    case SQLITE_LOCKED: return StoreError::busy;
    default: break;
  }
  // A write past the file size limit (EFBIG) is reported as a write I/O error.
  if (code == SQLITE_IOERR_WRITE || code == SQLITE_IOERR_FSYNC) return StoreError::disk_full;
  return StoreError::io;
}

std::error_code store_error_from_sqlstate(std::string_view s) noexcept {
  if (s == "53100") return StoreError::disk_full;
  if (s.substr(0, 2) == "23") return StoreError::constraint;        // integrity constraint violation
  if (s == "XX001" || s == "XX002") return StoreError::corrupt;     // data_corrupted, index_corrupted
  if (s == "40001" || s == "40P01" || s == "55P03" || s == "57P03") return StoreError::busy;  // retry later
  return StoreError::io;
}

}  // namespace tact::gateway
