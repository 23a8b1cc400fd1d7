#pragma once
// The SQL of issue 22's learning loop on the SQLite store's connections: feedback on the coach
// (disputed flags, suggestions used or edited) and the team's lessons. sqlite_store.cpp runs the
// writes on its writer thread, inside its transaction, and the reads under its read lock.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "store/sqlite/sqlite_db.hpp"
#include "store/store.hpp"

namespace tact::gateway::learning {

// Created beside the other tables.
extern const char* const kLearningSchema;

bool save_feedback(Database& db, const CoachFeedbackRecord& f);
bool save_lesson(Database& db, const LessonRecord& l);
bool delete_lesson(Database& db, const std::string& id);
// Feedback on the conversation's messages goes with it when it is erased or purged.
bool delete_feedback_of(Database& db, const std::string& conversation);

std::vector<CoachFeedbackRecord> read_feedback(Database& db, std::int64_t since);
std::vector<StoredCoach> read_coach_outputs(Database& db, std::int64_t from, std::int64_t to);
std::vector<LessonRecord> read_lessons(Database& db, const std::string& cause, const std::string& id = "");

}  // namespace tact::gateway::learning
