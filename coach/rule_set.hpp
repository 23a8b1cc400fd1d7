#pragma once
// A compiled rule pack: immutable once built, shared as std::shared_ptr<const RuleSet>.
//
// compile() checks the whole pack (every field, every regex with RE2's own message and position,
// every lexicon reference) and either returns a rule set or refuses with every problem: never a
// partial set. A role's patterns and vetoes are scanned with one RE2::Set per scope (clause,
// sentence, message: see Scope), each over its units of the text; each rule also keeps its own RE2
// objects to report spans, to find a negatable match's position, and to rescan when a set's DFA
// runs out of memory.
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <re2/re2.h>
#include <re2/set.h>

#include "causes.hpp"
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
  struct CompiledPattern {
    std::unique_ptr<RE2> re;
    std::vector<std::unique_ptr<RE2>> unless;  // this pattern's own vetoes
    bool negatable = false;
  };
  struct CompiledRule {
    const Rule* rule;
    std::vector<CompiledPattern> patterns;
    std::vector<std::unique_ptr<RE2>> unless;  // vetoes of every pattern
  };
  enum class EntryKind : std::uint8_t { pattern, rule_veto, pattern_veto };
  // What one index of a scope's RE2::Set stands for.
  struct SetEntry {
    std::uint32_t rule;     // index into rules()
    std::uint32_t pattern;  // index into the rule's patterns (for a rule veto: into its unless)
    std::uint32_t veto;     // for a pattern veto: index into that pattern's unless
    EntryKind kind;
  };
  struct ScopeIndex {
    std::unique_ptr<RE2::Set> set;  // null when no rule of the role has this scope
    std::vector<SetEntry> entries;
  };
  struct RoleIndex {
    std::array<ScopeIndex, 3> scopes;  // by Scope
    bool negatable = false;            // some pattern of the role is negatable
    const ScopeIndex& scope(Scope s) const { return scopes[static_cast<std::size_t>(s)]; }
  };

  const RulePack& pack() const { return pack_; }
  const CoachingConfig& coaching() const { return pack_.coaching; }
  const std::vector<CompiledRule>& rules() const { return rules_; }
  const RoleIndex& index(Role r) const { return r == Role::customer ? customer_ : agent_; }
  std::size_t pattern_count() const;
  // Matches a negator or an exception, with the negator (not the exception) in group 1; null when
  // the pack has no negators.
  const RE2* negator() const { return negator_.get(); }
  // Matches a phrase that negates what comes before it ("isn't possible"); null when there is none.
  const RE2* negator_after() const { return negator_after_.get(); }
  // The pack's `redact` section, compiled (redact.hpp); empty when the pack has none.
  const Redactor& redactor() const { return *redactor_; }
  // The pack's `causes` section, compiled (causes.hpp); empty when the pack has none.
  const CauseSet& causes() const { return *causes_; }

  RuleSet(const RuleSet&) = delete;
  RuleSet& operator=(const RuleSet&) = delete;

 private:
  friend CompileResult compile(const nlohmann::json&, const CompileLimits&);
  RuleSet() = default;
  RulePack pack_;
  std::vector<CompiledRule> rules_;
  RoleIndex customer_;
  RoleIndex agent_;
  std::unique_ptr<RE2> negator_;
  std::unique_ptr<RE2> negator_after_;
  RedactorPtr redactor_;
  CauseSetPtr causes_;
};

}  // namespace tact::coach
