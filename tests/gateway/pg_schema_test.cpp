// PostgreSQL's schema migrations (store/postgres/pg_schema.hpp) against a real server.
#include <catch2/catch.hpp>

#include "obs/log.hpp"
#include "services.hpp"
#include "store/postgres/pg_conn.hpp"
#include "store/postgres/pg_schema.hpp"
#include "store/store.hpp"
#include "store/store_error.hpp"

using namespace tact::gateway;

namespace {
tact::test::PostgresServer& server() { return tact::test::shared_postgres(); }
}  // namespace

TEST_CASE("migrations: a database at version 1 with data is brought to the last version, keeping its data") {
  set_logging(false);
  const auto url = server().new_database();
  {
    pg::Connection db;
    std::string error;
    REQUIRE(db.open(url, error));
    REQUIRE(pg::migrate(db, error, 1));
    CHECK(pg::schema_version(db) == 1);
    REQUIRE(db.exec("INSERT INTO conversations(id, customer, customer_name, agent, channel, opened_at) "
                    "VALUES('c1','dana','Dana','alice','ws',1)").ok());
    REQUIRE(db.exec("INSERT INTO messages(conversation, seq, id, role, author, author_name, text, at, client_id, coach, "
                    "rules_version) VALUES('c1',1,'c1-1','customer','dana','Dana','hello',10,'k1','{}','v')").ok());
  }
  std::string error;
  auto store = open_postgres_store(url, nullptr, error);
  INFO(error);
  REQUIRE(store);
  {
    pg::Connection db;
    REQUIRE(db.open(url, error));
    CHECK(pg::schema_version(db) == pg::migrations().back().version);
  }
  REQUIRE(store->messages("c1").size() == 1);
  CHECK(store->messages("c1")[0].text == "hello");
  // Version 2's constraint holds on the upgraded database.
  std::error_code resent;
  store->append_message({"c1", "c1-2", 2, "customer", "dana", "Dana", "hello", 11, "k1", "{}", "v"},
                        [&](std::error_code ec) { resent = ec; });
  store->flush();
  CHECK(resent == StoreError::constraint);
  // Opening again applies nothing more.
  store.reset();
  REQUIRE(open_postgres_store(url, nullptr, error));
}

TEST_CASE("migrations: a database from a newer tact is refused with what to do") {
  set_logging(false);
  const auto url = server().new_database();
  pg::Connection db;
  std::string error;
  REQUIRE(db.open(url, error));
  REQUIRE(pg::migrate(db, error));
  REQUIRE(db.exec("INSERT INTO schema_version VALUES(999, 0)").ok());
  CHECK_FALSE(open_postgres_store(url, nullptr, error));
  CHECK(error.find("newer") != std::string::npos);
}

TEST_CASE("an unreachable PostgreSQL is refused with libpq's reason") {
  set_logging(false);
  std::string error;
  const auto port = tact::test::free_port();
  CHECK_FALSE(open_postgres_store("postgresql://tact@127.0.0.1:" + std::to_string(port) + "/none?connect_timeout=2", nullptr, error));
  CHECK(error.find("cannot connect to PostgreSQL") != std::string::npos);
}
