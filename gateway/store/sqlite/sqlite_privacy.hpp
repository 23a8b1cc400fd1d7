#pragma once
// The SQL of issue 24 (privacy) on the SQLite store's own connections: reading everything of one
// customer, erasing it, purging closed conversations past retention. sqlite_store.cpp runs the
// writes on its writer thread, inside its transaction, and the reads under its read lock.
#include <cstdint>
#include <string>
#include <vector>

#include "store/sqlite/sqlite_db.hpp"
#include "store/store.hpp"

namespace tact::gateway::privacy {

// The erasure audit table, created beside the others.
extern const char* const kPrivacySchema;

CustomerData read_customer(Database& db, const std::string& customer);
// Deletes the customer's conversations and everything in them; fills audit's counts and
// appends it. False on a database error (the caller rolls back).
bool erase_customer(Database& db, const std::string& customer, ErasureRecord& audit);
// Up to `max` conversations closed before `closed_before`, oldest first; `removed` counts them.
bool purge_closed(Database& db, std::int64_t closed_before, std::size_t max, std::size_t& removed);
std::vector<ErasureRecord> read_erasures(Database& db);
// Every message (text and coach) and whisper through `rewrite`; `changed` counts the rows updated.
bool rewrite_texts(Database& db, const TextRewrite& rewrite, std::size_t& changed);

}  // namespace tact::gateway::privacy
