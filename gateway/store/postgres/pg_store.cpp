// The Store in PostgreSQL (libpq). As in SQLite (sqlite/sqlite_store.cpp), one writer thread
// groups queued writes: it takes whatever queued (up to kMaxBatch) after resting kCommitGap from
// its last commit, and a write's `done` runs only once its transaction is committed. Here the
// group goes to the server as one pipeline (libpq's pipeline mode): every statement, then one
// Sync, in one round trip; the statements up to a Sync are one implicit transaction, committed
// (and flushed to the server's WAL, synchronous_commit) before the Sync is answered. When a
// statement fails, the server skips the rest up to the Sync and rolls back; the writer then sends
// each write again as its own segment (statements and a Sync each), still in one round trip, so
// only the bad ones fail.
//
// A lost connection fails the writes of the batch that was on it (StoreError::io; their clients
// are told to send again) and the writer connects again before the next batch.
//
// Reads use their own connection, under a mutex.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <variant>

#include <poll.h>

#include "obs/contained.hpp"
#include "obs/log.hpp"
#include "obs/metrics.hpp"
#include "store/postgres/pg_conn.hpp"
#include "store/postgres/pg_learning.hpp"
#include "store/postgres/pg_privacy.hpp"
#include "store/postgres/pg_schema.hpp"
#include "store/store.hpp"
#include "store/store_error.hpp"

namespace tact::gateway {
namespace {

using pg::Params;
using pg::Result;

constexpr std::size_t kMaxBatch = 512;
constexpr std::chrono::microseconds kCommitGap{500};

struct Statement {
  const char* name;
  const char* sql;
};
constexpr Statement kStatements[] = {
    {"open", "INSERT INTO conversations(id, customer, customer_name, agent, channel, opened_at) "
             "VALUES($1,$2,$3,$4,$5,$6) ON CONFLICT (id) DO NOTHING"},
    {"assign", "UPDATE conversations SET agent=$1 WHERE id=$2"},
    {"close", "UPDATE conversations SET closed_at=$1 WHERE id=$2"},
    {"message", "INSERT INTO messages(conversation, seq, id, role, author, author_name, text, at, client_id, coach, "
                "rules_version) VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)"},
    {"whisper", "INSERT INTO whispers(conversation, id, author, author_name, text, at) VALUES($1,$2,$3,$4,$5,$6)"},
    {"version", "INSERT INTO rule_versions VALUES($1,$2,$3,$4,$5,$6,$7,$8)"},
    // NOT NULL fails for a version that is not stored.
    {"live", "INSERT INTO rule_live VALUES(1, (SELECT version FROM rule_versions WHERE version=$1)) "
             "ON CONFLICT (one) DO UPDATE SET version=excluded.version"},
    {"audit", "INSERT INTO rule_audit(at, who, who_name, action, version, from_version, message) VALUES($1,$2,$3,$4,$5,$6,$7)"},
    {"review", "INSERT INTO reviews VALUES($1,$2,$3,$4,$5) ON CONFLICT (conversation) DO UPDATE SET agent=excluded.agent, "
               "closed_at=excluded.closed_at, rules_version=excluded.rules_version, review=excluded.review"},
    {"rating", "INSERT INTO ratings VALUES($1,$2::int,$3,$4) ON CONFLICT (conversation) DO UPDATE SET score=excluded.score, "
               "comment=excluded.comment, at=excluded.at"},
};

struct Assign {
  std::string conversation, agent;
};
struct Close {
  std::string conversation;
  std::int64_t at;
};
struct AddVersion {
  RuleVersionRecord version;
  RuleAuditRecord audit;
};
struct SetLive {
  std::int64_t version;
  RuleAuditRecord audit;
};
// SQL of its own (pg_privacy.hpp, pg_learning.hpp): run alone, in a transaction of its own, outside the pipeline.
struct SqlWork {
  std::function<bool(pg::Connection&)> work;
};
using Write = std::variant<ConversationRecord, Assign, Close, MessageRecord, WhisperRecord, AddVersion, SetLive, SqlWork,
                           ReviewRecord, RatingRecord>;
struct Op {
  Write write;
  StoreDone done;
};

Params audit_params(const RuleAuditRecord& a) {
  Params p;
  p.add(a.at).add(a.who).add(a.who_name).add(a.action).add(a.version);
  if (a.from_version) p.add(*a.from_version);
  else p.null();
  p.add(a.message);
  return p;
}

class PostgresStore final : public Store {
 public:
  explicit PostgresStore(Metrics* metrics) : metrics_(metrics) {}
  ~PostgresStore() override {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    cv_.notify_all();
    if (writer_.joinable()) writer_.join();
  }

