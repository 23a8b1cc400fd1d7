// What the insights page shows, from GET /api/insights (docs/protocol.md, "After the close"):
// pure functions from a block (`team` or one of `agents`) to rows and words, tested without a
// browser (tests/browser/insights-lib.test.mjs).
import { formatDuration, stepLabel, kindLabel } from './client.js';

const STEP_ORDER = ['acknowledge', 'apology', 'ownership', 'empathy', 'solution', 'follow_up', 'feedback_request'];

// "2:05" for a median first response, "—" when nothing was measured.
export function responseText(ms) {
  return typeof ms === 'number' ? formatDuration(ms) : '—';
}

export function healthText(h) {
  return typeof h === 'number' ? String(Math.round(h)) : '—';
}

export function ratingText(r) {
  if (!r || !r.count) return 'no ratings';
  return `${r.mean.toFixed(1)} / 5 (${r.count} rating${r.count === 1 ? '' : 's'})`;
}

// Each playbook step's completion as a percentage, in the playbook's order; steps no review
// listed are left out.
export function stepRows(block) {
  const steps = block?.steps ?? {};
  const known = STEP_ORDER.filter((s) => s in steps);
  const extra = Object.keys(steps).filter((s) => !STEP_ORDER.includes(s)).sort();
  return [...known, ...extra].map((s) => ({ id: s, label: stepLabel(s), value: Math.round((steps[s].rate ?? 0) * 100), done: steps[s].done, of: (steps[s].done ?? 0) + (steps[s].missed ?? 0) + (steps[s].spoiled ?? 0) }));
}

// The weakest step (lowest rate, the playbook's order on a tie), or null.
export function weakestStep(block) {
  const rows = stepRows(block).filter((r) => r.of > 0);
  if (!rows.length) return null;
  return rows.reduce((w, r) => (r.value < w.value ? r : w));
}

export function causeRows(block) {
  return (block?.top_causes ?? []).map((c) => ({ id: c.id, label: c.label, value: c.count }));
}

export function flagRows(block) {
  return (block?.top_flags ?? []).map((f) => ({ id: f.kind, label: kindLabel(f.kind), value: f.count }));
}

export function ratingRows(block) {
  const d = block?.ratings?.distribution ?? {};
  return ['5', '4', '3', '2', '1'].map((s) => ({ id: s, label: `${'★'.repeat(Number(s))}`, value: d[s] ?? 0 }));
}

const OUTCOME_LABELS = { resolved: 'Resolved', thanked: 'Thanked', escalated: 'Escalated', unresolved: 'Unresolved', abandoned: 'Abandoned' };
export function outcomeRows(block) {
  return Object.entries(block?.outcomes ?? {})
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k, n]) => ({ id: k, label: OUTCOME_LABELS[k] ?? k, value: n }));
}

// Days from..to (inclusive, 'YYYY-MM-DD', UTC) with each day's count from `perDay` (0 when absent):
// a trend line needs the quiet days too.
export function dailySeries(perDay, fromMs, toMs) {
  const out = [];
  const day = 86400000;
  const start = Math.floor(fromMs / day) * day;
  for (let t = start; t < toMs && out.length < 400; t += day) {
    const key = new Date(t).toISOString().slice(0, 10);
    out.push({ day: key, value: perDay?.[key] ?? 0 });
  }
  return out;
}

// 'YYYY-MM-DD' of a Date, in UTC (the API's dates are UTC days).
export function isoDay(d) {
  return d.toISOString().slice(0, 10);
}

// A recent conversation's outcome in words: the API's outcome name ("resolved"), or a review's
// outcome object ({resolved, thanked, escalated, abandoned}).
export function outcomeText(o) {
  if (typeof o === 'string') return OUTCOME_LABELS[o] ?? o;
  if (!o || typeof o !== 'object') return '—';
  for (const k of ['resolved', 'thanked', 'escalated', 'abandoned']) if (o[k]) return OUTCOME_LABELS[k];
  return OUTCOME_LABELS.unresolved;
}
