#include "redact.hpp"

#include <algorithm>

#include "re2_options.hpp"

namespace tact::coach {
namespace {

constexpr std::size_t kMaxPatternsPerEntry = 16;

bool separator(char c) { return c == ' ' || c == '-' || c == '.'; }

struct Candidate {
  std::uint32_t begin, end, entry;
};

}  // namespace

bool luhn_valid(std::string_view number) {
  int digits = 0, sum = 0;
  for (auto it = number.rbegin(); it != number.rend(); ++it) {
    const char c = *it;
    if (separator(c)) continue;
    if (c < '0' || c > '9') return false;
    int d = c - '0';
    if (digits % 2 == 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    ++digits;
  }
  return digits >= 13 && digits <= 19 && sum % 10 == 0;
}

bool iban_valid(std::string_view iban) {
  std::string s;
  for (char c : iban) {
    if (separator(c)) continue;
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
    s += c;
  }
  if (s.size() < 15 || s.size() > 34) return false;
  if (s[0] < 'A' || s[0] > 'Z' || s[1] < 'A' || s[1] > 'Z' || s[2] < '0' || s[2] > '9' || s[3] < '0' || s[3] > '9') return false;
  const std::string moved = s.substr(4) + s.substr(0, 4);
  int rem = 0;
  for (char c : moved) {
    if (c >= '0' && c <= '9') {
      rem = (rem * 10 + (c - '0')) % 97;
    } else {
      const int v = c - 'A' + 10;
      rem = (rem * 100 + v) % 97;
    }
  }
  return rem == 1;
}

ByteRange Redacted::map(ByteRange r) const {
  auto pos = [this](std::uint32_t p, bool end_side) -> std::uint32_t {
    std::int64_t delta = 0;
    for (const auto& x : replaced) {
      if (p <= x.begin) break;
      if (p < x.end) return end_side ? x.out_end : x.out_begin;
      delta += static_cast<std::int64_t>(x.out_end - x.out_begin) - static_cast<std::int64_t>(x.end - x.begin);
    }
    return static_cast<std::uint32_t>(static_cast<std::int64_t>(p) + delta);
  };
  return {pos(r.begin, false), pos(r.end, true)};
}

std::vector<ByteRange> Redactor::find(std::size_t i, std::string_view text) const {
  std::vector<ByteRange> out;
  const auto& c = entries_.at(i);
  for (const auto& re : c.patterns) {
    std::size_t pos = 0;
    re2::StringPiece m;
    while (pos <= text.size() && re->Match(text, pos, text.size(), RE2::UNANCHORED, &m, 1)) {
      const auto b = static_cast<std::size_t>(m.data() - text.data());
      const auto e = b + m.size();
      const std::string_view found(m.data(), m.size());
      const bool valid = c.entry.validator == Validator::luhn   ? luhn_valid(found)
                         : c.entry.validator == Validator::iban ? iban_valid(found)
                                                                : true;
      if (valid && e > b) out.push_back({static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(e)});
      pos = e > b ? e : b + 1;
    }
  }
  std::sort(out.begin(), out.end(), [](const ByteRange& a, const ByteRange& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  return out;
}

Redacted Redactor::redact(std::string_view text) const {
  Redacted out;
  if (entries_.empty() || text.empty()) {
    out.text = std::string(text);
    return out;
  }
  // Which entries could find something: one set pass (almost every message: none).
  std::vector<bool> look(entries_.size(), false);
  std::vector<int> hits;
  RE2::Set::ErrorInfo info{};
  if (any_ && any_->Match(text, &hits, &info)) {
    for (int h : hits) look[set_entry_[static_cast<std::size_t>(h)]] = true;
  } else if (!any_ || info.kind != RE2::Set::kNoError) {
    std::fill(look.begin(), look.end(), true);  // the set's DFA ran out of memory: every entry on its own
  }
  std::vector<Candidate> found;
  for (std::uint32_t i = 0; i < entries_.size(); ++i) {
    if (!look[i]) continue;
    for (const auto& r : find(i, text)) found.push_back({r.begin, r.end, i});
  }
  if (found.empty()) {
    out.text = std::string(text);
    return out;
  }
  std::sort(found.begin(), found.end(), [](const Candidate& a, const Candidate& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  out.text.reserve(text.size());
  std::uint32_t done = 0;
  for (const auto& c : found) {
    if (c.begin < done) continue;  // overlaps one already taken
    out.text.append(text.substr(done, c.begin - done));
    Replacement r{c.begin, c.end, static_cast<std::uint32_t>(out.text.size()), 0, c.entry};
    out.text += entries_[c.entry].entry.label;
    r.out_end = static_cast<std::uint32_t>(out.text.size());
    out.replaced.push_back(r);
    done = c.end;
  }
  out.text.append(text.substr(done));
  return out;
}

RedactorPtr compile_redactor(const RedactSpec& spec, std::int64_t regex_max_mem, std::vector<Problem>& problems) {
  std::shared_ptr<Redactor> r(new Redactor());
  const auto before = problems.size();
  auto set = std::make_unique<RE2::Set>(regex_options(true, 8 << 20), RE2::UNANCHORED);
  std::vector<std::uint32_t> set_entry;
  for (std::size_t i = 0; i < spec.entries.size(); ++i) {
    const auto& e = spec.entries[i];
    const std::string at = "redact[" + std::to_string(i) + "]";
    const std::string id = e.id.empty() ? at : e.id;
    if (e.patterns.size() > kMaxPatternsPerEntry) {
      problems.push_back({id, at + ".patterns", "has " + std::to_string(e.patterns.size()) + " patterns; the limit is " +
                                                    std::to_string(kMaxPatternsPerEntry), {}});
      continue;
    }
    Redactor::Compiled c{e, {}};
    for (std::size_t p = 0; p < e.patterns.size(); ++p) {
      const auto field = at + ".patterns[" + std::to_string(p) + "]";
      auto re = std::make_unique<RE2>(e.patterns[p], regex_options(e.case_sensitive, regex_max_mem));
      if (!re->ok()) {
        std::optional<int> position;
        if (auto pos = e.patterns[p].find(re->error_arg()); !re->error_arg().empty() && pos != std::string::npos)
          position = static_cast<int>(pos);
        problems.push_back({id, field, "invalid regular expression: " + re->error(), position});
        continue;
      }
      std::string error;
      const std::string form = (e.case_sensitive ? "(?:" : "(?i:") + e.patterns[p] + ")";
      if (set->Add(form, &error) < 0) {
        problems.push_back({id, field, "cannot be added to the redaction set: " + error, {}});
        continue;
      }
      set_entry.push_back(static_cast<std::uint32_t>(r->entries_.size()));
      c.patterns.push_back(std::move(re));
    }
    r->entries_.push_back(std::move(c));
  }
  if (problems.size() != before) return RedactorPtr(new Redactor());
  if (!set_entry.empty()) {
    if (!set->Compile()) {
      problems.push_back({"", "redact", "the redaction patterns together exceed their memory budget; simplify them", {}});
      return RedactorPtr(new Redactor());
    }
    r->any_ = std::move(set);
    r->set_entry_ = std::move(set_entry);
  }
  for (const auto& x : run_redact_examples(*r)) {
    if (x.passed) continue;
    problems.push_back({x.id, x.field,
                        x.must_match ? "finds nothing in \"" + x.text + "\"; it must find something there"
                                     : "finds something in \"" + x.text + "\"; it must find nothing there",
                        {}});
  }
  if (problems.size() != before) return RedactorPtr(new Redactor());
  return r;
}

std::vector<RedactExampleResult> run_redact_examples(const Redactor& redactor) {
  std::vector<RedactExampleResult> out;
  const auto& entries = redactor.entries();
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const auto& e = entries[i].entry;
    const std::string at = "redact[" + std::to_string(i) + "].examples.";
    for (std::size_t j = 0; j < e.must_match.size(); ++j)
      out.push_back({e.id, at + "match[" + std::to_string(j) + "]", e.must_match[j], true, !redactor.find(i, e.must_match[j]).empty()});
    for (std::size_t j = 0; j < e.must_not_match.size(); ++j)
      out.push_back({e.id, at + "no_match[" + std::to_string(j) + "]", e.must_not_match[j], false,
                     redactor.find(i, e.must_not_match[j]).empty()});
  }
  return out;
}

}  // namespace tact::coach
