#include "store/postgres/pg_conn.hpp"

#include "store/store_error.hpp"

namespace tact::gateway::pg {

bool Result::ok() const {
  const auto s = status();
  return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK;
}

std::string Result::sqlstate() const {
  const char* s = r_ ? PQresultErrorField(r_.get(), PG_DIAG_SQLSTATE) : nullptr;
  return s ? s : "";
}

std::string Result::error() const {
  if (!r_) return "no result (the connection was lost)";
  std::string e = PQresultErrorMessage(r_.get());
  while (!e.empty() && (e.back() == '\n' || e.back() == ' ')) e.pop_back();
  return e;
}

std::int64_t Result::affected() const {
  const char* n = r_ ? PQcmdTuples(r_.get()) : "";
  return *n ? std::stoll(n) : 0;
}

std::string Result::text(int row, int col) const {
  return std::string(PQgetvalue(r_.get(), row, col), static_cast<std::size_t>(PQgetlength(r_.get(), row, col)));
}

std::int64_t Result::integer(int row, int col) const { return std::stoll(PQgetvalue(r_.get(), row, col)); }

Params& Params::add(const std::string& s) {
  values_.push_back(s.c_str());
  return *this;
}

Params& Params::add(std::int64_t v) {
  owned_.push_back(std::make_unique<std::string>(std::to_string(v)));
  values_.push_back(owned_.back()->c_str());
  return *this;
}

Params& Params::null() {
  values_.push_back(nullptr);
  return *this;
}

Connection::~Connection() {
  if (conn_) PQfinish(conn_);
}

bool Connection::open(const std::string& conninfo, std::string& error) {
  conn_ = PQconnectdb(conninfo.c_str());
  // Notices ("relation already exists, skipping") are not errors: not printed on stderr.
  if (conn_) PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
  if (ok()) return true;
  error = this->error();
  return false;
}

bool Connection::reset() {
  if (!conn_) return false;
  PQreset(conn_);
  return ok();
}

Result Connection::exec(const char* sql) { return Result(PQexec(conn_, sql)); }

Result Connection::exec(const char* sql, const Params& p) {
  return Result(PQexecParams(conn_, sql, p.size(), nullptr, p.values(), nullptr, nullptr, 0));
}

Result Connection::exec_prepared(const char* name, const Params& p) {
  return Result(PQexecPrepared(conn_, name, p.size(), p.values(), nullptr, nullptr, 0));
}

bool Connection::prepare(const char* name, const char* sql, std::string& error) {
  Result r(PQprepare(conn_, name, sql, 0, nullptr));
  if (r.ok()) return true;
  error = r.error();
  return false;
}

std::string Connection::error() const {
  if (!conn_) return "out of memory";
  std::string e = PQerrorMessage(conn_);
  while (!e.empty() && (e.back() == '\n' || e.back() == ' ')) e.pop_back();
  return e;
}

std::error_code store_error(const Result& r) { return store_error_from_sqlstate(r.sqlstate()); }

}  // namespace tact::gateway::pg
