// The Store in SQLite (WAL). One writer thread groups queued writes into transactions: it takes
// whatever queued (up to kMaxBatch), and it rests kCommitGap after each commit, so that under
// load a transaction holds what arrived in that time, while a lone write, coming after a quiet
// gap, is committed at once. Reads use their own connection.
//
// Without the gap the writer took only what queued while its previous commit ran: about 2.3
// writes per transaction in bench_load's closed loop (about 80 with it), each paying BEGIN/
// COMMIT, the WAL frames of the pages it touched, SQLite's file locks and a wakeup. bench_load
// --max 22000, interleaved with a build without the gap, 3 runs each: server CPU per message
// 101-109 against 119-140 us at 5,500/s, where p50 rose from 0.35 to 0.72 ms and p99 from 2.0
// to 3.1 ms; 73-82 against 80-82 us at 11,000/s, where p99 fell from 5.9-10.6 to 4.6-6.3 ms.
// The closed loop's throughput did not change measurably.
//
// A conversation's messages are a chain: each row keeps the rowid of the one before (`prev`), and
// the conversation's row its last (`last_message`, `last_seq`). Rows are only ever appended, so
// a batch dirties the table's last pages and the few pages holding the open conversations. The
// index on (conversation, seq) this replaces put each conversation's tail on a page of its own:
// one more 4 KiB page per message, written to the WAL and again at each checkpoint. bench_load:
// closed loop 17.8k and 19.7k coached msgs/s against 15.2k and 16.7k; paced at 12,000/s, 8-9 KB
// written to disk per message against 10-11 KB.
//
// Checkpoints stay SQLite's automatic ones, run by the writer after a commit once the WAL passes
// 250 pages (1 MB). Every write queued meanwhile waits for the checkpoint, so it sets the p99:
// bench_load --max 24000 (6,000 coached msgs/s, 1,000 conversations) gave p99 16.4 ms at 4000
// pages, 5.6 ms at SQLite's default of 1000, 2.1-2.4 ms at 250, 1.5 ms at 100 and 0.76 ms with
// none, at the same CPU per message. 250 keeps the fsyncs (two per checkpoint) to a few dozen a
// second at that load.
// Tried and measured (bench_load, paced phases): checkpointing from another thread never
// completes while commits keep coming, so the WAL (and its index, mapped into memory) grows
// without bound; making the writer finish what that thread began cost more p99 than it saved
// (p99 31.6 ms at 6,000/s when the writer finished at 8000 frames).
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <variant>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "obs/log.hpp"
#include "obs/metrics.hpp"
#include "obs/contained.hpp"
#include "store/sqlite/sqlite_db.hpp"
#include "store/store.hpp"
#include "store/store_error.hpp"
#include "store/sqlite/sqlite_learning.hpp"
#include "store/sqlite/sqlite_privacy.hpp"

