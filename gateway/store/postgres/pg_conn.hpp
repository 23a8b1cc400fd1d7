#pragma once
// Thin RAII over libpq: a connection, its results, and parameters kept as text. No exceptions:
// calls return a Result whose ok() says whether it worked; its sqlstate() says why not.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <libpq-fe.h>

namespace tact::gateway::pg {

struct ResultFree {
  void operator()(PGresult* r) const { PQclear(r); }
};

class Result {
 public:
  Result() = default;
  explicit Result(PGresult* r) : r_(r) {}
  bool ok() const;  // a command or a query that succeeded
  ExecStatusType status() const { return r_ ? PQresultStatus(r_.get()) : PGRES_FATAL_ERROR; }
  std::string sqlstate() const;  // "" without one (a lost connection)
  std::string error() const;
  int rows() const { return r_ ? PQntuples(r_.get()) : 0; }
  std::int64_t affected() const;  // rows changed by an INSERT/UPDATE/DELETE
  std::string text(int row, int col) const;
  std::int64_t integer(int row, int col) const;
  bool is_null(int row, int col) const { return PQgetisnull(r_.get(), row, col) != 0; }

 private:
  std::unique_ptr<PGresult, ResultFree> r_;
};

// Text parameters for one statement. Strings passed by reference are read in place (they must
// live until the statement is sent); numbers are kept here.
class Params {
 public:
  Params& add(const std::string& s);
  Params& add(std::string&&) = delete;  // it would be gone before the statement is sent
  Params& add(const char*) = delete;
  Params& add(std::int64_t v);
  Params& null();
  int size() const { return static_cast<int>(values_.size()); }
  const char* const* values() const { return values_.data(); }

 private:
  std::vector<const char*> values_;
  std::vector<std::unique_ptr<std::string>> owned_;  // stable addresses
};

class Connection {
 public:
  Connection() = default;
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // False with the server's or libpq's reason in `error`.
  bool open(const std::string& conninfo, std::string& error);
  bool ok() const { return conn_ && PQstatus(conn_) == CONNECTION_OK; }
  // After a lost connection: connects again (the same conninfo). False when it cannot.
  bool reset();
  Result exec(const char* sql);
  Result exec(const char* sql, const Params& p);
  Result exec_prepared(const char* name, const Params& p);
  bool prepare(const char* name, const char* sql, std::string& error);
  std::string error() const;
  PGconn* handle() const { return conn_; }

 private:
  PGconn* conn_ = nullptr;
};

// What a failed statement was, as the store reports it (store_error.hpp).
std::error_code store_error(const Result& r);

}  // namespace tact::gateway::pg
