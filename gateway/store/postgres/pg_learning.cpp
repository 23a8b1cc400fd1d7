#include "store/postgres/pg_learning.hpp"

#include "obs/log.hpp"

namespace tact::gateway::pg {

const char* const kLearningTables = R"sql(
CREATE TABLE coach_feedback(
  conversation text NOT NULL, message_id text NOT NULL, kind text NOT NULL, target text NOT NULL,
  reason text NOT NULL, who text NOT NULL, at bigint NOT NULL,
  PRIMARY KEY(conversation, message_id, kind, target));
CREATE INDEX coach_feedback_by_time ON coach_feedback(at);
CREATE TABLE lessons(
  id text PRIMARY KEY, cause text NOT NULL, text text NOT NULL, conversation text NOT NULL,
  author text NOT NULL, author_name text NOT NULL, at bigint NOT NULL);
CREATE INDEX lessons_by_cause ON lessons(cause, at);
)sql";

namespace {
Result logged(Result r) {
  if (!r.ok()) log_event("store_error", {{"what", "learning"}, {"message", r.error()}});
  return r;
}
}  // namespace

bool save_feedback(Connection& db, const CoachFeedbackRecord& f) {
  Params p;
  p.add(f.conversation).add(f.message_id).add(f.kind).add(f.target).add(f.reason).add(f.who).add(f.at);
  return db
      .exec("INSERT INTO coach_feedback VALUES($1,$2,$3,$4,$5,$6,$7) ON CONFLICT (conversation, message_id, kind, target) "
            "DO UPDATE SET reason=excluded.reason, who=excluded.who, at=excluded.at",
            p)
      .ok();
}

bool save_lesson(Connection& db, const LessonRecord& l) {
  Params p;
  p.add(l.id).add(l.cause).add(l.text).add(l.conversation).add(l.author).add(l.author_name).add(l.at);
  return db.exec("INSERT INTO lessons VALUES($1,$2,$3,$4,$5,$6,$7)", p).ok();
}

bool delete_lesson(Connection& db, const std::string& id) {
  Params p;
  p.add(id);
  return db.exec("DELETE FROM lessons WHERE id=$1", p).ok();
}

std::vector<CoachFeedbackRecord> read_feedback(Connection& db, std::int64_t since) {
  Params p;
  p.add(since);
  auto r = logged(db.exec("SELECT conversation, message_id, kind, target, reason, who, at FROM coach_feedback WHERE at >= $1 ORDER BY at", p));
  std::vector<CoachFeedbackRecord> out;
  for (int i = 0; i < r.rows(); ++i)
    out.push_back({r.text(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4), r.text(i, 5), r.integer(i, 6)});
  return out;
}

std::vector<StoredCoach> read_coach_outputs(Connection& db, std::int64_t from, std::int64_t to) {
  Params p;
  p.add(from).add(to);
  auto r = logged(db.exec("SELECT conversation, id, coach FROM messages WHERE at >= $1 AND at < $2 ORDER BY conversation, seq", p));
  std::vector<StoredCoach> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back({r.text(i, 0), r.text(i, 1), r.text(i, 2)});
  return out;
}

std::vector<LessonRecord> read_lessons(Connection& db, const std::string& cause, const std::string& id) {
  Params p;
  p.add(cause).add(id);
  auto r = logged(db.exec(
      "SELECT id, cause, text, conversation, author, author_name, at FROM lessons "
      "WHERE ($1::text = '' OR cause = $1::text) AND ($2::text = '' OR id = $2::text) ORDER BY at DESC, id DESC",
      p));
  std::vector<LessonRecord> out;
  for (int i = 0; i < r.rows(); ++i)
    out.push_back({r.text(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4), r.text(i, 5), r.integer(i, 6)});
  return out;
}

}  // namespace tact::gateway::pg