  bool open(const std::string& conninfo, std::string& error) {
    if (!wdb_.open(conninfo, error) || !rdb_.open(conninfo, error)) {
      error = "cannot connect to PostgreSQL: " + error;
      return false;
    }
    if (!pg::migrate(wdb_, error)) return false;
    if (!prepare_writer(error)) return false;
    writer_ = std::thread([this] { run(); });
    return true;
  }

  void open_conversation(ConversationRecord c, StoreDone d) override { push({std::move(c), std::move(d)}); }
  void assign(std::string c, std::string a, StoreDone d) override { push({Assign{std::move(c), std::move(a)}, std::move(d)}); }
  void close_conversation(std::string c, std::int64_t at, StoreDone d) override { push({Close{std::move(c), at}, std::move(d)}); }
  void append_message(MessageRecord m, StoreDone d) override { push({std::move(m), std::move(d)}); }
  void append_whisper(WhisperRecord w, StoreDone d) override { push({std::move(w), std::move(d)}); }
  void add_rule_version(RuleVersionRecord v, RuleAuditRecord a, StoreDone d) override {
    push({AddVersion{std::move(v), std::move(a)}, std::move(d)});
  }
  void set_live_rules(std::int64_t v, RuleAuditRecord a, StoreDone d) override { push({SetLive{v, std::move(a)}, std::move(d)}); }
  void save_review(ReviewRecord r, StoreDone d) override { push({std::move(r), std::move(d)}); }
  void save_rating(RatingRecord r, StoreDone d) override { push({std::move(r), std::move(d)}); }
  std::optional<RatingRecord> rating(const std::string& conversation) override {
    Params p;
    p.add(conversation);
    auto r = read("SELECT conversation, score, comment, at FROM ratings WHERE conversation=$1", p);
    if (r.rows() == 0) return std::nullopt;
    return RatingRecord{r.text(0, 0), static_cast<int>(r.integer(0, 1)), r.text(0, 2), r.integer(0, 3)};
  }
  std::optional<ReviewRecord> review(const std::string& conversation) override {
    Params p;
    p.add(conversation);
    auto found = read_reviews("WHERE v.conversation=$1", p);
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
  }
  std::vector<ReviewRecord> reviews(std::int64_t from, std::int64_t to) override {
    Params p;
    p.add(from).add(to);
    return read_reviews("WHERE v.closed_at >= $1 AND v.closed_at < $2 ORDER BY v.closed_at, v.conversation", p);
  }
  std::vector<ReviewRecord> read_reviews(const std::string& where, const Params& p) {
    auto r = read("SELECT v.conversation, v.agent, v.closed_at, v.rules_version, v.review, r.score, r.comment, r.at "
                  "FROM reviews v LEFT JOIN ratings r ON r.conversation = v.conversation " + where, p);
    std::vector<ReviewRecord> out;
    for (int i = 0; i < r.rows(); ++i) {
      ReviewRecord rec{r.text(i, 0), r.text(i, 1), r.integer(i, 2), r.text(i, 3), r.text(i, 4), std::nullopt};
      if (!r.is_null(i, 5)) rec.rating = RatingRecord{rec.conversation, static_cast<int>(r.integer(i, 5)), r.text(i, 6), r.integer(i, 7)};
      out.push_back(std::move(rec));
    }
    return out;
  }

