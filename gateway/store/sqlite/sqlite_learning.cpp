#include "store/sqlite/sqlite_learning.hpp"

namespace tact::gateway::learning {

const char* const kLearningSchema = R"sql(
CREATE TABLE IF NOT EXISTS coach_feedback(
  conversation TEXT NOT NULL, message_id TEXT NOT NULL, kind TEXT NOT NULL, target TEXT NOT NULL,
  reason TEXT NOT NULL, who TEXT NOT NULL, at INTEGER NOT NULL,
  PRIMARY KEY(conversation, message_id, kind, target));
CREATE INDEX IF NOT EXISTS coach_feedback_by_time ON coach_feedback(at);
CREATE TABLE IF NOT EXISTS lessons(
  id TEXT PRIMARY KEY, cause TEXT NOT NULL, text TEXT NOT NULL, conversation TEXT NOT NULL,
  author TEXT NOT NULL, author_name TEXT NOT NULL, at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS lessons_by_cause ON lessons(cause, at);
)sql";

namespace {
bool run(Statement st) { return st.ok() && st.step() == SQLITE_DONE; }
}  // namespace

bool save_feedback(Database& db, const CoachFeedbackRecord& f) {
  auto st = db.prepare("INSERT OR REPLACE INTO coach_feedback VALUES(?,?,?,?,?,?,?)");
  if (!st.ok()) return false;
  st.bind(1, f.conversation).bind(2, f.message_id).bind(3, f.kind).bind(4, f.target).bind(5, f.reason).bind(6, f.who).bind(7, f.at);
  return run(std::move(st));
}

bool save_lesson(Database& db, const LessonRecord& l) {
  auto st = db.prepare("INSERT INTO lessons VALUES(?,?,?,?,?,?,?)");
  if (!st.ok()) return false;
  st.bind(1, l.id).bind(2, l.cause).bind(3, l.text).bind(4, l.conversation).bind(5, l.author).bind(6, l.author_name).bind(7, l.at);
  return run(std::move(st));
}

bool delete_lesson(Database& db, const std::string& id) {
  auto st = db.prepare("DELETE FROM lessons WHERE id=?");
  if (!st.ok()) return false;
  st.bind(1, id);
  return run(std::move(st));
}

bool delete_feedback_of(Database& db, const std::string& conversation) {
  auto st = db.prepare("DELETE FROM coach_feedback WHERE conversation=?");
  if (!st.ok()) return false;
  st.bind(1, conversation);
  return run(std::move(st));
}

std::vector<CoachFeedbackRecord> read_feedback(Database& db, std::int64_t since) {
  std::vector<CoachFeedbackRecord> out;
  auto st = db.prepare("SELECT conversation, message_id, kind, target, reason, who, at FROM coach_feedback WHERE at >= ? ORDER BY at");
  if (!st.ok()) return out;
  st.bind(1, since);
  while (st.step() == SQLITE_ROW)
    out.push_back({st.text(0), st.text(1), st.text(2), st.text(3), st.text(4), st.text(5), st.integer(6)});
  return out;
}

std::vector<StoredCoach> read_coach_outputs(Database& db, std::int64_t from, std::int64_t to) {
  std::vector<StoredCoach> out;
  auto st = db.prepare("SELECT conversation, id, coach FROM messages WHERE at >= ? AND at < ? ORDER BY conversation, seq");
  if (!st.ok()) return out;
  st.bind(1, from).bind(2, to);
  while (st.step() == SQLITE_ROW) out.push_back({st.text(0), st.text(1), st.text(2)});
  return out;
}

std::vector<LessonRecord> read_lessons(Database& db, const std::string& cause, const std::string& id) {
  std::vector<LessonRecord> out;
  auto st = db.prepare(
      "SELECT id, cause, text, conversation, author, author_name, at FROM lessons "
      "WHERE (?1 = '' OR cause = ?1) AND (?2 = '' OR id = ?2) ORDER BY at DESC, id DESC");
  if (!st.ok()) return out;
  st.bind(1, cause).bind(2, id);
  while (st.step() == SQLITE_ROW)
    out.push_back({st.text(0), st.text(1), st.text(2), st.text(3), st.text(4), st.text(5), st.integer(6)});
  return out;
}

}  // namespace tact::gateway::learning
