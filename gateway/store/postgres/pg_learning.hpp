#pragma once
// Issue 22's learning loop on PostgreSQL (the SQLite twin is sqlite/sqlite_learning.hpp):
// feedback on the coach and the team's lessons. Writes run on the store's writer connection in a
// transaction it opened; reads on its read connection, under its lock.
#include <cstdint>
#include <string>
#include <vector>

#include "store/postgres/pg_conn.hpp"
#include "store/store.hpp"

namespace tact::gateway::pg {

// Migration 4 (pg_schema.cpp).
extern const char* const kLearningTables;

bool save_feedback(Connection& db, const CoachFeedbackRecord& f);
bool save_lesson(Connection& db, const LessonRecord& l);
bool delete_lesson(Connection& db, const std::string& id);

std::vector<CoachFeedbackRecord> read_feedback(Connection& db, std::int64_t since);
std::vector<StoredCoach> read_coach_outputs(Connection& db, std::int64_t from, std::int64_t to);
// Newest first; `cause` "" for every cause, `id` "" for every lesson.
std::vector<LessonRecord> read_lessons(Connection& db, const std::string& cause, const std::string& id = "");

}  // namespace tact::gateway::pg