  void erase_customer(std::string customer, ErasureRecord audit, ErasureDone done) override {
    auto rec = std::make_shared<ErasureRecord>(std::move(audit));
    push({SqlWork{[customer = std::move(customer), rec](pg::Connection& db) { return pg::erase_customer(db, customer, *rec); }},
          [rec, done = std::move(done)](std::error_code ec) { done(ec, *rec); }});
  }
  void purge_closed(std::int64_t before, std::size_t max, PurgeDone done) override {
    auto removed = std::make_shared<std::size_t>(0);
    push({SqlWork{[before, max, removed](pg::Connection& db) { return pg::purge_closed(db, before, max, *removed); }},
          [removed, done = std::move(done)](std::error_code ec) { done(ec, *removed); }});
  }
  void rewrite_texts(TextRewrite rewrite, PurgeDone done) override {
    auto changed = std::make_shared<std::size_t>(0);
    push({SqlWork{[rewrite = std::move(rewrite), changed](pg::Connection& db) { return pg::rewrite_texts(db, rewrite, *changed); }},
          [changed, done = std::move(done)](std::error_code ec) { done(ec, *changed); }});
  }

  void flush() override {
    std::unique_lock lock(mutex_);
    const auto target = queued_;
    idle_cv_.wait(lock, [&] { return done_ >= target; });
  }

