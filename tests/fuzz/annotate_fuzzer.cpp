// (c) Text -> annotate with the default pack, as the customer and as the agent. Spans lie within
// the text and are sorted; acts belong to the role; the same text twice gives the same result;
// annotating without spans fires the same rules.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "annotator.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tact::coach;
  const auto& rules = tact::fuzz::default_rules();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  for (auto role : {Role::customer, Role::agent}) {
    const auto a = annotate(rules, role, text);
    for (std::size_t i = 0; i < a.spans.size(); ++i) {
      const auto& s = a.spans[i];
      TACT_FUZZ_CHECK(s.begin <= s.end && s.end <= text.size());
      TACT_FUZZ_CHECK(is_act_of(role, s.act));
      if (i > 0) {
        const auto& p = a.spans[i - 1];
        TACT_FUZZ_CHECK(p.begin < s.begin || (p.begin == s.begin && p.end <= s.end));
      }
    }
    for (const auto& act : a.acts) TACT_FUZZ_CHECK(is_act_of(role, act));
    TACT_FUZZ_CHECK(a.spans.size() <= a.rules.size());

    const auto again = annotate(rules, role, text);
    TACT_FUZZ_CHECK(again.acts == a.acts && again.rules == a.rules && again.spans == a.spans);
    const auto counted = annotate(rules, role, text, Spans::no);
    TACT_FUZZ_CHECK(counted.acts == a.acts && counted.rules == a.rules && counted.spans.empty());
  }
  return 0;
}
