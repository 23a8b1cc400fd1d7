#pragma once
// Labels one message with acts: which rules fired and where (byte offsets into the original text).
#include <string>
#include <string_view>
#include <vector>

#include "normalize.hpp"
#include "rule_set.hpp"

namespace tact::coach {

struct Span {
  std::uint32_t begin = 0;  // byte offsets into the original text, [begin, end)
  std::uint32_t end = 0;
  std::string act;
  std::string rule;
  friend bool operator==(const Span&, const Span&) = default;
};

struct Annotation {
  std::vector<std::string> acts;   // distinct, in the vocabulary's order
  std::vector<std::string> rules;  // ids of the rules that fired, in pack order
  std::vector<Span> spans;         // sorted by begin, then end
  // The role's RE2::Set ran out of DFA memory on this text and every pattern was rescanned on its
  // own (slower, same result). Callers count it.
  bool scan_fallback = false;

  bool has(std::string_view act) const;
};

// Spans cost a forward and a reverse DFA pass per fired rule on top of the one set scan; callers
// that only count acts (eval, replay) skip them.
enum class Spans { yes, no };

Annotation annotate(const RuleSet& rules, Role role, std::string_view text, Spans spans = Spans::yes);

// The same, for a caller that already has normalize(text) and uses it for more than matching.
Annotation annotate(const RuleSet& rules, Role role, const NormalizedText& normalized, Spans spans = Spans::yes);

// Like annotate() on text that is already normalized (spans then index the normalized text).
Annotation annotate_normalized(const RuleSet& rules, Role role, std::string_view normalized);

}  // namespace tact::coach
