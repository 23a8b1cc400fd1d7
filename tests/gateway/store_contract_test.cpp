// What every Store promises (store/store.hpp), against each: SQLite in a temporary directory and
// PostgreSQL in a fresh database of a server this test starts.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <mutex>

#include "obs/log.hpp"
#include "obs/metrics.hpp"
#include "services.hpp"
#include "store/store.hpp"
#include "store/store_error.hpp"

using namespace tact::gateway;

namespace {

tact::test::PostgresServer& postgres() { return tact::test::shared_postgres(); }

// A place for one store, opened (and opened again) by kind.
struct Place {
  explicit Place(const std::string& store_kind) : kind(store_kind) {
    set_logging(false);
    if (kind == "sqlite") {
      std::string t = (std::filesystem::temp_directory_path() / "tact-contract-XXXXXX").string();
      where = mkdtemp(t.data());
    } else {
      where = postgres().new_database();
    }
  }
  ~Place() {
    if (kind == "sqlite") std::filesystem::remove_all(where);
  }
  std::unique_ptr<Store> open(Metrics* metrics = nullptr) {
    std::string error;
    auto s = kind == "sqlite" ? open_sqlite_store(where, metrics, error) : open_postgres_store(where, metrics, error);
    INFO(error);
    REQUIRE(s);
    return s;
  }
  std::string kind, where;
};

MessageRecord message(const std::string& conv, std::int64_t seq, const std::string& client_id = "") {
  return {conv, conv + "-" + std::to_string(seq), seq, "customer", "dana", "Dana", "text " + std::to_string(seq),
          1000 + seq, client_id.empty() ? "k" + std::to_string(seq) : client_id, R"({"acts":[]})", "default@x"};
}

const auto ignore = [](std::error_code) {};

}  // namespace

TEST_CASE("store contract: writes are stored in order, done once committed, grouped, and read back after reopening") {
  const std::string kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  INFO(kind);
  Place place(kind);
  Metrics metrics;
  {
    auto store = place.open(&metrics);
    std::vector<int> order;
    std::mutex m;
    store->open_conversation({"c1", "dana", "Dana", "", "ws", 1, std::nullopt}, nullptr);
    for (int i = 1; i <= 1000; ++i)
      store->append_message(message("c1", i), [&, i](std::error_code ec) {
        std::lock_guard lock(m);
        if (!ec) order.push_back(i);
      });
    store->assign("c1", "alice", nullptr);
    store->append_whisper({"c1", "c1-w1", "sam", "Sam", "psst", 5}, nullptr);
    store->flush();
    REQUIRE(order.size() == 1000);
    CHECK(std::is_sorted(order.begin(), order.end()));
    CHECK(metrics.store_batches.load() < 500);  // grouped, not one commit per write
  }
  auto store = place.open();
  auto open = store->conversations(true);
  REQUIRE(open.size() == 1);
  CHECK(open[0].agent == "alice");
  CHECK(open[0].customer_name == "Dana");
  auto msgs = store->messages("c1");
  REQUIRE(msgs.size() == 1000);
  CHECK(msgs[41].seq == 42);
  CHECK(msgs[41].client_id == "k42");
  CHECK(msgs[41].rules_version == "default@x");
  CHECK(msgs[41].coach_json == R"({"acts":[]})");
  REQUIRE(store->whispers("c1").size() == 1);
  CHECK(store->whispers("c1")[0].text == "psst");
  auto recent = store->recent_messages(3);
  REQUIRE(recent.size() == 3);
  CHECK(recent[0].seq == 998);
  CHECK(recent[2].seq == 1000);
  store->close_conversation("c1", 99, nullptr);
  store->flush();
  CHECK(store->conversations(true).empty());
  CHECK(store->conversations(false).size() == 1);
  CHECK(store->conversation("c1")->closed_at == 99);
  CHECK_FALSE(store->conversation("nope"));
}

