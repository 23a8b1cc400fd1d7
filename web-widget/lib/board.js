// The supervisor board's order, filters and alert thresholds: pure functions of the
// conversations' state (tested through the page).

// Defaults; the page lets the supervisor change them (kept in localStorage).
export const DEFAULTS = { sort: 'urgent', agent: '', escalatedOnly: false, waitingOverS: 0, alertScore: 50, alertWaitS: 120 };

// What needs a supervisor now: an escalated customer, a health under the threshold, a customer
// waiting past the threshold. Returns [{kind, text}] in plain words.
export function alertsOf(c, waitingMs, t) {
  const out = [];
  if (c.escalated) out.push({ kind: 'escalation', text: 'Customer escalated' });
  if (typeof c.score === 'number' && c.score < t.alertScore) out.push({ kind: 'health', text: `Health ${c.score} (under ${t.alertScore})` });
  if (waitingMs >= t.alertWaitS * 1000) out.push({ kind: 'wait', text: `Waiting over ${Math.round(t.alertWaitS / 60 * 10) / 10} min` });
  return out;
}

// A stable order: the chosen key, then the order the board first saw each conversation (never
// the clock), so cards move only when what they are sorted by changes.
export function sortCards(list, sort) {
  const since = (c) => (c.waitingSince === null ? Number.MAX_SAFE_INTEGER : c.waitingSince);
  const byScore = (a, b) => (a.score ?? 101) - (b.score ?? 101);
  const byWait = (a, b) => since(a) - since(b); // the longest waiting first
  const esc = (a, b) => Number(b.escalated) - Number(a.escalated);
  const keys = { urgent: (a, b) => esc(a, b) || byScore(a, b), health: byScore, waiting: byWait, escalated: (a, b) => esc(a, b) || byWait(a, b) };
  const key = keys[sort] ?? keys.urgent;
  return [...list].sort((a, b) => key(a, b) || a.seen - b.seen);
}

export function passes(c, f, waitingMs) {
  if (f.agent && c.agent !== f.agent) return false;
  if (f.escalatedOnly && !c.escalated) return false;
  if (f.waitingOverS > 0 && waitingMs < f.waitingOverS * 1000) return false;
  return true;
}

// A health reason's points: "−8" taken off, "+10" given back (thanks, a confirmed fix).
export function deltaText(delta) {
  const d = Number(delta ?? 0);
  return d > 0 ? `+${d}` : `−${Math.abs(d)}`;
}

// A health reason in plain words: "blame in message c1-5" -> "blame in message 5".
export function plainReason(text) {
  return String(text ?? '').replace(/\bmessage [A-Za-z0-9_.:-]+-(\d+)\b/g, 'message $1');
}
