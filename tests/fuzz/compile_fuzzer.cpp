// (b) Bytes -> JSON -> compile (a rule pack). A pack is either refused with reasons or compiled;
// a compiled one is then run on its own examples and through a short conversation, so the
// coaching settings a pack may carry meet the state machine.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include <nlohmann/json.hpp>

#include "conversation.hpp"
#include "fuzz_check.hpp"
#include "json_io.hpp"
#include "rule_examples.hpp"
#include "rule_set.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tact::coach;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const auto j = nlohmann::json::parse(bytes, nullptr, false);
  if (j.is_discarded()) return 0;
  const auto result = compile(j);
  if (!result.rules) {
    TACT_FUZZ_CHECK(!result.problems.empty());
    return 0;
  }
  TACT_FUZZ_CHECK(result.problems.empty());
  const auto& rules = *result.rules;
  (void)run_examples(rules);

  Conversation c;
  std::int64_t at = 1718000000000;
  std::size_t n = 0;
  for (const auto& cr : rules.rules()) {
    for (const auto& text : cr.rule->must_match) {
      const auto a = annotate(rules, cr.rule->role, text);
      for (const auto& s : a.spans) TACT_FUZZ_CHECK(s.begin <= s.end && s.end <= text.size());
      if (n++ < 8) c.apply(rules, {cr.rule->role, text, at += 30000, "m" + std::to_string(n)});
    }
  }
  const auto snap = c.snapshot(rules, at + 120000);
  TACT_FUZZ_CHECK(snap.health.score >= 0 && snap.health.score <= 100);
  TACT_FUZZ_CHECK(snap.suggestions.size() <= 3);
  TACT_FUZZ_CHECK(snap.waiting_ms >= 0);
  (void)dump(nlohmann::json(snap));
  return 0;
}
