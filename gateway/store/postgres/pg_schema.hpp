#pragma once
// The PostgreSQL schema as a list of migrations, numbered from 1. The table schema_version holds
// the number applied; opening the store applies the ones after it, each in its own transaction,
// under an advisory lock so that nodes starting together migrate once. A database from a newer
// Tact (a number past the list) is refused rather than written with an older idea of its tables.
#include <string>
#include <vector>

#include "store/postgres/pg_conn.hpp"

namespace tact::gateway::pg {

struct Migration {
  int version;
  const char* what;  // logged when applied
  const char* sql;
};

const std::vector<Migration>& migrations();

// Brings the database to `target` (0: the last migration). False with the reason in `error`.
bool migrate(Connection& db, std::string& error, int target = 0);
// The number applied (0 for an empty database, -1 when it cannot be read).
int schema_version(Connection& db);

}  // namespace tact::gateway::pg
