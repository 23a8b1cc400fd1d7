#pragma once
// Thin RAII over the SQLite C API: a connection and prepared statements. No exceptions: calls
// return false (or SQLITE_* codes) and the connection keeps the message.
#include <cstdint>
#include <string>
#include <string_view>

#include <sqlite3.h>

namespace tact::gateway {

class Statement {
 public:
  Statement() = default;
  Statement(sqlite3* db, std::string_view sql);
  ~Statement();
  Statement(Statement&& o) noexcept : stmt_(o.stmt_) { o.stmt_ = nullptr; }
  Statement& operator=(Statement&& o) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  bool ok() const { return stmt_ != nullptr; }
  Statement& bind(int i, std::string_view s);  // SQLite copies the text
  // SQLite reads the text in place, without a copy: it must stay unchanged until reset().
  Statement& bind_borrowed(int i, std::string_view s);
  Statement& bind(int i, std::int64_t v);
  Statement& bind_null(int i);
  int step();  // SQLITE_ROW, SQLITE_DONE or an error
  void reset();
  std::string text(int col) const;
  std::int64_t integer(int col) const;
  bool is_null(int col) const;

 private:
  sqlite3_stmt* stmt_ = nullptr;
};

class Database {
 public:
  Database() = default;
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  bool open(const std::string& path);
  bool exec(const char* sql);
  Statement prepare(std::string_view sql) { return Statement(db_, sql); }
  std::string error() const;
  sqlite3* handle() const { return db_; }

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace tact::gateway
