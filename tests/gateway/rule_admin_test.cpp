// Rule versions (issue 7) without sockets: the store's version tables, the preview diff, and
// RuleAdmin's publish / rollback / refusals over a real SQLite store.
#include <catch2/catch.hpp>

#include <filesystem>
#include <future>

#include "obs/log.hpp"
#include "rules/pack_source.hpp"
#include "rules/rule_admin.hpp"
#include "rules/rule_preview.hpp"
#include "store/store.hpp"
#include "support/packs.hpp"
#include "support/temp_dir.hpp"

using namespace tact::gateway;
using nlohmann::json;

namespace {

struct Dir : tact::test::TempDir {
  Dir() : TempDir("tact-rules") {}
};

using tact::test::default_pack;
using tact::test::zebra_pack;

tact::coach::RuleSetPtr compiled(const json& pack) {
  auto r = tact::coach::compile(pack);
  REQUIRE(r.rules);
  return r.rules;
}

std::error_code wait(const std::function<void(StoreDone)>& start) {
  std::promise<std::error_code> p;
  start([&](std::error_code ec) { p.set_value(ec); });
  return p.get_future().get();
}

const Identity kAda{UserRole::admin, "ada", "Ada"};

}  // namespace

TEST_CASE("rule versions are stored, made live, audited and read back after reopening") {
  set_logging(false);
  Dir dir;
  std::string error;
  {
    auto store = open_sqlite_store(dir.path, nullptr, error);
    REQUIRE(store);
    CHECK_FALSE(store->live_rules());
    CHECK(!wait([&](StoreDone d) {
      store->add_rule_version({1, "p@1", "{}", "tact", "tact serve", 10, "seed", std::nullopt}, {10, "tact", "tact serve", "seed", 1, std::nullopt, "seed"}, d);
    }));
    CHECK(!wait([&](StoreDone d) {
      store->add_rule_version({2, "p@2", "{\"name\":\"p\"}", "ada", "Ada", 20, "second", 1}, {20, "ada", "Ada", "publish", 2, 1, "second"}, d);
    }));
    CHECK(store->live_rules() == 2);
    // A version that is not stored cannot be made live; nothing changes.
    CHECK(wait([&](StoreDone d) { store->set_live_rules(7, {30, "ada", "Ada", "rollback", 7, 2, ""}, d); }));
    CHECK(store->live_rules() == 2);
    CHECK(!wait([&](StoreDone d) { store->set_live_rules(1, {40, "ada", "Ada", "rollback", 1, 2, "back"}, d); }));
    CHECK(store->live_rules() == 1);
  }
  auto store = open_sqlite_store(dir.path, nullptr, error);
  REQUIRE(store);
  CHECK(store->live_rules() == 1);
  auto versions = store->rule_versions(false);
  REQUIRE(versions.size() == 2);
  CHECK(versions[0].pack_json.empty());
  CHECK(versions[1].parent == 1);
  CHECK(versions[1].author == "ada");
  auto v2 = store->rule_version(2);
  REQUIRE(v2);
  CHECK(v2->pack_json == "{\"name\":\"p\"}");
  CHECK_FALSE(store->rule_version(3));
  auto audit = store->rule_audit();
  REQUIRE(audit.size() == 3);
  CHECK(audit[0].action == "seed");
  CHECK_FALSE(audit[0].from_version);
  CHECK(audit[2].action == "rollback");
  CHECK(audit[2].from_version == 2);
}

TEST_CASE("recent messages are the latest by time, oldest first") {
  set_logging(false);
  Dir dir;
  std::string error;
  auto store = open_sqlite_store(dir.path, nullptr, error);
  REQUIRE(store);
  for (const std::string c : {"c0", "c1"}) store->open_conversation({c, "d", "D", "", "ws", 1, std::nullopt}, nullptr);
  for (int i = 1; i <= 10; ++i)
    store->append_message({"c" + std::to_string(i % 2), "m" + std::to_string(i), i, "customer", "d", "D", "t", 1000 + i, "", "{}", "v"}, nullptr);
  store->flush();
  auto recent = store->recent_messages(3);
  REQUIRE(recent.size() == 3);
  CHECK(recent[0].id == "m8");
  CHECK(recent[2].id == "m10");
}

TEST_CASE("the preview diff lists the messages whose acts or flags change, both ways, with counts") {
  auto live = compiled(default_pack());
  auto draft = compiled(zebra_pack());
  std::vector<PreviewConversation> convs{
      {"stored", "c1",
       {{"c1-1", tact::coach::Role::customer, "My order #4411 still has not arrived", 1000},
        {"c1-2", tact::coach::Role::agent, "I see your order #4411 has not arrived, zebra", 2000},
        {"c1-3", tact::coach::Role::agent, "I'm so sorry for the trouble this caused.", 3000}}},
      {"sample", "s1", {{"s1-1", tact::coach::Role::agent, "a zebra and a zebra", 1000}}}};
  auto forward = preview_diff(*live, *draft, convs);
  CHECK(forward.conversations == 2);
  CHECK(forward.messages == 4);
  CHECK(forward.changed == 2);
  REQUIRE(forward.changes.size() == 2);
  CHECK(forward.changes[0].message_id == "c1-2");
  CHECK(forward.changes[0].source == "stored");
  CHECK(forward.changes[0].acts_added == std::vector<std::string>{"feedback_request"});
  CHECK(forward.changes[0].acts_removed.empty());
  CHECK(forward.changes[1].conversation == "s1");
  CHECK(forward.acts.at("feedback_request").added == 2);
  CHECK(forward.acts.at("feedback_request").removed == 0);
  CHECK(forward.acts.size() == 1);

  auto back = preview_diff(*draft, *live, convs);
  CHECK(back.changed == 2);
  CHECK(back.changes[0].acts_removed == std::vector<std::string>{"feedback_request"});
  CHECK(back.acts.at("feedback_request").removed == 2);

  auto same = preview_diff(*live, *live, convs);
  CHECK(same.changed == 0);
  CHECK(same.changes.empty());

  auto capped = preview_diff(*live, *draft, convs, 1);
  CHECK(capped.changed == 2);
  CHECK(capped.changes.size() == 1);
  CHECK(capped.truncated);
  json j = forward;
  CHECK(j.at("changes")[0].at("draft").at("acts").size() > j.at("changes")[0].at("live").at("acts").size());
}