  // Reads.
  std::vector<ConversationRecord> conversations(bool open_only) override {
    auto r = read(std::string("SELECT ") + pg::kConversationColumns + " FROM conversations" +
                  (open_only ? " WHERE closed_at IS NULL" : "") + " ORDER BY n");
    std::vector<ConversationRecord> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(pg::read_conversation(r, i));
    return out;
  }
  std::vector<ConversationRecord> closed_without_review(std::size_t limit) override {
    Params p;
    p.add(static_cast<std::int64_t>(limit));
    auto r = read(std::string("SELECT ") + pg::kConversationColumns +
                      " FROM conversations c WHERE closed_at IS NOT NULL AND NOT EXISTS "
                      "(SELECT 1 FROM reviews v WHERE v.conversation = c.id) ORDER BY closed_at DESC LIMIT $1",
                  p);
    std::vector<ConversationRecord> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(pg::read_conversation(r, i));
    return out;
  }
  std::optional<ConversationRecord> conversation(const std::string& id) override {
    Params p;
    p.add(id);
    auto r = read(std::string("SELECT ") + pg::kConversationColumns + " FROM conversations WHERE id=$1", p);
    if (r.rows() == 0) return std::nullopt;
    return pg::read_conversation(r, 0);
  }
  std::vector<MessageRecord> messages(const std::string& conversation) override {
    Params p;
    p.add(conversation);
    auto r = read(std::string("SELECT ") + pg::kMessageColumns + " FROM messages WHERE conversation=$1 ORDER BY seq", p);
    std::vector<MessageRecord> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(pg::read_message(r, i));
    return out;
  }
  std::vector<WhisperRecord> whispers(const std::string& conversation) override {
    Params p;
    p.add(conversation);
    auto r = read(std::string("SELECT ") + pg::kWhisperColumns + " FROM whispers WHERE conversation=$1 ORDER BY n", p);
    std::vector<WhisperRecord> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(pg::read_whisper(r, i));
    return out;
  }
  std::vector<MessageRecord> recent_messages(std::size_t limit) override {
    Params p;
    p.add(static_cast<std::int64_t>(limit));
    auto r = read(std::string("SELECT * FROM (SELECT ") + pg::kMessageColumns + ", n FROM messages ORDER BY at DESC, n DESC LIMIT $1) "
                  "AS recent ORDER BY at, n", p);
    std::vector<MessageRecord> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(pg::read_message(r, i));
    return out;
  }
  std::vector<RuleVersionRecord> rule_versions(bool with_packs) override {
    auto r = read(with_packs ? "SELECT * FROM rule_versions ORDER BY version"
                             : "SELECT version, rules_version, '', author, author_name, at, message, parent FROM rule_versions ORDER BY version");
    std::vector<RuleVersionRecord> out;
    for (int i = 0; i < r.rows(); ++i) out.push_back(read_version(r, i));
    return out;
  }
  std::optional<RuleVersionRecord> rule_version(std::int64_t version) override {
    Params p;
    p.add(version);
    auto r = read("SELECT * FROM rule_versions WHERE version=$1", p);
    if (r.rows() == 0) return std::nullopt;
    return read_version(r, 0);
  }
  std::optional<std::int64_t> live_rules() override {
    auto r = read("SELECT version FROM rule_live WHERE one=1");
    if (r.rows() == 0) return std::nullopt;
    return r.integer(0, 0);
  }
  std::vector<RuleAuditRecord> rule_audit() override {
    auto r = read("SELECT at, who, who_name, action, version, from_version, message FROM rule_audit ORDER BY n");
    std::vector<RuleAuditRecord> out;
    for (int i = 0; i < r.rows(); ++i) {
      RuleAuditRecord a{r.integer(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.integer(i, 4), std::nullopt, r.text(i, 6)};
      if (!r.is_null(i, 5)) a.from_version = r.integer(i, 5);
      out.push_back(std::move(a));
    }
    return out;
  }
  CustomerData customer_data(const std::string& customer) override {
    CustomerData out;
    {
      std::lock_guard lock(read_mutex_);
      reconnect_reader();
      out = pg::read_customer(rdb_, customer);
    }
    add_reviews(*this, out);
    return out;
  }
  void save_feedback(CoachFeedbackRecord f, StoreDone d) override {
    push({SqlWork{[f = std::move(f)](pg::Connection& db) { return pg::save_feedback(db, f); }}, std::move(d)});
  }
  void save_lesson(LessonRecord l, StoreDone d) override {
    push({SqlWork{[l = std::move(l)](pg::Connection& db) { return pg::save_lesson(db, l); }}, std::move(d)});
  }
  void delete_lesson(std::string id, StoreDone d) override {
    push({SqlWork{[id = std::move(id)](pg::Connection& db) { return pg::delete_lesson(db, id); }}, std::move(d)});
  }
  std::vector<CoachFeedbackRecord> feedback(std::int64_t since) override {
    std::lock_guard lock(read_mutex_);
    reconnect_reader();
    return pg::read_feedback(rdb_, since);
  }
  std::vector<StoredCoach> coach_outputs(std::int64_t from, std::int64_t to) override {
    std::lock_guard lock(read_mutex_);
    reconnect_reader();
    return pg::read_coach_outputs(rdb_, from, to);
  }
  std::vector<LessonRecord> lessons(const std::string& cause) override {
    std::lock_guard lock(read_mutex_);
    reconnect_reader();
    return pg::read_lessons(rdb_, cause);
  }
  std::optional<LessonRecord> lesson(const std::string& id) override {
    if (id.empty()) return std::nullopt;
    std::lock_guard lock(read_mutex_);
    reconnect_reader();
    auto found = pg::read_lessons(rdb_, "", id);
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
  }
  std::vector<ErasureRecord> erasures() override {
    std::lock_guard lock(read_mutex_);
    reconnect_reader();
    return pg::read_erasures(rdb_);
  }
  std::optional<ConversationRecord> open_conversation_of(const std::string& customer) override {
    Params p;
    p.add(customer);
    auto r = read(std::string("SELECT ") + pg::kConversationColumns +
                  " FROM conversations WHERE customer=$1 AND channel='ws' AND closed_at IS NULL ORDER BY n DESC LIMIT 1", p);
    if (r.rows() == 0) return std::nullopt;
    return pg::read_conversation(r, 0);
  }
  std::map<std::string, int> open_per_agent() override {
    auto r = read("SELECT agent, count(*) FROM conversations WHERE closed_at IS NULL AND agent <> '' GROUP BY agent");
    std::map<std::string, int> out;
    for (int i = 0; i < r.rows(); ++i) out[r.text(i, 0)] = static_cast<int>(r.integer(i, 1));
    return out;
  }
  std::map<std::string, MessageRecord> last_messages_of_open() override {
    auto r = read(std::string("SELECT DISTINCT ON (conversation) ") + pg::kMessageColumns +
                  " FROM messages WHERE conversation IN (SELECT id FROM conversations WHERE closed_at IS NULL)"
                  " ORDER BY conversation, seq DESC");
    std::map<std::string, MessageRecord> out;
    for (int i = 0; i < r.rows(); ++i) {
      auto m = pg::read_message(r, i);
      out.emplace(m.conversation, std::move(m));
    }
    return out;
  }
  std::optional<std::int64_t> reserve_conversation_ids() override {
    auto r = read("SELECT nextval('conversation_ids')");
    if (r.rows() == 0) return std::nullopt;
    return r.integer(0, 0);
  }

 private:
  static RuleVersionRecord read_version(const Result& r, int i) {
    RuleVersionRecord v{r.integer(i, 0), r.text(i, 1), r.text(i, 2), r.text(i, 3), r.text(i, 4), r.integer(i, 5), r.text(i, 6), std::nullopt};
    if (!r.is_null(i, 7)) v.parent = r.integer(i, 7);
    return v;
  }

  void reconnect_reader() {
    if (!rdb_.ok() && rdb_.reset()) log_event("store_reconnected", {{"connection", "read"}});
  }
  Result read(const std::string& sql, const Params& p = {}) {
    std::lock_guard lock(read_mutex_);
    reconnect_reader();
    auto r = rdb_.exec(sql.c_str(), p);
    if (!r.ok()) log_event("store_error", {{"what", "read"}, {"message", r.error()}});
    return r;
  }

  bool prepare_writer(std::string& error) {
    for (const auto& s : kStatements)
      if (!wdb_.prepare(s.name, s.sql, error)) {
        error = std::string("cannot prepare ") + s.name + ": " + error;
        return false;
      }
    if (PQsetnonblocking(wdb_.handle(), 1) != 0 || PQenterPipelineMode(wdb_.handle()) != 1) {
      error = "cannot enter pipeline mode: " + wdb_.error();
      return false;
    }
    return true;
  }

  void push(Op op) {
    bool wake = false;
    {
      std::lock_guard lock(mutex_);
      queue_.push_back(std::move(op));
      wake = queue_.size() == 1 || queue_.size() == kMaxBatch;
      ++queued_;
    }
    if (wake) cv_.notify_one();
  }

  bool send(const char* name, const Params& p) {
    return PQsendQueryPrepared(wdb_.handle(), name, p.size(), p.values(), nullptr, nullptr, 0) == 1;
  }

  // The write's statements, queued on the pipeline; how many (-1 when libpq refused one).
  int send_write(const Write& w) {
    if (auto* c = std::get_if<ConversationRecord>(&w)) {
      Params p;
      p.add(c->id).add(c->customer).add(c->customer_name).add(c->agent).add(c->channel).add(c->opened_at);
      return send("open", p) ? 1 : -1;
    }
    if (auto* a = std::get_if<Assign>(&w)) {
      Params p;
      p.add(a->agent).add(a->conversation);
      return send("assign", p) ? 1 : -1;
    }
    if (auto* cl = std::get_if<Close>(&w)) {
      Params p;
      p.add(cl->at).add(cl->conversation);
      return send("close", p) ? 1 : -1;
    }
    if (auto* m = std::get_if<MessageRecord>(&w)) {
      Params p;
      p.add(m->conversation).add(m->seq).add(m->id).add(m->role).add(m->author).add(m->author_name).add(m->text).add(m->at)
          .add(m->client_id).add(m->coach_json).add(m->rules_version);
      return send("message", p) ? 1 : -1;
    }
    if (auto* wh = std::get_if<WhisperRecord>(&w)) {
      Params p;
      p.add(wh->conversation).add(wh->id).add(wh->author).add(wh->author_name).add(wh->text).add(wh->at);
      return send("whisper", p) ? 1 : -1;
    }
    if (auto* av = std::get_if<AddVersion>(&w)) {
      const auto& v = av->version;
      Params p;
      p.add(v.version).add(v.rules_version).add(v.pack_json).add(v.author).add(v.author_name).add(v.at).add(v.message);
      if (v.parent) p.add(*v.parent);
      else p.null();
      Params live;
      live.add(v.version);
      return send("version", p) && send("live", live) && send("audit", audit_params(av->audit)) ? 3 : -1;
    }
    if (auto* sl = std::get_if<SetLive>(&w)) {
      Params live;
      live.add(sl->version);
      return send("live", live) && send("audit", audit_params(sl->audit)) ? 2 : -1;
    }
    if (auto* rv = std::get_if<ReviewRecord>(&w)) {
      Params p;
      p.add(rv->conversation).add(rv->agent).add(rv->closed_at).add(rv->rules_version).add(rv->review_json);
      return send("review", p) ? 1 : -1;
    }
    if (auto* rt = std::get_if<RatingRecord>(&w)) {
      Params p;
      p.add(rt->conversation).add(static_cast<std::int64_t>(rt->score)).add(rt->comment).add(rt->at);
      return send("rating", p) ? 1 : -1;
    }
    return -1;  // a SqlWork never goes on the pipeline
  }

  // Sends until libpq's buffer is out, reading meanwhile so that the server never waits on us.
  bool flush_pipeline() {
    PGconn* c = wdb_.handle();
    for (;;) {
      const int r = PQflush(c);
      if (r == 0) return true;
      if (r < 0) return false;
      pollfd p{PQsocket(c), POLLIN | POLLOUT, 0};
      if (poll(&p, 1, 1000) < 0) return false;
      if ((p.revents & POLLIN) && PQconsumeInput(c) != 1) return false;
    }
  }

  // The next statement's result (and the null that ends it in pipeline mode).
  Result next_result() {
    PGresult* r = PQgetResult(wdb_.handle());
    if (r && PQresultStatus(r) != PGRES_PIPELINE_SYNC)
      while (PGresult* extra = PQgetResult(wdb_.handle())) PQclear(extra);
    return Result(r);
  }

  // The writes in `segments` (first index, count), each segment one transaction ending in a Sync.
  // Fills `result` for each write; a failed segment fails all its writes (with the first error).
  void run_segments(const std::deque<Op>& batch, const std::vector<std::pair<std::size_t, std::size_t>>& segments,
                    std::vector<std::error_code>& result, std::string& why) {
    std::vector<int> statements(batch.size(), 0);
    bool sent = true;
    for (const auto& [first, count] : segments) {
      for (std::size_t i = first; sent && i < first + count; ++i) sent = (statements[i] = send_write(batch[i].write)) >= 0;
      sent = sent && PQpipelineSync(wdb_.handle()) == 1;
    }
    if (!sent || !flush_pipeline()) return lost(result, why);
    for (const auto& [first, count] : segments) {
      std::error_code failed;
      for (std::size_t i = first; i < first + count; ++i)
        for (int k = 0; k < statements[i]; ++k) {
          auto r = next_result();
          if (r.ok() || r.status() == PGRES_PIPELINE_ABORTED) continue;
          if (PQstatus(wdb_.handle()) != CONNECTION_OK) return lost(result, why);
          if (!failed) {
            failed = pg::store_error(r);
            why = r.error();
            log_event("store_error", {{"message", why}, {"kind", failed.message()}});
          }
        }
      auto sync = next_result();
      if (sync.status() != PGRES_PIPELINE_SYNC) {
        if (PQstatus(wdb_.handle()) != CONNECTION_OK) return lost(result, why);
        if (!failed) failed = pg::store_error(sync), why = sync.error();
      }
      for (std::size_t i = first; i < first + count; ++i) result[i] = failed;
    }
  }

  void lost(std::vector<std::error_code>& result, std::string& why) {
    why = "the connection to PostgreSQL was lost: " + wdb_.error();
    for (auto& r : result) r = StoreError::io;
    log_event("store_error", {{"message", why}, {"kind", std::error_code(StoreError::io).message()}});
  }

  std::vector<std::error_code> commit(const std::deque<Op>& batch) {
    std::vector<std::error_code> result(batch.size());
    if (!connected()) {
      for (auto& r : result) r = StoreError::io;
      return result;
    }
    if (auto* pw = std::get_if<SqlWork>(&batch.front().write)) {
      result[0] = run_alone(*pw);
      return result;
    }
    std::string why;
    run_segments(batch, {{0, batch.size()}}, result, why);
    if (!result[0] || batch.size() == 1 || PQstatus(wdb_.handle()) != CONNECTION_OK) return result;
    std::vector<std::pair<std::size_t, std::size_t>> each;
    for (std::size_t i = 0; i < batch.size(); ++i) each.emplace_back(i, 1);
    run_segments(batch, each, result, why);
    log_event("store_batch_retried", {{"writes", batch.size()}, {"message", why}});
    return result;
  }

  std::error_code run_alone(const SqlWork& pw) {
    PQexitPipelineMode(wdb_.handle());
    PQsetnonblocking(wdb_.handle(), 0);
    std::error_code ec;
    auto begin = wdb_.exec("BEGIN");
    if (!begin.ok() || !pw.work(wdb_)) ec = StoreError::io;
    auto end = wdb_.exec(ec ? "ROLLBACK" : "COMMIT");
    if (!ec && !end.ok()) ec = pg::store_error(end);
    if (ec) log_event("store_error", {{"what", "sql_work"}, {"message", wdb_.error()}});
    PQsetnonblocking(wdb_.handle(), 1);
    PQenterPipelineMode(wdb_.handle());
    return ec;
  }

  // Connects again after a lost connection (once per batch while PostgreSQL is away).
  bool connected() {
    if (wdb_.ok()) return true;
    std::string error;
    if (!wdb_.reset() || !prepare_writer(error)) {
      log_event("store_unreachable", {{"message", error.empty() ? wdb_.error() : error}});
      return false;
    }
    log_event("store_reconnected", {{"connection", "write"}});
    return true;
  }

  void run() {
    auto rested = std::chrono::steady_clock::now();
    for (;;) {
      std::deque<Op> batch;
      {
        std::unique_lock lock(mutex_);
        cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        cv_.wait_until(lock, rested, [&] { return stopping_ || queue_.size() >= kMaxBatch; });
        if (queue_.empty()) return;
        // A privacy write goes alone (outside the pipeline); the writes before it go first.
        while (!queue_.empty() && batch.size() < kMaxBatch) {
          const bool privacy = std::holds_alternative<SqlWork>(queue_.front().write);
          if (privacy && !batch.empty()) break;
          batch.push_back(std::move(queue_.front()));
          queue_.pop_front();
          if (privacy) break;
        }
      }
      const auto t0 = std::chrono::steady_clock::now();
      auto result = commit(batch);
      if (metrics_) {
        metrics_->store_commit_seconds.observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
        metrics_->store_batches++;
        metrics_->store_ops += batch.size();
      }
      for (std::size_t i = 0; i < batch.size(); ++i)
        if (batch[i].done) contained("store_done", [&] { batch[i].done(result[i]); });
      rested = std::chrono::steady_clock::now() + kCommitGap;
      {
        std::lock_guard lock(mutex_);
        done_ += batch.size();
      }
      idle_cv_.notify_all();
    }
  }

  Metrics* metrics_;
  pg::Connection wdb_, rdb_;
  std::mutex read_mutex_;
  std::mutex mutex_;
  std::condition_variable cv_, idle_cv_;
  std::deque<Op> queue_;
  std::uint64_t queued_ = 0, done_ = 0;
  bool stopping_ = false;
  std::thread writer_;
};

}  // namespace

std::unique_ptr<Store> open_postgres_store(const std::string& conninfo, Metrics* metrics, std::string& error) {
  auto s = std::make_unique<PostgresStore>(metrics);
  if (!s->open(conninfo, error)) return nullptr;
  return s;
}

}  // namespace tact::gateway
