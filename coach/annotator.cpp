#include "annotator.hpp"

#include <algorithm>

#include "clauses.hpp"
#include "normalize.hpp"

namespace tact::coach {
namespace {

using Kind = RuleSet::EntryKind;

struct Hit {
  std::uint32_t rule;
  std::uint32_t unit;  // index into the units of the rule's scope
  Kind kind;
  std::uint32_t pattern;
  std::uint32_t veto;
  friend bool operator<(const Hit& a, const Hit& b) {
    return std::tie(a.rule, a.unit, a.kind, a.pattern, a.veto) < std::tie(b.rule, b.unit, b.kind, b.pattern, b.veto);
  }
};

const RE2& entry_regex(const RuleSet& rules, const RuleSet::SetEntry& e) {
  const auto& cr = rules.rules()[e.rule];
  switch (e.kind) {
    case Kind::pattern: return *cr.patterns[e.pattern].re;
    case Kind::rule_veto: return *cr.unless[e.pattern];
    case Kind::pattern_veto: break;
  }
  return *cr.patterns[e.pattern].unless[e.veto];
}

// Adds the set entries that match one unit of text. Falls back to each entry's own RE2 when the
// set's DFA is out of memory.
void scan(const RuleSet& rules, const RuleSet::ScopeIndex& idx, std::string_view unit, std::uint32_t unit_no,
          std::vector<int>& scratch, std::vector<Hit>& out, bool& fallback) {
  scratch.clear();
  RE2::Set::ErrorInfo info{};
  const bool ok = idx.set->Match(unit, &scratch, &info) || info.kind == RE2::Set::kNoError;
  if (!ok) {
    fallback = true;
    scratch.clear();
    for (std::size_t i = 0; i < idx.entries.size(); ++i)
      if (RE2::PartialMatch(unit, entry_regex(rules, idx.entries[i]))) scratch.push_back(static_cast<int>(i));
  }
  for (int h : scratch) {
    const auto& e = idx.entries[static_cast<std::size_t>(h)];
    out.push_back({e.rule, unit_no, e.kind, e.pattern, e.veto});
  }
}

// True when a negator (not one of the pack's exceptions) stands within the window of words before
// the match [begin, end), or a negating phrase ("isn't possible") within the window after it, inside
// the clause that holds the match's start.
bool negated(const RuleSet& rules, std::string_view text, const Segments& seg, std::size_t begin, std::size_t end) {
  const RE2* neg = rules.negator();
  if (!neg) return false;
  auto c = std::upper_bound(seg.clauses.begin(), seg.clauses.end(), begin,
                            [](std::size_t b, const Clause& cl) { return b < cl.begin; });
  const std::size_t clause_begin = c == seg.clauses.begin() ? 0 : std::prev(c)->begin;
  const std::size_t clause_end = c == seg.clauses.begin() ? text.size() : std::max<std::size_t>(std::prev(c)->end, end);
  const int window = rules.pack().negation.window_words;
  auto back = [&](std::size_t from, int n) {
    for (int words = 0; words < n && from > clause_begin; ++words) {
      while (from > clause_begin && text[from - 1] == ' ') --from;
      while (from > clause_begin && text[from - 1] != ' ') --from;
    }
    return from;
  };
  const std::size_t from = back(begin, window);
  // Scanning starts three words earlier so that an exception that begins before the window ("if
  // you don't receive the refund") still covers its negator; only negators inside the window count.
  const std::size_t scan_from = back(from, 3);
  re2::StringPiece rest(text.data() + scan_from, begin - scan_from);
  re2::StringPiece negator;
  while (RE2::FindAndConsume(&rest, *neg, &negator))
    if (negator.data() != nullptr && static_cast<std::size_t>(negator.data() - text.data()) >= from) return true;
  const RE2* after = rules.negator_after();
  if (!after) return false;
  std::size_t to = end;
  for (int words = 0; words < window && to < clause_end; ++words) {
    while (to < clause_end && text[to] == ' ') ++to;
    while (to < clause_end && text[to] != ' ') ++to;
  }
  return RE2::PartialMatch(re2::StringPiece(text.data() + end, to - end), *after);
}

Annotation run(const RuleSet& rules, Role role, std::string_view text, const NormalizedText* mapping, Spans spans) {
  Annotation out;
  const auto& idx = rules.index(role);
  const auto& clause_idx = idx.scope(Scope::clause);
  const auto& sentence_idx = idx.scope(Scope::sentence);
  const auto& message_idx = idx.scope(Scope::message);
  Segments seg;
  if (clause_idx.set || sentence_idx.set || idx.negatable) seg = split_clauses(text);
  std::vector<Hit> hits;
  std::vector<int> scratch;
  hits.reserve(32);
  scratch.reserve(32);
  out.rules.reserve(8);
  if (clause_idx.set)
    for (std::uint32_t u = 0; u < seg.clauses.size(); ++u)
      scan(rules, clause_idx, text.substr(seg.clauses[u].begin, seg.clauses[u].end - seg.clauses[u].begin), u, scratch,
           hits, out.scan_fallback);
  if (sentence_idx.set)
    for (std::uint32_t u = 0; u < seg.sentences.size(); ++u)
      scan(rules, sentence_idx, text.substr(seg.sentences[u].begin, seg.sentences[u].end - seg.sentences[u].begin), u,
           scratch, hits, out.scan_fallback);
  if (message_idx.set) scan(rules, message_idx, text, 0, scratch, hits, out.scan_fallback);
  std::sort(hits.begin(), hits.end());

  auto unit_of = [&](Scope s, std::uint32_t u) -> std::pair<std::size_t, std::size_t> {
    if (s == Scope::clause) return {seg.clauses[u].begin, seg.clauses[u].end};
    if (s == Scope::sentence) return {seg.sentences[u].begin, seg.sentences[u].end};
    return {0, text.size()};
  };
  std::vector<std::string_view> acts;
  acts.reserve(8);
  for (std::size_t a = 0; a < hits.size();) {
    const auto ri = hits[a].rule;
    std::size_t b = a;
    while (b < hits.size() && hits[b].rule == ri) ++b;
    const auto& cr = rules.rules()[ri];
    bool fired = false, spanned = false;
    for (std::size_t u = a; u < b && !(fired && (spanned || spans == Spans::no));) {
      std::size_t v = u;
      while (v < b && hits[v].unit == hits[u].unit) ++v;
      // Within a unit the hits sort as patterns, then rule vetoes, then pattern vetoes.
      const bool rule_vetoed = std::any_of(hits.begin() + u, hits.begin() + v, [](const Hit& h) { return h.kind == Kind::rule_veto; });
      for (std::size_t k = u; k < v && !rule_vetoed && hits[k].kind == Kind::pattern; ++k) {
        const auto pi = hits[k].pattern;
        const bool pattern_vetoed = std::any_of(hits.begin() + u, hits.begin() + v, [&](const Hit& h) {
          return h.kind == Kind::pattern_veto && h.pattern == pi;
        });
        if (pattern_vetoed) continue;
        const auto& cp = cr.patterns[pi];
        if (!cp.negatable && (spans == Spans::no || spanned)) {
          fired = true;
          if (spans == Spans::no) break;
          continue;
        }
        // Find the match (for a negatable pattern: the first one no negator cancels) and its span.
        const auto [ub, ue] = unit_of(cr.rule->scope, hits[k].unit);
        // The unit is the whole text for the regex, as it was for the set: ^, $ and \b see its edges.
        const re2::StringPiece unit(text.data() + ub, ue - ub);
        std::size_t pos = 0;
        re2::StringPiece m;
        while (pos <= unit.size() && cp.re->Match(unit, pos, unit.size(), RE2::UNANCHORED, &m, 1)) {
          const auto mb = static_cast<std::size_t>(m.data() - text.data());
          if (!cp.negatable || !negated(rules, text, seg, mb, mb + m.size())) {
            fired = true;
            if (spans == Spans::yes && !spanned && !m.empty()) {
              ByteRange r{static_cast<std::uint32_t>(mb), static_cast<std::uint32_t>(mb + m.size())};
              if (mapping) r = mapping->to_original(mb, mb + m.size());
              out.spans.push_back({r.begin, r.end, cr.rule->act, cr.rule->id});
              spanned = true;
            }
            break;
          }
          pos = mb - ub + std::max<std::size_t>(m.size(), 1);
        }
        if (fired && (spanned || spans == Spans::no)) break;
      }
      u = v;
    }
    if (fired) {
      out.rules.push_back(cr.rule->id);
      acts.push_back(cr.rule->act);
    }
    a = b;
  }
  // Implications, in pack order: each sees the acts of the rules and of the implications before it.
  auto has = [&](std::string_view act) { return std::find(acts.begin(), acts.end(), act) != acts.end(); };
  for (const auto& imp : rules.pack().implies) {
    if (imp.role != role) continue;
    if (!std::all_of(imp.if_acts.begin(), imp.if_acts.end(), has)) continue;
    if (std::any_of(imp.and_not.begin(), imp.and_not.end(), has)) continue;
    out.rules.push_back(imp.id);
    if (!has(imp.then)) acts.push_back(imp.then);
    // Its span is the span of the act that implied it.
    if (spans == Spans::yes)
      for (std::size_t s = 0, n = out.spans.size(); s < n; ++s)
        if (out.spans[s].act == imp.if_acts.front()) {
          out.spans.push_back({out.spans[s].begin, out.spans[s].end, imp.then, imp.id});
          break;
        }
  }
  for (auto act : acts_of(role))
    if (std::find(acts.begin(), acts.end(), act) != acts.end()) out.acts.emplace_back(act);
  std::sort(out.spans.begin(), out.spans.end(), [](const Span& a, const Span& b) {
    return std::tie(a.begin, a.end, a.rule) < std::tie(b.begin, b.end, b.rule);
  });
  return out;
}

}  // namespace

bool Annotation::has(std::string_view act) const { return std::find(acts.begin(), acts.end(), act) != acts.end(); }

Annotation annotate(const RuleSet& rules, Role role, std::string_view text, Spans spans) {
  if (spans == Spans::no) return run(rules, role, normalize_text(text), nullptr, spans);
  const auto n = normalize(text);
  return run(rules, role, n.text, &n, spans);
}

Annotation annotate(const RuleSet& rules, Role role, const NormalizedText& normalized, Spans spans) {
  return run(rules, role, normalized.text, &normalized, spans);
}

Annotation annotate_normalized(const RuleSet& rules, Role role, std::string_view normalized) {
  return run(rules, role, normalized, nullptr, Spans::yes);
}

}  // namespace tact::coach
