#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <future>
#include <thread>

#include <sqlite3.h>

#include "obs/log.hpp"
#include "obs/metrics.hpp"
#include "store/store.hpp"
#include "support/temp_dir.hpp"
#include "store/store_error.hpp"

using namespace tact::gateway;

namespace {
struct Dir : tact::test::TempDir {
  Dir() : TempDir("tact-store") {}
};

MessageRecord message(const std::string& conv, std::int64_t seq) {
  return {conv, conv + "-" + std::to_string(seq), seq, "customer", "dana", "Dana", "text " + std::to_string(seq),
          1000 + seq, "k" + std::to_string(seq), R"({"acts":[]})", "default@x"};
}
}  // namespace

TEST_CASE("writes are stored in order, done once committed, and read back after reopening") {
  set_logging(false);
  Dir dir;
  Metrics metrics;
  std::string error;
  {
    auto store = open_sqlite_store(dir.path, &metrics, error);
    REQUIRE(store);
    std::vector<int> order;
    std::mutex m;
    store->open_conversation({"c1", "dana", "Dana", "", "ws", 1, std::nullopt}, nullptr);
    for (int i = 1; i <= 1000; ++i)
      store->append_message(message("c1", i), [&, i](std::error_code ec) {
        REQUIRE_FALSE(ec);
        std::lock_guard lock(m);
        order.push_back(i);
      });
    store->assign("c1", "alice", nullptr);
    store->append_whisper({"c1", "c1-w1", "sam", "Sam", "psst", 5}, nullptr);
    store->flush();
    REQUIRE(order.size() == 1000);
    CHECK(std::is_sorted(order.begin(), order.end()));
    CHECK(metrics.store_batches.load() < 1000);  // grouped
  }
  auto store = open_sqlite_store(dir.path, &metrics, error);
  REQUIRE(store);
  auto open = store->conversations(true);
  REQUIRE(open.size() == 1);
  CHECK(open[0].agent == "alice");
  auto msgs = store->messages("c1");
  REQUIRE(msgs.size() == 1000);
  CHECK(msgs[41].seq == 42);
  CHECK(msgs[41].client_id == "k42");
  CHECK(msgs[41].rules_version == "default@x");
  CHECK(store->whispers("c1").size() == 1);
  store->close_conversation("c1", 99, nullptr);
  store->flush();
  CHECK(store->conversations(true).empty());
  CHECK(store->conversation("c1")->closed_at == 99);
  CHECK_FALSE(store->conversation("nope"));
}