TEST_CASE("store contract: a failed write fails alone, as a constraint, and the others of its group are stored") {
  const std::string kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  INFO(kind);
  Place place(kind);
  auto store = place.open();
  store->open_conversation({"c1", "dana", "Dana", "", "ws", 1, std::nullopt}, nullptr);
  std::vector<std::error_code> results(4);
  store->append_message(message("c1", 1), [&](std::error_code ec) { results[0] = ec; });
  store->append_message(message("c1", 1, "other"), [&](std::error_code ec) { results[1] = ec; });  // seq taken
  store->append_message(message("c1", 2), [&](std::error_code ec) { results[2] = ec; });
  store->append_message(message("ghost", 1), [&](std::error_code ec) { results[3] = ec; });  // no such conversation
  store->flush();
  CHECK_FALSE(results[0]);
  CHECK(results[1] == StoreError::constraint);
  CHECK_FALSE(results[2]);
  CHECK(results[3] == StoreError::constraint);
  const auto msgs = store->messages("c1");
  REQUIRE(msgs.size() == 2);
  CHECK(msgs[0].seq == 1);
  CHECK(msgs[1].seq == 2);
  CHECK(store->messages("ghost").empty());
}

TEST_CASE("store contract: rule versions are stored, made live, audited; an unknown version is refused") {
  const std::string kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  INFO(kind);
  Place place(kind);
  {
    auto store = place.open();
    CHECK_FALSE(store->live_rules());
    std::error_code a, b, bad;
    store->add_rule_version({1, "default@aaa", R"({"pack":1})", "ada", "Ada", 10, "seed", std::nullopt},
                            {10, "ada", "Ada", "seed", 1, std::nullopt, "seed"}, [&](std::error_code ec) { a = ec; });
    store->add_rule_version({2, "default@bbb", R"({"pack":2})", "ada", "Ada", 20, "more", 1},
                            {20, "ada", "Ada", "publish", 2, 1, "more"}, [&](std::error_code ec) { b = ec; });
    store->set_live_rules(7, {30, "ada", "Ada", "rollback", 7, 2, "nope"}, [&](std::error_code ec) { bad = ec; });
    store->flush();
    CHECK_FALSE(a);
    CHECK_FALSE(b);
    CHECK(bad == StoreError::constraint);
    CHECK(store->live_rules() == 2);
    store->set_live_rules(1, {40, "ada", "Ada", "rollback", 1, 2, "back"}, ignore);
    store->flush();
  }
  auto store = place.open();
  CHECK(store->live_rules() == 1);
  auto versions = store->rule_versions(false);
  REQUIRE(versions.size() == 2);
  CHECK(versions[1].parent == 1);
  CHECK(versions[1].pack_json.empty());
  CHECK(store->rule_version(2)->pack_json == R"({"pack":2})");
  CHECK_FALSE(store->rule_version(3));
  auto audit = store->rule_audit();
  REQUIRE(audit.size() == 3);  // the refused rollback left no line
  CHECK(audit[2].action == "rollback");
  CHECK(audit[2].from_version == 2);
  CHECK_FALSE(audit[0].from_version);
}

TEST_CASE("store contract: purge, erase and rewrite touch what they say and nothing else") {
  const std::string kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  INFO(kind);
  Place place(kind);
  auto store = place.open();
  for (const char* id : {"old1", "old2", "open"}) {
    store->open_conversation({id, std::string("cust-") + id, "Dana", "alice", "ws", 100, std::nullopt}, ignore);
    store->append_message(message(id, 1), ignore);
    store->append_message(message(id, 2), ignore);
    store->append_whisper({id, std::string(id) + "-w1", "sam", "Sam", "hint", 150}, ignore);
  }
  store->close_conversation("old1", 1000, ignore);
  store->close_conversation("old2", 2000, ignore);
  std::vector<std::size_t> removed;
  store->purge_closed(5000, 1, [&](std::error_code ec, std::size_t n) {
    if (!ec) removed.push_back(n);
  });
  store->flush();
  CHECK(removed == std::vector<std::size_t>{1});
  CHECK_FALSE(store->conversation("old1"));
  CHECK(store->messages("old1").empty());
  CHECK(store->conversation("old2"));

  auto data = store->customer_data("cust-open");
  REQUIRE(data.conversations.size() == 1);
  CHECK(data.messages.size() == 2);
  CHECK(data.whispers.size() == 1);
  ErasureRecord got;
  store->erase_customer("cust-open", {500, "ada", "hash", 0, 0, 0}, [&](std::error_code ec, const ErasureRecord& r) {
    if (!ec) got = r;
  });
  store->flush();
  CHECK(got.conversations == 1);
  CHECK(got.messages == 2);
  CHECK(got.whispers == 1);
  CHECK(store->messages("open").empty());
  CHECK(store->messages("old2").size() == 2);
  REQUIRE(store->erasures().size() == 1);
  CHECK(store->erasures()[0].customer == "hash");

  std::size_t changed = 0;
  store->rewrite_texts([](std::string& text, std::string*) {
    if (text != "text 1") return false;
    text = "[redacted]";
    return true;
  }, [&](std::error_code ec, std::size_t n) { if (!ec) changed = n; });
  store->flush();
  CHECK(changed == 1);
  CHECK(store->messages("old2")[0].text == "[redacted]");
  CHECK(store->messages("old2")[1].text == "text 2");
}

