#pragma once
// Root causes of complaints (the pack's optional `causes` section): what the customer's problem
// was about, as data with examples, like every rule.
//
//   "causes": [{"id": "delivery", "label": "Delivery", "description": "...",
//               "patterns": ["\\b(?:parcel|package|delivery)\\b"], "unless": ["..."],
//               "examples": {"match": ["my parcel never came"], "no_match": ["my card was charged twice"]}}]
//
// Each cause: a unique `id` ([a-z_], at most 32 bytes; "other" is reserved for a complaint no
// cause matches), a `label`, RE2 `patterns` (with {lexicon} references) over a customer's message
// as normalized, optional `unless` vetoes over the same message, and examples: customer messages
// the cause must match and must not match (at least PackLimits::min_examples of each). Parsing and
// compiling never throw; every problem names the cause and the field ("causes[2].patterns[0]"), and
// a pack with a bad cause is refused whole. Pure: no I/O, no clock.
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>
#include <re2/re2.h>

#include "lexicon.hpp"
#include "problem.hpp"

namespace tact::coach {

inline constexpr std::string_view kOtherCause = "other";
inline constexpr std::size_t kMaxCauses = 64;
inline constexpr std::size_t kMaxCauseIdBytes = 32;

struct CauseSpec {
  std::string id;
  std::string label;
  std::string description;
  std::vector<std::string> patterns;  // as written
  std::vector<std::string> unless;    // as written
  std::vector<std::string> must_match;
  std::vector<std::string> must_not_match;
};

// Parses j["causes"] when present (absent: no causes); problems are appended to `problems`.
std::vector<CauseSpec> parse_causes_section(const nlohmann::json& pack, const Lexicons& lexicons, std::size_t min_examples,
                                            std::size_t max_pattern_bytes, std::vector<Problem>& problems);

class CauseSet;
using CauseSetPtr = std::shared_ptr<const CauseSet>;

// Compiles every pattern and veto (RE2's message on error). Never null: with problems it is empty.
CauseSetPtr compile_causes(const std::vector<CauseSpec>& specs, const Lexicons& lexicons, std::int64_t regex_max_mem,
                           std::vector<Problem>& problems);

class CauseSet {
 public:
  struct Compiled {
    CauseSpec spec;
    std::vector<std::unique_ptr<RE2>> patterns;
    std::vector<std::unique_ptr<RE2>> unless;
  };
  // The ids of the causes one customer message shows, in pack order. `text` is the message as
  // written; it is normalized here like the rules' input.
  std::vector<std::string> match(std::string_view text) const;
  // The same for text already normalized (normalize_text()).
  std::vector<std::string> match_normalized(std::string_view normalized) const;
  const std::vector<Compiled>& causes() const { return causes_; }
  // The label of `id`; "Other" for kOtherCause and for an id the pack no longer has.
  std::string label(std::string_view id) const;

  CauseSet(const CauseSet&) = delete;
  CauseSet& operator=(const CauseSet&) = delete;

 private:
  friend CauseSetPtr compile_causes(const std::vector<CauseSpec>&, const Lexicons&, std::int64_t, std::vector<Problem>&);
  CauseSet() = default;
  std::vector<Compiled> causes_;
};

// Which cause a conversation's customer messages show most: the live cause the agent panel's
// lessons follow (Snapshot::cause) and the review's root cause agree because both count here.
class CauseTally {
 public:
  // The causes one customer message shows (CauseSet::match, pack order); `index` says which message.
  void add(const std::vector<std::string>& ids, std::size_t index);
  // The cause the most messages showed, the first to show on a tie; null when none did.
  const std::string* best() const;
  // The index passed with the first message that showed `id`.
  std::size_t first_index(const std::string& id) const;
  const std::map<std::string, int>& counts() const { return counts_; }
  std::size_t memory_bytes() const;

 private:
  std::map<std::string, int> counts_;
  std::map<std::string, std::size_t> first_;
  std::vector<std::string> order_;  // causes in the order they first showed
};

}  // namespace tact::coach
