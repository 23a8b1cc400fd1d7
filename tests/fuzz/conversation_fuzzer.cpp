// (d) A sequence of events -> Conversation with the default pack, its invariants checked after
// each step. The input is text, one step a line (so seeds are readable and easy to write):
//
//   c<ms> <text>   a customer message, <ms> after the previous step (may be negative: clocks skew)
//   a<ms> <text>   an agent message
//   d<ms> <text>   an agent's draft: check_draft, which must leave the snapshot unchanged
//   s<ms>          a snapshot only, later by <ms>
//
// Any other first byte picks one of the four by its value; a missing number means 0; "\n" in a
// text is a newline. At most 64 steps are read.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "conversation.hpp"
#include "fuzz_check.hpp"
#include "json_io.hpp"

namespace {

using namespace tact::coach;

constexpr std::int64_t kMaxStepMs = 30LL * 24 * 3600 * 1000;

struct Step {
  char op = 's';
  std::int64_t delta_ms = 0;
  std::string text;
};

Step read_step(std::string_view line) {
  Step s;
  s.op = line.empty() ? 's' : line[0];
  if (s.op != 'c' && s.op != 'a' && s.op != 'd' && s.op != 's') s.op = "cads"[static_cast<unsigned char>(s.op) % 4];
  std::size_t i = line.empty() ? 0 : 1;
  const bool negative = i < line.size() && line[i] == '-';
  if (negative) ++i;
  for (int digits = 0; i < line.size() && line[i] >= '0' && line[i] <= '9' && digits < 12; ++i, ++digits)
    s.delta_ms = s.delta_ms * 10 + (line[i] - '0');
  s.delta_ms = std::min(s.delta_ms, kMaxStepMs) * (negative ? -1 : 1);
  if (i < line.size() && line[i] == ' ') ++i;
  for (; i < line.size(); ++i) {
    if (line[i] == '\\' && i + 1 < line.size() && line[i + 1] == 'n') {
      s.text += '\n';
      ++i;
    } else {
      s.text += line[i];
    }
  }
  return s;
}

void check_flags(const std::vector<Flag>& flags, std::string_view text) {
  for (const auto& f : flags) {
    TACT_FUZZ_CHECK(!f.kind.empty());
    if (f.span) TACT_FUZZ_CHECK(f.span->begin <= f.span->end && f.span->end <= text.size());
  }
}

// Checks the snapshot at `now_ms`; returns its JSON when asked (to compare two).
std::string check_snapshot(const Conversation& c, const RuleSet& rules, std::int64_t now_ms, bool json = false) {
  const auto s = c.snapshot(rules, now_ms);
  TACT_FUZZ_CHECK(s.health.score >= 0 && s.health.score <= 100);
  for (const auto& st : s.checklist) {
    TACT_FUZZ_CHECK(!st.step.empty());
    TACT_FUZZ_CHECK(st.status == StepStatus::missing || st.status == StepStatus::done ||
                    st.status == StepStatus::spoiled);
    TACT_FUZZ_CHECK(st.status == StepStatus::missing || !st.message_id.empty());
  }
  TACT_FUZZ_CHECK(s.suggestions.size() <= 3);
  for (const auto& sg : s.suggestions) {
    TACT_FUZZ_CHECK(!sg.text.empty());
    TACT_FUZZ_CHECK(sg.text.find_first_of("{}") == std::string::npos);
  }
  TACT_FUZZ_CHECK(s.waiting_ms >= 0);
  TACT_FUZZ_CHECK(s.round >= 0);
  TACT_FUZZ_CHECK(s.sentiment.size() <= 10);
  for (double x : s.sentiment) TACT_FUZZ_CHECK(x >= -1.0 && x <= 1.0);
  TACT_FUZZ_CHECK(s.trend.empty() || s.trend == "rising" || s.trend == "falling" || s.trend == "steady");
  return json ? dump(nlohmann::json(s)) : std::string();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& rules = tact::fuzz::default_rules();
  std::string_view input(reinterpret_cast<const char*>(data), size);
  Conversation c;
  std::int64_t at = 1718000000000;  // 2024-06-10
  int messages = 0;
  for (int steps = 0; steps < 64 && !input.empty(); ++steps) {
    const auto nl = input.find('\n');
    const auto step = read_step(input.substr(0, nl));
    input = nl == std::string_view::npos ? std::string_view() : input.substr(nl + 1);
    at += step.delta_ms;
    switch (step.op) {
      case 'c':
      case 'a': {
        const auto role = step.op == 'c' ? Role::customer : Role::agent;
        const auto r = c.apply(rules, {role, step.text, at, "m" + std::to_string(++messages)});
        check_flags(r.flags, step.text);
        TACT_FUZZ_CHECK(role == Role::agent || r.flags.empty());
        TACT_FUZZ_CHECK(r.sentiment.has_value() == (role == Role::customer));
        if (r.sentiment) TACT_FUZZ_CHECK(*r.sentiment >= -1.0 && *r.sentiment <= 1.0);
        for (const auto& s : r.annotation.spans) TACT_FUZZ_CHECK(s.begin <= s.end && s.end <= step.text.size());
        TACT_FUZZ_CHECK(c.message_count() == static_cast<std::size_t>(messages));
        check_snapshot(c, rules, at);
        break;
      }
      case 'd': {
        const auto before = check_snapshot(c, rules, at, true);
        const auto flags = c.check_draft(rules, step.text);
        check_flags(flags, step.text);
        TACT_FUZZ_CHECK(check_snapshot(c, rules, at, true) == before);
        break;
      }
      default: check_snapshot(c, rules, at); break;
    }
  }
  return 0;
}