TEST_CASE("store contract: reviews and ratings are stored, replaced, read by range, and erased with the conversation") {
  const std::string kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  INFO(kind);
  Place place(kind);
  {
    auto store = place.open();
    for (const char* id : {"c1", "c2", "c3"}) {
      store->open_conversation({id, std::string("cust-") + id, "Dana", "alice", "ws", 100, std::nullopt}, ignore);
      store->append_message(message(id, 1), ignore);
    }
    std::vector<std::error_code> results;
    auto keep = [&](std::error_code ec) { results.push_back(ec); };
    store->save_review({"c1", "alice", 1000, "default@x", R"({"outcome":{"result":"abandoned"}})", std::nullopt}, keep);
    store->save_review({"c1", "alice", 1000, "default@x", R"({"outcome":{"result":"resolved"}})", std::nullopt}, keep);  // replaces
    store->save_review({"c2", "bob", 2000, "default@x", R"({"n":2})", std::nullopt}, keep);
    store->save_review({"c3", "alice", 3000, "default@x", R"({"n":3})", std::nullopt}, keep);
    store->save_rating({"c1", 2, "slow", 1500}, keep);
    store->save_rating({"c1", 4, "better after all", 1600}, keep);  // replaces
    store->flush();
    CHECK(results == std::vector<std::error_code>(6));
  }
  auto store = place.open();  // read back after reopening
  auto c1 = store->review("c1");
  REQUIRE(c1);
  CHECK(c1->agent == "alice");
  CHECK(c1->closed_at == 1000);
  CHECK(c1->rules_version == "default@x");
  CHECK(c1->review_json == R"({"outcome":{"result":"resolved"}})");
  REQUIRE(c1->rating);
  CHECK(c1->rating->score == 4);
  CHECK(c1->rating->comment == "better after all");
  CHECK(c1->rating->at == 1600);
  CHECK_FALSE(store->review("c2")->rating);
  CHECK_FALSE(store->review("nope"));
  CHECK(store->rating("c1")->score == 4);
  CHECK_FALSE(store->rating("c2"));
  auto range = store->reviews(1000, 3000);  // [from, to)
  REQUIRE(range.size() == 2);
  CHECK(range[0].conversation == "c1");
  CHECK(range[0].rating);
  CHECK(range[1].conversation == "c2");
  // A customer's data export carries them.
  auto data = store->customer_data("cust-c1");
  REQUIRE(data.reviews.size() == 1);
  CHECK(data.reviews[0].conversation == "c1");
  REQUIRE(data.reviews[0].rating);
  CHECK(data.reviews[0].rating->comment == "better after all");
  // Erasing the customer takes the review and the rating (the customer's words) with it.
  store->erase_customer("cust-c1", {500, "ada", "hash", 0, 0, 0}, [](std::error_code, const ErasureRecord&) {});
  store->flush();
  CHECK_FALSE(store->review("c1"));
  CHECK_FALSE(store->rating("c1"));
  CHECK(store->review("c2"));
}

