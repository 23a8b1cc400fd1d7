// How often each rule's flags were disputed by agents (issue 22, GET /api/rules/stats), in
// words for the rule editor; and which of the draft's changes touch a rule agents often dispute.
// Pure (tested in tests/browser/lessons-lib.test.mjs).

// {rules: [...]} -> Map rule id -> its stats.
export function statsByRule(stats) {
  return new Map((stats?.rules ?? []).filter((r) => r && r.rule).map((r) => [r.rule, r]));
}

function precisionOf(s) {
  if (typeof s.precision === 'number') return s.precision;
  return s.shown > 0 ? (s.shown - (s.disputed ?? 0)) / s.shown : null;
}

// "75% · 3 of 12 disputed"; "—" when the rule never raised a flag.
export function precisionText(s) {
  if (!s || !(s.shown > 0)) return '—';
  const p = precisionOf(s);
  if (p === null) return '—';
  return `${Math.round(p * 100)}% · ${s.disputed ?? 0} of ${s.shown} disputed`;
}

// The server's `low`, or the same test when absent: shown >= 5 and precision < 0.8.
export function isLow(s) {
  if (!s) return false;
  if (typeof s.low === 'boolean') return s.low;
  const p = precisionOf(s);
  return s.shown >= 5 && p !== null && p < 0.8;
}

// "blame.should-have: 3 of 12 flags were disputed (75% precision) — check its examples"
export function lowWarning(s) {
  const p = precisionOf(s);
  return `${s.rule}: ${s.disputed ?? 0} of ${s.shown} flag${s.shown === 1 ? ' was' : 's were'} disputed (${Math.round((p ?? 0) * 100)}% precision) — check its examples`;
}

// The warnings for the draft's changed or removed rules (diffPacks' answer) that agents often
// dispute, in the diff's order.
export function lowRuleWarnings(diff, byRule) {
  const out = [];
  for (const d of diff ?? []) {
    if (d.kind !== 'changed' && d.kind !== 'removed') continue;
    const s = byRule?.get(d.id);
    if (isLow(s)) out.push(lowWarning(s));
  }
  return out;
}
