#pragma once
// Redaction of personal data (card numbers, emails, phone numbers, IBANs, national ids) from a
// message's text, by the pack's `redact` section (redact_pack.hpp). Pure: no I/O, no clock.
//
// Each entry's patterns are matched on the original text (not the normalized one: normalize()
// drops @handles, which would split an email); a candidate that fails the entry's validator
// (Luhn, IBAN mod-97) is left alone. Overlapping finds keep the one that starts first (the longer
// one on a tie). Every find is replaced by its entry's label.
//
// Offsets: a Redacted keeps, for each replacement, its range in the original and in the redacted
// text, so that a span found on the original (the coach always works on the original, so details
// for suggestions are taken before redaction) is mapped onto the redacted text with map(): bytes
// outside a replacement shift by what the replacements before them added or removed; an end that
// falls inside a replacement moves to the label's edge, so a span never cuts a label in half.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <re2/re2.h>
#include <re2/set.h>

#include "normalize.hpp"
#include "problem.hpp"
#include "redact_pack.hpp"

namespace tact::coach {

struct Replacement {
  std::uint32_t begin = 0, end = 0;          // in the original text, [begin, end)
  std::uint32_t out_begin = 0, out_end = 0;  // the label in the redacted text
  std::uint32_t entry = 0;                   // index into Redactor::entries()
};

struct Redacted {
  std::string text;                   // the text with every find replaced by its label
  std::vector<Replacement> replaced;  // sorted by begin, not overlapping

  bool changed() const { return !replaced.empty(); }
  // The redacted-text range that original bytes [begin, end) became (see the header's note).
  ByteRange map(ByteRange original) const;
};

class Redactor;
using RedactorPtr = std::shared_ptr<const Redactor>;

// Compiles every pattern (RE2's message and position on error) and runs every entry's examples:
// a failing example is a problem too, so a pack whose redaction examples fail is refused. Never
// null: with problems it is an empty redactor.
RedactorPtr compile_redactor(const RedactSpec& spec, std::int64_t regex_max_mem, std::vector<Problem>& problems);

class Redactor {
 public:
  struct Compiled {
    RedactEntry entry;
    std::vector<std::unique_ptr<RE2>> patterns;
  };

  Redacted redact(std::string_view text) const;
  // Redacted text only (for details and suggestions); `text` itself when nothing is found.
  std::string redact_text(std::string_view text) const { return redact(text).text; }
  // What entry `i` alone finds in `text`: original byte ranges, validated, in order.
  std::vector<ByteRange> find(std::size_t i, std::string_view text) const;

  const std::vector<Compiled>& entries() const { return entries_; }
  bool empty() const { return entries_.empty(); }

  Redactor(const Redactor&) = delete;
  Redactor& operator=(const Redactor&) = delete;

 private:
  friend RedactorPtr compile_redactor(const RedactSpec&, std::int64_t, std::vector<Problem>&);
  Redactor() = default;
  std::vector<Compiled> entries_;
  std::unique_ptr<RE2::Set> any_;            // every pattern: one pass tells whether to look further
  std::vector<std::uint32_t> set_entry_;     // set index -> entry
};

// One result per example of every entry, in pack order.
struct RedactExampleResult {
  std::string id;
  std::string field;  // "redact[0].examples.match[1]"
  std::string text;
  bool must_match = true;
  bool passed = false;
};
std::vector<RedactExampleResult> run_redact_examples(const Redactor& redactor);

// The validators. Both ignore spaces and dashes between the characters.
bool luhn_valid(std::string_view number);  // 13..19 digits whose Luhn sum is a multiple of 10
bool iban_valid(std::string_view iban);    // 2 letters, 2 check digits, up to 30 more; mod 97 == 1

}  // namespace tact::coach
