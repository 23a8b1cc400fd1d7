#pragma once
// A compiled rule pack: immutable once built, shared as std::shared_ptr<const RuleSet>.
//
// compile() checks the whole pack (every field, every regex with RE2's own message and position)
// and either returns a rule set or refuses with every problem: never a partial set. All patterns
// and vetoes of a role are scanned in one RE2::Set pass; each rule also keeps its own RE2 objects
// to report spans and to rescan when the set's DFA runs out of memory.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <re2/re2.h>
#include <re2/set.h>

#include "redact.hpp"
#include "rule_pack.hpp"

namespace tact::coach {

struct CompileLimits {
  PackLimits pack;
  std::int64_t set_max_mem = 64 << 20;    // bytes for each role's RE2::Set (its DFA gets most of it)
  // Bytes for each rule pattern's own RE2: its program may take about a quarter (RE2's rule), so
  // 1 MiB allows some 16,000 instructions, far above any phrase pattern; \pL{300} is refused at
  // once instead of compiling for a tenth of a second and holding megabytes.
  std::int64_t regex_max_mem = 1 << 20;
  // Bytes for all the patterns' own RE2 programs together (kBytesPerInstruction each
  // instruction): --rules-memory sets it with set_max_mem.
  std::int64_t programs_max_mem = 64 << 20;
};

// What one compiled RE2 instruction is counted as against CompileLimits::set_max_mem (an
// instruction is 8 bytes, and the forward and reverse programs and their lists double it).
inline constexpr std::int64_t kBytesPerInstruction = 16;

class RuleSet;
using RuleSetPtr = std::shared_ptr<const RuleSet>;

struct CompileResult {
  RuleSetPtr rules;               // null when refused
  std::vector<Problem> problems;  // every reason it was refused
};

CompileResult compile(const nlohmann::json& pack, const CompileLimits& limits = {});

class RuleSet {
 public:
  struct CompiledRule {
    const Rule* rule;
    std::vector<std::unique_ptr<RE2>> patterns;
    std::vector<std::unique_ptr<RE2>> unless;
  };
  // What one index of a role's RE2::Set stands for.
  struct SetEntry {
    std::uint32_t rule;     // index into rules()
    std::uint32_t pattern;  // index into the rule's patterns or unless
    bool veto;
  };
  struct RoleIndex {
    std::unique_ptr<RE2::Set> set;
    std::vector<SetEntry> entries;
  };

  const RulePack& pack() const { return pack_; }
  const CoachingConfig& coaching() const { return pack_.coaching; }
  const std::vector<CompiledRule>& rules() const { return rules_; }
  const RoleIndex& index(Role r) const { return r == Role::customer ? customer_ : agent_; }
  // The pack's `redact` section, compiled (redact.hpp); empty when the pack has none.
  const Redactor& redactor() const { return *redactor_; }
  std::size_t pattern_count() const { return customer_.entries.size() + agent_.entries.size(); }

  RuleSet(const RuleSet&) = delete;
  RuleSet& operator=(const RuleSet&) = delete;

 private:
  friend CompileResult compile(const nlohmann::json&, const CompileLimits&);
  RuleSet() = default;
  RulePack pack_;
  std::vector<CompiledRule> rules_;
  RoleIndex customer_;
  RoleIndex agent_;
  RedactorPtr redactor_;
};

}  // namespace tact::coach
