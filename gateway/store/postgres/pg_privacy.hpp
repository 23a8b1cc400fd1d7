#pragma once
// The privacy SQL of issue 24 on PostgreSQL (the SQLite twin is sqlite/sqlite_privacy.hpp). The
// writes run on the store's writer connection inside a transaction it opened; the reads on its
// read connection. PostgreSQL's own VACUUM (autovacuum) frees the space of deleted rows.
#include <cstdint>
#include <string>
#include <vector>

#include "store/postgres/pg_conn.hpp"
#include "store/store.hpp"

namespace tact::gateway::pg {

CustomerData read_customer(Connection& db, const std::string& customer);
bool erase_customer(Connection& db, const std::string& customer, ErasureRecord& audit);
bool purge_closed(Connection& db, std::int64_t closed_before, std::size_t max, std::size_t& removed);
std::vector<ErasureRecord> read_erasures(Connection& db);
bool rewrite_texts(Connection& db, const TextRewrite& rewrite, std::size_t& changed);

// Row readers shared with the store (columns in the order of the SELECTs in pg_store.cpp).
ConversationRecord read_conversation(const Result& r, int row);
MessageRecord read_message(const Result& r, int row);
WhisperRecord read_whisper(const Result& r, int row);

// The columns those readers expect.
inline constexpr const char* kConversationColumns = "id, customer, customer_name, agent, channel, opened_at, closed_at";
inline constexpr const char* kMessageColumns =
    "conversation, id, seq, role, author, author_name, text, at, client_id, coach, rules_version";
inline constexpr const char* kWhisperColumns = "conversation, id, author, author_name, text, at";

}  // namespace tact::gateway::pg