TEST_CASE("store contract: coach feedback and lessons are stored, replaced, read back, and feedback goes with an erasure") {
  const std::string kind = GENERATE(as<std::string>{}, "sqlite", "postgresql");
  INFO(kind);
  Place place(kind);
  {
    auto store = place.open();
    for (const char* id : {"c1", "c2"}) {
      store->open_conversation({id, std::string("cust-") + id, "Dana", "alice", "ws", 100, std::nullopt}, ignore);
      store->append_message(message(id, 1), ignore);
      store->append_message(message(id, 2), ignore);
    }
    std::vector<std::error_code> results;
    auto keep = [&](std::error_code ec) { results.push_back(ec); };
    store->save_feedback({"c1", "c1-2", "dispute", "blame.x", "she was right", "alice", 5000}, keep);
    store->save_feedback({"c1", "c1-2", "dispute", "blame.x", "it was advice", "alice", 5100}, keep);  // replaces
    store->save_feedback({"c2", "c2-1", "used", "apology.1", "", "alice", 4000}, keep);
    store->save_lesson({"l-aaa", "delivery", "Offer the replacement first.", "c1", "sam", "Sam", 7000}, keep);
    store->save_lesson({"l-bbb", "billing", "Refund, then explain.", "c2", "sam", "Sam", 8000}, keep);
    store->save_lesson({"l-ccc", "delivery", "Give the tracking link.", "c2", "sam", "Sam", 9000}, keep);
    store->save_lesson({"l-aaa", "delivery", "a second lesson with the same id", "c1", "sam", "Sam", 9500}, keep);  // refused
    store->flush();
    REQUIRE(results.size() == 7);
    CHECK(std::count(results.begin(), results.end(), std::error_code{}) == 6);
    CHECK(results.back());  // refused alone: the others stand
  }
  auto store = place.open();  // read back after reopening
  auto fb = store->feedback(0);
  REQUIRE(fb.size() == 2);
  CHECK(fb[0].kind == "used");  // oldest first
  CHECK(fb[1].target == "blame.x");
  CHECK(fb[1].reason == "it was advice");
  CHECK(store->feedback(4500).size() == 1);
  auto coach = store->coach_outputs(1001, 1003);  // messages sent at 1001 and 1002 of both
  REQUIRE(coach.size() == 4);
  CHECK(coach[0].conversation == "c1");
  CHECK(coach[0].message_id == "c1-1");
  CHECK(coach[1].message_id == "c1-2");
  CHECK(coach[0].coach_json == R"({"acts":[]})");
  CHECK(store->coach_outputs(1002, 1003).size() == 2);
  auto delivery = store->lessons("delivery");
  REQUIRE(delivery.size() == 2);
  CHECK(delivery[0].id == "l-ccc");  // newest first
  CHECK(delivery[1].text == "Offer the replacement first.");
  CHECK(store->lessons("").size() == 3);
  CHECK(store->lessons("outage").empty());
  REQUIRE(store->lesson("l-bbb"));
  CHECK(store->lesson("l-bbb")->cause == "billing");
  CHECK_FALSE(store->lesson("l-zzz"));
  std::error_code deleted = StoreError::io;
  store->delete_lesson("l-bbb", [&](std::error_code ec) { deleted = ec; });
  store->flush();
  CHECK_FALSE(deleted);
  CHECK_FALSE(store->lesson("l-bbb"));
  // Erasing a customer takes the feedback on their chat's messages; the team's lessons stay.
  store->erase_customer("cust-c1", {500, "ada", "hash", 0, 0, 0}, [](std::error_code, const ErasureRecord&) {});
  store->flush();
  fb = store->feedback(0);
  REQUIRE(fb.size() == 1);
  CHECK(fb[0].conversation == "c2");
  CHECK(store->lessons("delivery").size() == 2);
}

TEST_CASE("store contract (PostgreSQL): a client_id resent by the same author is stored once; conversation ids come in blocks") {
  Place place("postgresql");
  auto store = place.open();
  store->open_conversation({"c1", "dana", "Dana", "", "ws", 1, std::nullopt}, nullptr);
  std::error_code first, resent, other_author;
  store->append_message(message("c1", 1, "abc"), [&](std::error_code ec) { first = ec; });
  // The same message from a node that did not know of the first (a failover): another seq.
  store->append_message(message("c1", 2, "abc"), [&](std::error_code ec) { resent = ec; });
  auto agent = message("c1", 3, "abc");
  agent.author = "alice";
  store->append_message(agent, [&](std::error_code ec) { other_author = ec; });
  store->flush();
  CHECK_FALSE(first);
  CHECK(resent == StoreError::constraint);
  CHECK_FALSE(other_author);
  CHECK(store->messages("c1").size() == 2);

  auto other = place.open();  // a second node on the same database
  const auto a = store->reserve_conversation_ids(), b = other->reserve_conversation_ids();
  REQUIRE(a);
  REQUIRE(b);
  CHECK((*a + 100 <= *b || *b + 100 <= *a));  // blocks that do not overlap
}
