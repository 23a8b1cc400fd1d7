#pragma once
// What the fuzz targets share: a check that stops the run (libFuzzer saves the input as a crash)
// with a message saying which invariant broke, and the default pack, compiled once.
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include <nlohmann/json.hpp>

#include "pack_loader.hpp"
#include "rule_set.hpp"

namespace tact::fuzz {

[[noreturn]] inline void violated(const char* what, const char* file, int line) {
  std::fprintf(stderr, "%s:%d: invariant violated: %s\n", file, line, what);
  std::abort();
}

#define TACT_FUZZ_CHECK(cond) \
  do {                        \
    if (!(cond)) ::tact::fuzz::violated(#cond, __FILE__, __LINE__); \
  } while (false)

inline const coach::RuleSet& default_rules() {
  static const coach::RuleSetPtr rules = [] {
    auto r = coach::compile(nlohmann::json::parse(cli::default_pack_text()));
    if (!r.rules) violated("the default pack compiles", __FILE__, __LINE__);
    return r.rules;
  }();
  return *rules;
}

}  // namespace tact::fuzz
