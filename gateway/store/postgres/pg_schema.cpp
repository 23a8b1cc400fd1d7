#include "store/postgres/pg_schema.hpp"

#include "obs/log.hpp"
#include "store/postgres/pg_learning.hpp"

namespace tact::gateway::pg {

namespace {

// Messages are found by (conversation, seq), the primary key; `n` keeps insertion order where
// SQLite used its rowid.
constexpr const char* kTables = R"sql(
CREATE TABLE conversations(
  n bigserial UNIQUE, id text PRIMARY KEY, customer text NOT NULL, customer_name text NOT NULL, agent text NOT NULL,
  channel text NOT NULL, opened_at bigint NOT NULL, closed_at bigint);
CREATE INDEX conversations_open ON conversations(n) WHERE closed_at IS NULL;
CREATE INDEX conversations_by_customer ON conversations(customer);
CREATE TABLE messages(
  n bigserial, conversation text NOT NULL REFERENCES conversations(id), seq bigint NOT NULL, id text NOT NULL,
  role text NOT NULL, author text NOT NULL, author_name text NOT NULL, text text NOT NULL, at bigint NOT NULL,
  client_id text NOT NULL, coach text NOT NULL, rules_version text NOT NULL, PRIMARY KEY(conversation, seq));
CREATE INDEX messages_by_time ON messages(at);
CREATE TABLE whispers(
  n bigserial, conversation text NOT NULL, id text NOT NULL, author text NOT NULL, author_name text NOT NULL,
  text text NOT NULL, at bigint NOT NULL);
CREATE INDEX whispers_by_conversation ON whispers(conversation);
CREATE TABLE rule_versions(
  version bigint PRIMARY KEY, rules_version text NOT NULL, pack text NOT NULL, author text NOT NULL,
  author_name text NOT NULL, at bigint NOT NULL, message text NOT NULL, parent bigint);
CREATE TABLE rule_live(one int PRIMARY KEY CHECK(one = 1), version bigint NOT NULL);
CREATE TABLE rule_audit(
  n bigserial, at bigint NOT NULL, who text NOT NULL, who_name text NOT NULL, action text NOT NULL,
  version bigint NOT NULL, from_version bigint, message text NOT NULL);
CREATE TABLE data_audit(
  n bigserial, at bigint NOT NULL, who text NOT NULL, action text NOT NULL, customer text NOT NULL,
  conversations bigint NOT NULL, messages bigint NOT NULL, whispers bigint NOT NULL);
)sql";

// With more than one node, a client whose node died sends its unacknowledged message again to
// another: the database, not a node's memory, makes sure it is stored once. Gateway conversation
// ids come from a sequence, in blocks, so that nodes never pick the same one.
constexpr const char* kClientIds = R"sql(
CREATE UNIQUE INDEX messages_client_id ON messages(conversation, author, client_id) WHERE client_id <> '';
CREATE SEQUENCE conversation_ids INCREMENT BY 100 MINVALUE 1;
)sql";

// Issue 22: the review of each closed conversation and the customer's rating of it.
constexpr const char* kReviews = R"sql(
CREATE TABLE reviews(
  conversation text PRIMARY KEY, agent text NOT NULL, closed_at bigint NOT NULL, rules_version text NOT NULL,
  review text NOT NULL);
CREATE INDEX reviews_by_close ON reviews(closed_at);
CREATE TABLE ratings(conversation text PRIMARY KEY, score int NOT NULL, comment text NOT NULL, at bigint NOT NULL);
)sql";

}  // namespace

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> all{
      {1, "tables", kTables},
      {2, "a client_id is stored once per author and conversation; conversation ids in blocks", kClientIds},
      {3, "reviews of closed conversations and customer ratings", kReviews},
      {4, "feedback on the coach and the team's lessons", kLearningTables},
  };
  return all;
}

int schema_version(Connection& db) {
  auto r = db.exec("SELECT coalesce(max(version), 0) FROM schema_version");
  if (!r.ok()) return r.sqlstate() == "42P01" ? 0 : -1;  // undefined_table: an empty database
  return static_cast<int>(r.integer(0, 0));
}

bool migrate(Connection& db, std::string& error, int target) {
  const auto& all = migrations();
  if (target <= 0) target = all.back().version;
  auto fail = [&](const std::string& why) {
    error = why;
    db.exec("ROLLBACK");
    return false;
  };
  // 7254 ("tact" on a phone keypad, roughly): one lock id for every Tact node on this database.
  for (const char* sql : {"BEGIN", "SELECT pg_advisory_xact_lock(7254)",
                          "CREATE TABLE IF NOT EXISTS schema_version(version int PRIMARY KEY, at bigint NOT NULL)"}) {
    if (auto r = db.exec(sql); !r.ok()) return fail(std::string("cannot migrate the schema: ") + r.error());
  }
  const int have = schema_version(db);
  if (have < 0) return fail("cannot read schema_version: " + db.error());
  if (have > all.back().version)
    return fail("the database has schema version " + std::to_string(have) + ", newer than this tact knows (" +
                std::to_string(all.back().version) + "): run the newer tact, or restore a backup");
  for (const auto& m : all) {
    if (m.version <= have || m.version > target) continue;
    log_event("store_migrating", {{"to", m.version}, {"what", m.what}});
    if (auto r = db.exec(m.sql); !r.ok())
      return fail("schema migration " + std::to_string(m.version) + " (" + m.what + ") failed: " + r.error());
    Params p;
    p.add(static_cast<std::int64_t>(m.version));
    if (auto r = db.exec("INSERT INTO schema_version VALUES($1::int, extract(epoch from now())::bigint * 1000)", p); !r.ok())
      return fail("cannot record schema version " + std::to_string(m.version) + ": " + r.error());
  }
  if (auto r = db.exec("COMMIT"); !r.ok()) return fail("cannot commit the schema migration: " + r.error());
  return true;
}

}  // namespace tact::gateway::pg