namespace tact::gateway {

namespace {
// Conversations are personal data: the database is readable by its owner only. SQLite gives its
// -wal and -shm files the database file's mode, so the file is created 0600 before SQLite opens
// it; files of an older data dir (0644) are narrowed.
bool private_files(const std::string& path, std::string& error) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    error = "cannot open " + path + ": " + std::strerror(errno);
    return false;
  }
  ::close(fd);
  for (const char* suffix : {"", "-wal", "-shm"}) ::chmod((path + suffix).c_str(), 0600);
  return true;
}
}  // namespace
namespace {

constexpr std::size_t kMaxBatch = 512;
constexpr std::chrono::microseconds kCommitGap{500};

constexpr const char* kSchema = R"sql(
PRAGMA auto_vacuum=INCREMENTAL;
PRAGMA secure_delete=ON;
PRAGMA journal_mode=WAL;
PRAGMA synchronous=NORMAL;
PRAGMA wal_autocheckpoint=250;
CREATE TABLE IF NOT EXISTS conversations(
  id TEXT PRIMARY KEY, customer TEXT NOT NULL, customer_name TEXT NOT NULL, agent TEXT NOT NULL,
  channel TEXT NOT NULL, opened_at INTEGER NOT NULL, closed_at INTEGER,
  last_message INTEGER, last_seq INTEGER);
CREATE TABLE IF NOT EXISTS messages(
  conversation TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL, role TEXT NOT NULL,
  author TEXT NOT NULL, author_name TEXT NOT NULL, text TEXT NOT NULL, at INTEGER NOT NULL,
  client_id TEXT NOT NULL, coach TEXT NOT NULL, rules_version TEXT NOT NULL, prev INTEGER);
CREATE TABLE IF NOT EXISTS whispers(
  conversation TEXT NOT NULL, id TEXT NOT NULL, author TEXT NOT NULL, author_name TEXT NOT NULL,
  text TEXT NOT NULL, at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS whispers_by_conversation ON whispers(conversation);
CREATE INDEX IF NOT EXISTS messages_by_time ON messages(at);
CREATE TABLE IF NOT EXISTS rule_versions(
  version INTEGER PRIMARY KEY, rules_version TEXT NOT NULL, pack TEXT NOT NULL, author TEXT NOT NULL,
  author_name TEXT NOT NULL, at INTEGER NOT NULL, message TEXT NOT NULL, parent INTEGER);
CREATE TABLE IF NOT EXISTS rule_live(one INTEGER PRIMARY KEY CHECK(one = 1), version INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS rule_audit(
  at INTEGER NOT NULL, who TEXT NOT NULL, who_name TEXT NOT NULL, action TEXT NOT NULL,
  version INTEGER NOT NULL, from_version INTEGER, message TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS reviews(
  conversation TEXT PRIMARY KEY, agent TEXT NOT NULL, closed_at INTEGER NOT NULL, rules_version TEXT NOT NULL,
  review TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS reviews_by_close ON reviews(closed_at);
CREATE TABLE IF NOT EXISTS ratings(
  conversation TEXT PRIMARY KEY, score INTEGER NOT NULL, comment TEXT NOT NULL, at INTEGER NOT NULL);
)sql";

// A database from before the chain: messages had PRIMARY KEY(conversation, seq). Rebuilt once,
// in one transaction, keeping every rowid.
constexpr const char* kChainMigration = R"sql(
BEGIN;
ALTER TABLE conversations ADD COLUMN last_message INTEGER;
ALTER TABLE conversations ADD COLUMN last_seq INTEGER;
UPDATE conversations SET
  last_message = (SELECT rowid FROM messages m WHERE m.conversation = conversations.id ORDER BY seq DESC LIMIT 1),
  last_seq = (SELECT max(seq) FROM messages m WHERE m.conversation = conversations.id);
CREATE TABLE messages_chained(
  conversation TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL, role TEXT NOT NULL,
  author TEXT NOT NULL, author_name TEXT NOT NULL, text TEXT NOT NULL, at INTEGER NOT NULL,
  client_id TEXT NOT NULL, coach TEXT NOT NULL, rules_version TEXT NOT NULL, prev INTEGER);
INSERT INTO messages_chained(rowid, conversation, seq, id, role, author, author_name, text, at, client_id, coach,
                             rules_version, prev)
  SELECT m.rowid, m.conversation, m.seq, m.id, m.role, m.author, m.author_name, m.text, m.at, m.client_id, m.coach,
         m.rules_version, (SELECT p.rowid FROM messages p WHERE p.conversation = m.conversation AND p.seq < m.seq
                           ORDER BY p.seq DESC LIMIT 1)
  FROM messages m ORDER BY m.rowid;
DROP TABLE messages;
ALTER TABLE messages_chained RENAME TO messages;
CREATE INDEX messages_by_time ON messages(at);
COMMIT;
)sql";

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
// SQL of its own (sqlite_privacy.hpp, sqlite_learning.hpp): `work` in the batch's transaction,
// `after` (SQL, or null) once it is committed: for privacy the incremental vacuum, and for an
// erasure a checkpoint that empties the WAL.
struct SqlWork {
  std::function<bool(Database&)> work;
  const char* after;
};
using Write = std::variant<ConversationRecord, Assign, Close, MessageRecord, WhisperRecord, AddVersion, SetLive, SqlWork,
                           ReviewRecord, RatingRecord>;
struct Op {
  Write write;
  StoreDone done;
};


class SqliteStore final : public Store {
 public:
  SqliteStore(Metrics* metrics) : metrics_(metrics) {}
  ~SqliteStore() override {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    cv_.notify_all();
    if (writer_.joinable()) writer_.join();
  }

  bool open(const std::string& dir, std::string& error) {
    const std::string path = dir + "/tact.db";
    if (!private_files(path, error)) return false;
    if (!wdb_.open(path) || !wdb_.exec(kSchema) || !wdb_.exec(privacy::kPrivacySchema) ||
        !wdb_.exec(learning::kLearningSchema)) {
      error = "cannot open " + path + ": " + wdb_.error();
      return false;
    }
    if (!chained() && !upgrade(path, error)) return false;
    if (!rdb_.open(path) || !rdb_.exec("PRAGMA busy_timeout=5000;")) {
      error = "cannot open " + path + " for reading: " + rdb_.error();
      return false;
    }
    wdb_.exec("PRAGMA busy_timeout=5000;");
    ins_conv_ = wdb_.prepare("INSERT OR IGNORE INTO conversations VALUES(?,?,?,?,?,?,NULL,NULL,NULL)");
    assign_ = wdb_.prepare("UPDATE conversations SET agent=? WHERE id=?");
    close_ = wdb_.prepare("UPDATE conversations SET closed_at=? WHERE id=?");
    ins_msg_ = wdb_.prepare(
        "INSERT INTO messages VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,"
        "(SELECT last_message FROM conversations WHERE id=?1))");
    link_msg_ = wdb_.prepare(
        "UPDATE conversations SET last_message=last_insert_rowid(), last_seq=?2 WHERE id=?1 AND coalesce(last_seq, 0) < ?2");
    ins_whisper_ = wdb_.prepare("INSERT INTO whispers VALUES(?,?,?,?,?,?)");
    ins_version_ = wdb_.prepare("INSERT INTO rule_versions VALUES(?,?,?,?,?,?,?,?)");
    set_live_ = wdb_.prepare("INSERT OR REPLACE INTO rule_live VALUES(1, (SELECT version FROM rule_versions WHERE version=?))");
    ins_audit_ = wdb_.prepare("INSERT INTO rule_audit VALUES(?,?,?,?,?,?,?)");
    ins_review_ = wdb_.prepare("INSERT OR REPLACE INTO reviews VALUES(?,?,?,?,?)");
    ins_rating_ = wdb_.prepare("INSERT OR REPLACE INTO ratings VALUES(?,?,?,?)");
    if (!ins_conv_.ok() || !assign_.ok() || !close_.ok() || !ins_msg_.ok() || !link_msg_.ok() || !ins_whisper_.ok() || !ins_version_.ok() ||
        !set_live_.ok() || !ins_audit_.ok() || !ins_review_.ok() || !ins_rating_.ok()) {
      error = "cannot prepare statements: " + wdb_.error();
      return false;
    }
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
    std::lock_guard lock(read_mutex_);
    auto st = rdb_.prepare("SELECT conversation, score, comment, at FROM ratings WHERE conversation=?");
    if (!st.ok()) return std::nullopt;
    st.bind(1, conversation);
    if (st.step() != SQLITE_ROW) return std::nullopt;
    return RatingRecord{st.text(0), static_cast<int>(st.integer(1)), st.text(2), st.integer(3)};
  }
  std::optional<ReviewRecord> review(const std::string& conversation) override {
    auto found = read_reviews("WHERE v.conversation=?1", [&](Statement& st) { st.bind(1, conversation); });
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
  }
  std::vector<ReviewRecord> reviews(std::int64_t from, std::int64_t to) override {
    return read_reviews("WHERE v.closed_at >= ?1 AND v.closed_at < ?2 ORDER BY v.closed_at, v.conversation",
                        [&](Statement& st) { st.bind(1, from).bind(2, to); });
  }

  CustomerData customer_data(const std::string& customer) override {
    CustomerData out;
    {
      std::lock_guard lock(read_mutex_);
      out = privacy::read_customer(rdb_, customer);
    }
    add_reviews(*this, out);
    return out;
  }
  std::vector<ErasureRecord> erasures() override {
    std::lock_guard lock(read_mutex_);
    return privacy::read_erasures(rdb_);
  }
  void erase_customer(std::string customer, ErasureRecord audit, ErasureDone done) override {
    auto rec = std::make_shared<ErasureRecord>(std::move(audit));
    push({SqlWork{[customer = std::move(customer), rec](Database& db) { return privacy::erase_customer(db, customer, *rec); },
                       "PRAGMA incremental_vacuum; PRAGMA wal_checkpoint(TRUNCATE);"},
          [rec, done = std::move(done)](std::error_code ec) { done(ec, *rec); }});
  }
  void rewrite_texts(TextRewrite rewrite, PurgeDone done) override {
    auto changed = std::make_shared<std::size_t>(0);
    push({SqlWork{[rewrite = std::move(rewrite), changed](Database& db) { return privacy::rewrite_texts(db, rewrite, *changed); },
                       "PRAGMA incremental_vacuum; PRAGMA wal_checkpoint(TRUNCATE);"},
          [changed, done = std::move(done)](std::error_code ec) { done(ec, *changed); }});
  }
  void purge_closed(std::int64_t before, std::size_t max, PurgeDone done) override {
    auto removed = std::make_shared<std::size_t>(0);
    push({SqlWork{[before, max, removed](Database& db) { return privacy::purge_closed(db, before, max, *removed); },
                       "PRAGMA incremental_vacuum(256);"},
          [removed, done = std::move(done)](std::error_code ec) { done(ec, *removed); }});
  }

  std::vector<RuleVersionRecord> rule_versions(bool with_packs) override {
    std::lock_guard lock(read_mutex_);
    auto st = rdb_.prepare(with_packs ? "SELECT * FROM rule_versions ORDER BY version"
                                      : "SELECT version, rules_version, '', author, author_name, at, message, parent "
                                        "FROM rule_versions ORDER BY version");
    std::vector<RuleVersionRecord> out;
    while (st.ok() && st.step() == SQLITE_ROW) out.push_back(read_version(st));
    return out;
  }

  std::optional<RuleVersionRecord> rule_version(std::int64_t version) override {
    std::lock_guard lock(read_mutex_);
    auto st = rdb_.prepare("SELECT * FROM rule_versions WHERE version=?");
    if (!st.ok()) return std::nullopt;
    st.bind(1, version);
    if (st.step() != SQLITE_ROW) return std::nullopt;
    return read_version(st);
  }

  std::optional<std::int64_t> live_rules() override {
    std::lock_guard lock(read_mutex_);
    auto st = rdb_.prepare("SELECT version FROM rule_live WHERE one=1");
    if (!st.ok() || st.step() != SQLITE_ROW || st.is_null(0)) return std::nullopt;
    return st.integer(0);
  }

  std::vector<RuleAuditRecord> rule_audit() override {
    std::lock_guard lock(read_mutex_);
    auto st = rdb_.prepare("SELECT * FROM rule_audit ORDER BY rowid");
    std::vector<RuleAuditRecord> out;
    while (st.ok() && st.step() == SQLITE_ROW) {
      RuleAuditRecord a{st.integer(0), st.text(1), st.text(2), st.text(3), st.integer(4), std::nullopt, st.text(6)};
      if (!st.is_null(5)) a.from_version = st.integer(5);
      out.push_back(std::move(a));
    }
    return out;
  }

  void save_feedback(CoachFeedbackRecord f, StoreDone d) override {
    push({SqlWork{[f = std::move(f)](Database& db) { return learning::save_feedback(db, f); }, nullptr}, std::move(d)});
  }
  void save_lesson(LessonRecord l, StoreDone d) override {
    push({SqlWork{[l = std::move(l)](Database& db) { return learning::save_lesson(db, l); }, nullptr}, std::move(d)});
  }
  void delete_lesson(std::string id, StoreDone d) override {
    push({SqlWork{[id = std::move(id)](Database& db) { return learning::delete_lesson(db, id); }, nullptr}, std::move(d)});
  }
  std::vector<CoachFeedbackRecord> feedback(std::int64_t since) override {
    std::lock_guard lock(read_mutex_);
    return learning::read_feedback(rdb_, since);
  }
  std::vector<StoredCoach> coach_outputs(std::int64_t from, std::int64_t to) override {
    std::lock_guard lock(read_mutex_);
    return learning::read_coach_outputs(rdb_, from, to);
  }
  std::vector<LessonRecord> lessons(const std::string& cause) override {
    std::lock_guard lock(read_mutex_);
    return learning::read_lessons(rdb_, cause);
  }
  std::optional<LessonRecord> lesson(const std::string& id) override {
    if (id.empty()) return std::nullopt;
    std::lock_guard lock(read_mutex_);
    auto found = learning::read_lessons(rdb_, "", id);
    if (found.empty()) return std::nullopt;
    return std::move(found.front());
  }

  std::vector<MessageRecord> recent_messages(std::size_t limit) override {
    std::lock_guard lock(read_mutex_);
    auto st = rdb_.prepare("SELECT * FROM messages ORDER BY at DESC, rowid DESC LIMIT ?");
    std::vector<MessageRecord> out;
    if (!st.ok()) return out;
    st.bind(1, static_cast<std::int64_t>(limit));
    while (st.step() == SQLITE_ROW)
      out.push_back({st.text(0), st.text(2), st.integer(1), st.text(3), st.text(4), st.text(5), st.text(6),
                     st.integer(7), st.text(8), st.text(9), st.text(10)});
    std::reverse(out.begin(), out.end());
    return out;
  }

  void flush() override {
    std::unique_lock lock(mutex_);
    const auto target = queued_;
    idle_cv_.wait(lock, [&] { return done_ >= target; });
  }

  std::vector<ConversationRecord> conversations(bool open_only) override {
    std::lock_guard lock(read_mutex_);
    auto st = rdb_.prepare(open_only ? "SELECT * FROM conversations WHERE closed_at IS NULL ORDER BY rowid"
                                     : "SELECT * FROM conversations ORDER BY rowid");
    std::vector<ConversationRecord> out;
    while (st.ok() && st.step() == SQLITE_ROW) out.push_back(read_conversation(st));
    return out;
  }

  std::vector<ConversationRecord> closed_without_review(std::size_t limit) override {
    std::lock_guard lock(read_mutex_);
    auto st = rdb_.prepare(
        "SELECT * FROM conversations c WHERE closed_at IS NOT NULL AND NOT EXISTS "
        "(SELECT 1 FROM reviews v WHERE v.conversation = c.id) ORDER BY closed_at DESC LIMIT ?");
    std::vector<ConversationRecord> out;
    if (!st.ok()) return out;
    st.bind(1, static_cast<std::int64_t>(limit));
    while (st.step() == SQLITE_ROW) out.push_back(read_conversation(st));
    return out;
  }

  std::optional<ConversationRecord> conversation(const std::string& id) override {
    std::lock_guard lock(read_mutex_);
    auto st = rdb_.prepare("SELECT * FROM conversations WHERE id=?");
    if (!st.ok()) return std::nullopt;
    st.bind(1, id);
    if (st.step() != SQLITE_ROW) return std::nullopt;
    return read_conversation(st);
  }

  // Back along the conversation's chain from its last message. Read in one transaction, so a
  // commit in between cannot show a chain half old and half new.
  std::vector<MessageRecord> messages(const std::string& conversation) override {
    std::lock_guard lock(read_mutex_);
    std::vector<MessageRecord> out;
    auto head = rdb_.prepare("SELECT last_message FROM conversations WHERE id=?");
    auto one = rdb_.prepare("SELECT * FROM messages WHERE rowid=?");
    if (!head.ok() || !one.ok() || !rdb_.exec("BEGIN")) return out;
    head.bind(1, conversation);
    std::optional<std::int64_t> next;
    if (head.step() == SQLITE_ROW && !head.is_null(0)) next = head.integer(0);
    while (next) {
      one.bind(1, *next);
      if (one.step() != SQLITE_ROW) break;
      out.push_back({one.text(0), one.text(2), one.integer(1), one.text(3), one.text(4), one.text(5), one.text(6),
                     one.integer(7), one.text(8), one.text(9), one.text(10)});
      const auto at = *next;
      next.reset();
      if (!one.is_null(11) && one.integer(11) < at) next = one.integer(11);  // rowids only go down: no cycle
      one.reset();
    }
    head.reset();
    rdb_.exec("COMMIT");
    std::reverse(out.begin(), out.end());
    return out;
  }

  std::vector<WhisperRecord> whispers(const std::string& conversation) override {
    std::lock_guard lock(read_mutex_);
    auto st = rdb_.prepare("SELECT * FROM whispers WHERE conversation=? ORDER BY rowid");
    std::vector<WhisperRecord> out;
    if (!st.ok()) return out;
    st.bind(1, conversation);
    while (st.step() == SQLITE_ROW)
      out.push_back({st.text(0), st.text(1), st.text(2), st.text(3), st.text(4), st.integer(5)});
    return out;
  }

 private:
  // Once per data dir from before the chain; it rewrites the messages table, so a large one takes
  // a while: logged before and after.
  bool upgrade(const std::string& path, std::string& error) {
    log_event("store_upgrading", {{"path", path}, {"what", "messages become a chain per conversation"}});
    const auto t0 = std::chrono::steady_clock::now();
    if (!wdb_.exec(kChainMigration)) {
      error = "cannot upgrade the messages of " + path + ": " + wdb_.error();
      wdb_.exec("ROLLBACK");
      return false;
    }
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
    log_event("store_upgraded", {{"path", path}, {"ms", ms}});
    return true;
  }

  bool chained() {
    auto st = wdb_.prepare("SELECT 1 FROM pragma_table_info('messages') WHERE name='prev'");
    return st.ok() && st.step() == SQLITE_ROW;
  }

  std::vector<ReviewRecord> read_reviews(const std::string& where, const std::function<void(Statement&)>& bind) {
    std::lock_guard lock(read_mutex_);
    std::vector<ReviewRecord> out;
    auto st = rdb_.prepare(
        "SELECT v.conversation, v.agent, v.closed_at, v.rules_version, v.review, r.score, r.comment, r.at "
        "FROM reviews v LEFT JOIN ratings r ON r.conversation = v.conversation " + where);
    if (!st.ok()) return out;
    bind(st);
    while (st.step() == SQLITE_ROW) {
      ReviewRecord rec{st.text(0), st.text(1), st.integer(2), st.text(3), st.text(4), std::nullopt};
      if (!st.is_null(5)) rec.rating = RatingRecord{rec.conversation, static_cast<int>(st.integer(5)), st.text(6), st.integer(7)};
      out.push_back(std::move(rec));
    }
    return out;
  }

  static ConversationRecord read_conversation(const Statement& st) {
    ConversationRecord c{st.text(0), st.text(1), st.text(2), st.text(3), st.text(4), st.integer(5), std::nullopt};
    if (!st.is_null(6)) c.closed_at = st.integer(6);
    return c;
  }

  static RuleVersionRecord read_version(const Statement& st) {
    RuleVersionRecord v{st.integer(0), st.text(1), st.text(2), st.text(3), st.text(4), st.integer(5), st.text(6), std::nullopt};
    if (!st.is_null(7)) v.parent = st.integer(7);
    return v;
  }

  bool audit(const RuleAuditRecord& a) {
    ins_audit_.bind(1, a.at).bind(2, a.who).bind(3, a.who_name).bind(4, a.action).bind(5, a.version);
    if (a.from_version) ins_audit_.bind(6, *a.from_version);
    else ins_audit_.bind_null(6);
    ins_audit_.bind(7, a.message);
    const bool ok = ins_audit_.step() == SQLITE_DONE;
    ins_audit_.reset();
    return ok;
  }

  bool step_once(Statement& st) {
    const bool ok = st.step() == SQLITE_DONE;
    st.reset();
    return ok;
  }

  // The writer waits for a first write, then for the gap or a full batch: waking it for those
  // is enough (a notify per write was a futex call per message under load).
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

  bool apply(const Write& w) {
    Statement* st = nullptr;
    if (auto* c = std::get_if<ConversationRecord>(&w)) {
      st = &ins_conv_;
      st->bind(1, c->id).bind(2, c->customer).bind(3, c->customer_name).bind(4, c->agent).bind(5, c->channel).bind(6, c->opened_at);
    } else if (auto* a = std::get_if<Assign>(&w)) {
      st = &assign_;
      st->bind(1, a->agent).bind(2, a->conversation);
    } else if (auto* cl = std::get_if<Close>(&w)) {
      st = &close_;
      st->bind(1, cl->at).bind(2, cl->conversation);
    } else if (auto* m = std::get_if<MessageRecord>(&w)) {
      // Bound in place: the batch outlives both steps, and a copy of each text (the coach's 2 KB
      // among them) was a malloc, a memcpy and a free per column on every message.
      ins_msg_.bind_borrowed(1, m->conversation).bind(2, m->seq).bind_borrowed(3, m->id).bind_borrowed(4, m->role)
          .bind_borrowed(5, m->author).bind_borrowed(6, m->author_name).bind_borrowed(7, m->text).bind(8, m->at)
          .bind_borrowed(9, m->client_id).bind_borrowed(10, m->coach_json).bind_borrowed(11, m->rules_version);
      if (!step_once(ins_msg_)) return false;
      // Fails (and the transaction with it) for an unknown conversation or a seq not after its last.
      link_msg_.bind_borrowed(1, m->conversation).bind(2, m->seq);
      if (!step_once(link_msg_)) return false;
      if (sqlite3_changes(wdb_.handle()) == 1) return true;
      refused_ = StoreError::constraint;  // not a SQLite error: the chain's own check
      return false;
    } else if (auto* wh = std::get_if<WhisperRecord>(&w)) {
      st = &ins_whisper_;
      st->bind(1, wh->conversation).bind(2, wh->id).bind(3, wh->author).bind(4, wh->author_name).bind(5, wh->text).bind(6, wh->at);
    } else if (auto* av = std::get_if<AddVersion>(&w)) {
      const auto& v = av->version;
      ins_version_.bind(1, v.version).bind(2, v.rules_version).bind(3, v.pack_json).bind(4, v.author).bind(5, v.author_name)
          .bind(6, v.at).bind(7, v.message);
      if (v.parent) ins_version_.bind(8, *v.parent);
      else ins_version_.bind_null(8);
      if (!step_once(ins_version_)) return false;
      set_live_.bind(1, v.version);
      return step_once(set_live_) && audit(av->audit);
    } else if (auto* pw = std::get_if<SqlWork>(&w)) {
      return pw->work(wdb_);
    } else if (auto* rv = std::get_if<ReviewRecord>(&w)) {
      st = &ins_review_;
      st->bind(1, rv->conversation).bind(2, rv->agent).bind(3, rv->closed_at).bind(4, rv->rules_version).bind(5, rv->review_json);
    } else if (auto* rt = std::get_if<RatingRecord>(&w)) {
      st = &ins_rating_;
      st->bind(1, rt->conversation).bind(2, static_cast<std::int64_t>(rt->score)).bind(3, rt->comment).bind(4, rt->at);
    } else if (auto* sl = std::get_if<SetLive>(&w)) {
      set_live_.bind(1, sl->version);  // NOT NULL fails for a version that is not stored
      return step_once(set_live_) && audit(sl->audit);
    }
    const bool ok = st->step() == SQLITE_DONE;
    st->reset();
    return ok;
  }

  // One transaction; on failure, each write alone so that only the bad ones fail.
  std::vector<std::error_code> commit(const std::deque<Op>& batch) {
    std::vector<std::error_code> result(batch.size());
    bool ok = wdb_.exec("BEGIN");
    for (std::size_t i = 0; ok && i < batch.size(); ++i) ok = apply(batch[i].write);
    if (ok && wdb_.exec("COMMIT")) return result;
    const std::string why = wdb_.error();
    wdb_.exec("ROLLBACK");
    for (std::size_t i = 0; i < batch.size(); ++i) {
      refused_.clear();
      bool one = wdb_.exec("BEGIN") && apply(batch[i].write) && wdb_.exec("COMMIT");
      if (!one) {
        result[i] = refused_ ? refused_ : store_error_from_sqlite(sqlite3_extended_errcode(wdb_.handle()));
        log_event("store_error", {{"message", wdb_.error()}, {"kind", result[i].message()}});
        wdb_.exec("ROLLBACK");
      }
    }
    log_event("store_batch_retried", {{"writes", batch.size()}, {"message", why}});
    return result;
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
        while (!queue_.empty() && batch.size() < kMaxBatch) {
          batch.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
      }
      const auto t0 = std::chrono::steady_clock::now();
      auto result = commit(batch);
      for (std::size_t i = 0; i < batch.size(); ++i)
        if (auto* pw = std::get_if<SqlWork>(&batch[i].write); pw && pw->after && !result[i] && !wdb_.exec(pw->after))
          log_event("store_error", {{"what", "privacy_after"}, {"message", wdb_.error()}});
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
  Database wdb_, rdb_;
  Statement ins_conv_, assign_, close_, ins_msg_, link_msg_, ins_whisper_, ins_version_, set_live_, ins_audit_, ins_review_,
      ins_rating_;
  std::mutex read_mutex_;
  std::mutex mutex_;
  std::condition_variable cv_, idle_cv_;
  std::deque<Op> queue_;
  std::uint64_t queued_ = 0, done_ = 0;
  bool stopping_ = false;
  std::thread writer_;
  std::error_code refused_;  // set by apply() for a write refused by a check of its own
};

}  // namespace

// Defaults for a Store without rule versions.
void Store::add_rule_version(RuleVersionRecord, RuleAuditRecord, StoreDone done) {
  if (done) done(StoreError::unsupported);
}
void Store::set_live_rules(std::int64_t, RuleAuditRecord, StoreDone done) {
  if (done) done(StoreError::unsupported);
}
std::vector<RuleVersionRecord> Store::rule_versions(bool) { return {}; }
std::optional<RuleVersionRecord> Store::rule_version(std::int64_t) { return std::nullopt; }
std::optional<std::int64_t> Store::live_rules() { return std::nullopt; }
std::vector<RuleAuditRecord> Store::rule_audit() { return {}; }
std::vector<MessageRecord> Store::recent_messages(std::size_t) { return {}; }
void Store::save_feedback(CoachFeedbackRecord, StoreDone done) {
  if (done) done(StoreError::unsupported);
}
std::vector<CoachFeedbackRecord> Store::feedback(std::int64_t) { return {}; }
std::vector<StoredCoach> Store::coach_outputs(std::int64_t, std::int64_t) { return {}; }
void Store::save_lesson(LessonRecord, StoreDone done) {
  if (done) done(StoreError::unsupported);
}
void Store::delete_lesson(std::string, StoreDone done) {
  if (done) done(StoreError::unsupported);
}
std::vector<LessonRecord> Store::lessons(const std::string&) { return {}; }
std::optional<LessonRecord> Store::lesson(const std::string&) { return std::nullopt; }
void Store::save_review(ReviewRecord, StoreDone done) {
  if (done) done(StoreError::unsupported);
}
void Store::save_rating(RatingRecord, StoreDone done) {
  if (done) done(StoreError::unsupported);
}
std::optional<ReviewRecord> Store::review(const std::string&) { return std::nullopt; }
std::optional<RatingRecord> Store::rating(const std::string&) { return std::nullopt; }
std::vector<ReviewRecord> Store::reviews(std::int64_t, std::int64_t) { return {}; }
std::vector<ConversationRecord> Store::closed_without_review(std::size_t) { return {}; }
CustomerData Store::customer_data(const std::string&) { return {}; }
void Store::erase_customer(std::string, ErasureRecord audit, ErasureDone done) {
  if (done) done(std::make_error_code(std::errc::function_not_supported), audit);
}
void Store::purge_closed(std::int64_t, std::size_t, PurgeDone done) {
  if (done) done(std::make_error_code(std::errc::function_not_supported), 0);
}
std::vector<ErasureRecord> Store::erasures() { return {}; }
std::optional<std::int64_t> Store::reserve_conversation_ids() { return std::nullopt; }
std::optional<ConversationRecord> Store::open_conversation_of(const std::string& customer) {
  std::optional<ConversationRecord> found;
  for (auto& c : conversations(true))
    if (c.channel == "ws" && c.customer == customer) found = std::move(c);
  return found;
}
std::map<std::string, int> Store::open_per_agent() {
  std::map<std::string, int> out;
  for (const auto& c : conversations(true))
    if (!c.agent.empty()) ++out[c.agent];
  return out;
}
std::map<std::string, MessageRecord> Store::last_messages_of_open() {
  std::map<std::string, MessageRecord> out;
  for (const auto& c : conversations(true))
    if (auto m = messages(c.id); !m.empty()) out.emplace(c.id, std::move(m.back()));
  return out;
}
void Store::rewrite_texts(TextRewrite, PurgeDone done) {
  if (done) done(std::make_error_code(std::errc::function_not_supported), 0);
}

std::unique_ptr<Store> open_sqlite_store(const std::string& dir, Metrics* metrics, std::string& error) {
  auto s = std::make_unique<SqliteStore>(metrics);
  if (!s->open(dir, error)) return nullptr;
  return s;
}

}  // namespace tact::gateway
