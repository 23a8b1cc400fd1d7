#pragma once
// Splits normalized text into sentences and clauses, the units rules match in.
//
// Sentences end after a run of '.', '!' or '?' (with any closing quote or bracket) that is followed by
// a space or the end of the text; a single '.' after a one-letter word ("e.g.", "U.S.") or after a
// common abbreviation (mr, mrs, ms, dr, st, vs, etc, approx, dept, no) does not end one, nor does an
// ellipsis ("..."), which in chat marks a pause more often than an end.
// Within a sentence, clauses end at ';' and after the contrast words " but ", " however ",
// " although ", " though " and " whereas " (with a comma that follows): "I'm sorry, but we can't
// refund it" is the clauses "I'm sorry, but" and "we can't refund it". The contrast word ends the
// clause it turns, so a rule sees "sorry, but" (a non-apology) and a veto such as "but$" can say that
// what the clause says is taken back; what follows is a clause of its own. A clause keeps its own
// punctuation (the sentence's final mark, a ';') and starts at its first non-space byte. The ';' of an
// HTML entity ("&amp;", "&#39;") ends nothing. Line breaks
// are gone by then (normalize() collapses white space), so they split nothing.
#include <cstdint>
#include <string_view>
#include <vector>

#include "normalize.hpp"

namespace tact::coach {

struct Clause {
  std::uint32_t begin = 0;  // byte offsets into the normalized text, [begin, end)
  std::uint32_t end = 0;
  std::uint32_t sentence = 0;  // index into Segments::sentences
};

struct Segments {
  std::vector<ByteRange> sentences;  // in order, never empty for a non-empty text
  std::vector<Clause> clauses;       // in order; each lies in its sentence
};

Segments split_clauses(std::string_view normalized);

}  // namespace tact::coach