TEST_CASE("the WAL is copied into the database while the store runs, so it does not grow without bound") {
  set_logging(false);
  Dir dir;
  Metrics metrics;
  std::string error;
  auto store = open_sqlite_store(dir.path, &metrics, error);
  REQUIRE(store);
  store->open_conversation({"c1", "dana", "Dana", "", "ws", 1, std::nullopt}, nullptr);
  const std::string coach(2000, 'x');
  for (int i = 1; i <= 2000; ++i) {
    auto m = message("c1", i);
    m.coach_json = coach;
    store->append_message(std::move(m), nullptr);
    if (i % 20 == 0) store->flush();  // many small commits, as under live load
  }
  store->flush();
  const auto db = std::filesystem::path(dir.path) / "tact.db";
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::filesystem::file_size(db) < 2000 * 2000 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(std::filesystem::file_size(db) >= 2000 * 2000);  // the messages are in the database file itself
  // Later commits reuse the WAL from its start instead of appending forever.
  const auto wal = std::filesystem::path(dir.path) / "tact.db-wal";
  const auto wal_before = std::filesystem::file_size(wal);
  for (int i = 2001; i <= 4000; ++i) {
    auto m = message("c1", i);
    m.coach_json = coach;
    store->append_message(std::move(m), nullptr);
    if (i % 20 == 0) {
      store->flush();
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
  }
  store->flush();
  CHECK(std::filesystem::file_size(wal) < wal_before + 2000 * 2000);
  // Nor under writes without a pause (1 s of them).
  std::uint64_t written = 0;
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  for (int i = 4001; std::chrono::steady_clock::now() < until; ++i) {
    auto m = message("c1", i);
    m.coach_json = coach;
    store->append_message(std::move(m), nullptr);
    written += coach.size();
    if (i % 20 == 0) store->flush();
  }
  store->flush();
  INFO("written " << written << " bytes, WAL " << std::filesystem::file_size(wal));
  CHECK(std::filesystem::file_size(wal) < written / 2);  // without a restart it is larger than `written`
}

TEST_CASE("a failed write fails alone and is reported") {
  set_logging(false);
  Dir dir;
  std::string error;
  auto store = open_sqlite_store(dir.path, nullptr, error);
  REQUIRE(store);
  store->open_conversation({"c1", "dana", "Dana", "", "ws", 1, std::nullopt}, nullptr);
  std::vector<std::error_code> results(4);
  store->append_message(message("c1", 1), [&](std::error_code ec) { results[0] = ec; });
  store->append_message(message("c1", 1), [&](std::error_code ec) { results[1] = ec; });  // duplicate seq
  store->append_message(message("c1", 2), [&](std::error_code ec) { results[2] = ec; });
  store->append_message(message("ghost", 1), [&](std::error_code ec) { results[3] = ec; });  // no such conversation
  store->flush();
  CHECK_FALSE(results[0]);
  CHECK(results[1] == StoreError::constraint);  // says what failed: not the disk, not a bug in SQLite
  CHECK_FALSE(results[2]);
  CHECK(results[3] == StoreError::constraint);
  CHECK(results[3].message().find("contradicts") != std::string::npos);
  const auto msgs = store->messages("c1");
  REQUIRE(msgs.size() == 2);
  CHECK(msgs[0].seq == 1);
  CHECK(msgs[1].seq == 2);
  CHECK(store->messages("ghost").empty());
}

// Messages used to be found by PRIMARY KEY(conversation, seq); they are now a chain per
// conversation (see sqlite_store.cpp). A data dir from before is upgraded when opened.
TEST_CASE("a database from before the message chain is upgraded on open, keeping every message in order") {
  set_logging(false);
  Dir dir;
  {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open((dir.path + "/tact.db").c_str(), &db) == SQLITE_OK);
    const char* old_schema = R"sql(
      PRAGMA journal_mode=WAL;
      CREATE TABLE conversations(
        id TEXT PRIMARY KEY, customer TEXT NOT NULL, customer_name TEXT NOT NULL, agent TEXT NOT NULL,
        channel TEXT NOT NULL, opened_at INTEGER NOT NULL, closed_at INTEGER);
      CREATE TABLE messages(
        conversation TEXT NOT NULL, seq INTEGER NOT NULL, id TEXT NOT NULL, role TEXT NOT NULL,
        author TEXT NOT NULL, author_name TEXT NOT NULL, text TEXT NOT NULL, at INTEGER NOT NULL,
        client_id TEXT NOT NULL, coach TEXT NOT NULL, rules_version TEXT NOT NULL,
        PRIMARY KEY(conversation, seq));
      CREATE INDEX messages_by_time ON messages(at);
      INSERT INTO conversations VALUES('c1','dana','Dana','alice','ws',1,NULL);
      INSERT INTO conversations VALUES('c2','eli','Eli','alice','ws',2,NULL);
      INSERT INTO conversations VALUES('c3','fay','Fay','','ws',3,NULL);
      INSERT INTO messages VALUES('c1',1,'c1-1','customer','dana','Dana','one',10,'k1','{"n":1}','v');
      INSERT INTO messages VALUES('c2',1,'c2-1','customer','eli','Eli','uno',11,'k1','{}','v');
      INSERT INTO messages VALUES('c1',2,'c1-2','agent','alice','Alice','two',12,'k2','{"n":2}','v');
      INSERT INTO messages VALUES('c2',2,'c2-2','agent','alice','Alice','dos',13,'k2','{}','v');
      INSERT INTO messages VALUES('c1',3,'c1-3','customer','dana','Dana','three',14,'k3','{"n":3}','v');
    )sql";
    REQUIRE(sqlite3_exec(db, old_schema, nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
  }
  std::string error;
  for (int open = 0; open < 2; ++open) {  // the second open finds it upgraded already
    auto store = open_sqlite_store(dir.path, nullptr, error);
    REQUIRE(store);
    auto c1 = store->messages("c1");
    REQUIRE(c1.size() == 3 + static_cast<std::size_t>(open));
    CHECK(c1[0].text == "one");
    CHECK(c1[0].coach_json == R"({"n":1})");
    CHECK(c1[1].text == "two");
    CHECK(c1[2].text == "three");
    CHECK(store->messages("c2").size() == 2);
    CHECK(store->messages("c3").empty());
    CHECK(store->conversations(true).size() == 3);
    CHECK(store->recent_messages(10).size() == 5 + static_cast<std::size_t>(open));
    if (open == 0) {
      std::error_code repeated, next;
      store->append_message(message("c1", 3), [&](std::error_code ec) { repeated = ec; });
      store->append_message(message("c1", 4), [&](std::error_code ec) { next = ec; });
      store->flush();
      CHECK(repeated);  // seq 3 is taken
      CHECK_FALSE(next);
    } else {
      CHECK(c1[3].seq == 4);
    }
  }
}

TEST_CASE("an unwritable data dir is refused with a reason") {
  std::string error;
  CHECK_FALSE(open_sqlite_store("/proc/definitely/not/here", nullptr, error));
  CHECK_FALSE(error.empty());
}

TEST_CASE("purge_closed removes conversations closed before the cutoff, oldest first, and keeps open ones and the rule audit") {
  set_logging(false);
  Dir dir;
  std::string error;
  auto store = open_sqlite_store(dir.path, nullptr, error);
  REQUIRE(store);
  auto ignore = [](std::error_code) {};
  for (const char* id : {"old1", "old2", "recent", "open"}) {
    store->open_conversation({id, std::string("cust-") + id, "Dana", "alice", "ws", 100, std::nullopt}, ignore);
    store->append_message(message(id, 1), ignore);
    store->append_message(message(id, 2), ignore);
    store->append_whisper({id, std::string(id) + "-w1", "sam", "Sam", "hint", 150}, ignore);
  }
  store->close_conversation("old1", 1000, ignore);
  store->close_conversation("old2", 2000, ignore);
  store->close_conversation("recent", 9000, ignore);
  store->add_rule_version({1, "default@x", "{}", "ada", "Ada", 50, "seed", std::nullopt}, {50, "ada", "Ada", "seed", 1, std::nullopt, "seed"}, ignore);
  std::vector<std::size_t> removed;
  // Small batches: one conversation at a time.
  store->purge_closed(5000, 1, [&](std::error_code ec, std::size_t n) { REQUIRE(!ec); removed.push_back(n); });
  store->flush();
  CHECK(removed == std::vector<std::size_t>{1});
  CHECK_FALSE(store->conversation("old1"));
  CHECK(store->conversation("old2"));
  store->purge_closed(5000, 10, [&](std::error_code ec, std::size_t n) { REQUIRE(!ec); removed.push_back(n); });
  store->flush();
  CHECK(removed == std::vector<std::size_t>{1, 1});
  CHECK_FALSE(store->conversation("old2"));
  CHECK(store->messages("old2").empty());
  CHECK(store->whispers("old2").empty());
  CHECK(store->messages("recent").size() == 2);
  CHECK(store->messages("open").size() == 2);
  CHECK(store->conversation("open"));
  CHECK(store->rule_audit().size() == 1);
}

TEST_CASE("erase_customer removes that customer's conversations and writes an audit line with counts") {
  set_logging(false);
  Dir dir;
  std::string error;
  auto store = open_sqlite_store(dir.path, nullptr, error);
  REQUIRE(store);
  auto ignore = [](std::error_code) {};
  store->open_conversation({"c1", "dana", "Dana", "alice", "ws", 100, std::nullopt}, ignore);
  store->open_conversation({"c2", "otto", "Otto", "alice", "ws", 100, std::nullopt}, ignore);
  for (int i = 1; i <= 3; ++i) store->append_message(message("c1", i), ignore);
  store->append_message(message("c2", 1), ignore);
  store->flush();
  auto data = store->customer_data("dana");
  REQUIRE(data.conversations.size() == 1);
  CHECK(data.messages.size() == 3);
  ErasureRecord got;
  store->erase_customer("dana", {500, "ada", "hash", 0, 0, 0}, [&](std::error_code ec, const ErasureRecord& r) {
    REQUIRE(!ec);
    got = r;
  });
  store->flush();
  CHECK(got.conversations == 1);
  CHECK(got.messages == 3);
  CHECK(store->customer_data("dana").conversations.empty());
  CHECK(store->messages("c1").empty());
  CHECK(store->messages("c2").size() == 1);
  REQUIRE(store->erasures().size() == 1);
  CHECK(store->erasures()[0].customer == "hash");
}
