#pragma once
// Rule packs for tests: a small valid one to start from, the default pack (as JSON and compiled),
// and the default pack with one known change.
#include <fstream>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "rules/pack_source.hpp"
#include "rule_set.hpp"

namespace tact::test {

inline nlohmann::json rule_json(const std::string& id, const std::string& act, const std::string& role,
                                nlohmann::json patterns, nlohmann::json match, nlohmann::json no_match) {
  return {{"id", id}, {"act", act}, {"role", role}, {"patterns", std::move(patterns)},
          {"examples", {{"match", std::move(match)}, {"no_match", std::move(no_match)}}}};
}

// A valid pack with one apology rule (vetoed by "sorry if you") and one complaint rule.
inline nlohmann::json minimal_pack() {
  nlohmann::json pack = {
      {"name", "test"},
      {"rules",
       {rule_json("apology.sorry", "apology", "agent", {"\\bsorry\\b"}, {"so sorry", "Sorry!", "I'm sorry about that"},
                  {"hello", "we will fix it", "sorry if you feel that way"}),
        rule_json("complaint.broken", "complaint", "customer", {"\\bbroken\\b", "\\bnot working\\b"},
                  {"it is broken", "app not working", "BROKEN again"}, {"works fine", "thanks", "hello"})}},
      {"playbook",
       {{"opens_round", {"complaint"}},
        {"steps", {{{"step", "apology"}, {"acts", {"apology"}}, {"label", "Apologize"}, {"why", "Say sorry."}}}}}},
      {"templates", {{{"step", "apology"}, {"variants", {"Sorry, {name}.", "Sorry."}}}}},
  };
  pack["rules"][0]["unless"] = {"sorry if you"};
  return pack;
}

inline coach::RuleSetPtr compile_or_fail(const nlohmann::json& pack) {
  auto r = coach::compile(pack);
  return r.rules;
}

inline nlohmann::json default_pack() { return nlohmann::json::parse(gateway::default_pack_text()); }

// The default pack plus an agent rule that labels "zebra" as a feedback request: a change whose
// effect a test can see (publish, preview, rollback).
inline nlohmann::json zebra_pack() {
  auto p = default_pack();
  p["rules"].push_back(nlohmann::json{{"id", "test.zebra"},
                                      {"act", "feedback_request"},
                                      {"role", "agent"},
                                      {"description", "test rule"},
                                      {"patterns", {"\\bzebra\\b"}},
                                      {"examples", {{"match", {"zebra time", "the zebra says hi", "a zebra"}},
                                                    {"no_match", {"horse", "a cat", "the dog"}}}}});
  return p;
}

// The default pack compiled once per test executable; a failed compile fails the test with every
// problem (the caller includes Catch).
inline const coach::RuleSet& default_rules() {
  static auto set = [] {
    auto r = coach::compile(default_pack());
    for (const auto& p : r.problems) UNSCOPED_INFO(p.to_string());
    return r.rules;
  }();
  REQUIRE(set);
  return *set;
}

}  // namespace tact::test