TEST_CASE("RuleAdmin seeds, publishes after every check, refuses with reasons, rolls back, and reopens live") {
  set_logging(false);
  Dir dir;
  std::string error, note;
  auto store = open_sqlite_store(dir.path, nullptr, error);
  REQUIRE(store);
  auto now = [] { return std::int64_t{1718000000000}; };
  std::vector<std::string> swapped;
  {
    auto admin = RuleAdmin::open(*store, "", {}, now, error, note);
    REQUIRE(admin);
    CHECK(admin->live_version() == 1);
    CHECK(note.find("seeded") != std::string::npos);
    admin->on_swap([&](const RulesRef& r) { swapped.push_back(r.version); });

    // A bad regex: refused with the rule, the field, RE2's reason and the position.
    auto bad = zebra_pack();
    bad["rules"].back()["patterns"] = {"\\bzebra(\\b"};
    auto a = admin->publish(kAda, bad, "bad regex", 1);
    CHECK(a.status == 422);
    CHECK(a.body.at("error") == "invalid_pack");
    REQUIRE(a.body.at("problems").size() == 1);
    CHECK(a.body.at("problems")[0].at("rule") == "test.zebra");
    CHECK(a.body.at("problems")[0].at("field") == "patterns[0]");
    CHECK(a.body.at("problems")[0].at("position") == 7);
    auto v = admin->validate(bad);
    CHECK(v.body.at("ok") == false);
    CHECK(v.body.at("problems") == a.body.at("problems"));

    // A failing example: refused with the example.
    auto failing = zebra_pack();
    failing["rules"].back()["examples"]["no_match"].push_back("zebra crossing");
    a = admin->publish(kAda, failing, "failing example", 1);
    CHECK(a.status == 422);
    CHECK(a.body.at("error") == "examples_failed");
    REQUIRE(a.body.at("failures").size() == 1);
    CHECK(a.body.at("failures")[0].at("text") == "zebra crossing");
    auto t = admin->test(failing, json::array({{{"role", "agent"}, {"text", "a zebra"}}}));
    CHECK(t.body.at("ok") == false);
    CHECK(t.body.at("failed") == 1);
    CHECK(t.body.at("texts")[0].at("acts") == json::array({"feedback_request"}));

    // Limits: too many rules, a pattern too long.
    AdminLimits small;
    small.compile.pack.max_rules = 5;
    small.compile.pack.max_pattern_bytes = 8;
    Dir other;
    auto other_store = open_sqlite_store(other.path, nullptr, error);
    auto tiny = RuleAdmin::open(*other_store, "", small, now, error, note);
    CHECK_FALSE(tiny);  // the default pack itself is over these limits
    CHECK(error.find("refused") != std::string::npos);

    CHECK(swapped.empty());
    CHECK(store->rule_versions(false).size() == 1);

    // A good pack: published as version 2 and swapped in.
    a = admin->publish(kAda, zebra_pack(), "zebra asks for feedback", 1);
    REQUIRE(a.status == 200);
    CHECK(a.body.at("version") == 2);
    CHECK(a.body.at("parent") == 1);
    CHECK(admin->live_version() == 2);
    REQUIRE(swapped.size() == 1);
    CHECK(swapped[0] == admin->live().version);

    // A publish that started from version 1 races the one above: refused, not merged.
    auto racing = zebra_pack();
    racing["name"] = "racer";
    a = admin->publish(kAda, racing, "racing", 1);
    CHECK(a.status == 409);
    CHECK(a.body.at("error") == "stale_base");
    CHECK(a.body.at("live_version") == 2);
    a = admin->publish(kAda, zebra_pack(), "again", 2);
    CHECK(a.status == 422);
    CHECK(a.body.at("error") == "unchanged");

    // Rollback.
    CHECK(admin->rollback(kAda, 9).status == 404);
    CHECK(admin->rollback(kAda, 2).status == 409);
    a = admin->rollback(kAda, 1);
    REQUIRE(a.status == 200);
    CHECK(admin->live_version() == 1);
    REQUIRE(swapped.size() == 2);
    auto versions = admin->versions().body;
    CHECK(versions.at("live") == 1);
    CHECK(versions.at("versions").size() == 2);
    auto audit = admin->audit().body.at("audit");
    REQUIRE(audit.size() == 3);
    CHECK(audit[1].at("who") == "ada");
    CHECK(audit[1].at("action") == "publish");
    CHECK(audit[2].at("action") == "rollback");
    CHECK(admin->live_answer().body.at("pack").at("rules").size() == default_pack().at("rules").size());
  }
  // A restart uses the live version from the store, whatever --rules says.
  auto again = RuleAdmin::open(*store, "/nonexistent/pack.json", {}, now, error, note);
  REQUIRE(again);
  CHECK(again->live_version() == 1);
  CHECK(note.find("from the store") != std::string::npos);
}
