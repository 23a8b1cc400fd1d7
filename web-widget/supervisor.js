// The supervisor dashboard: every live conversation, worst health first; an annotated
// transcript of the one opened; whispers to its agent. Token: ?token=JWT (supervisor or admin).
import { TactSocket, formatDuration, kindLabel, renderHighlighted, seqOf, tokenClaims } from './lib/client.js';
import { isExpired, showSession } from './lib/session.js';
import { DEFAULTS, alertsOf as alertsFor, passes, deltaText, plainReason, sortCards } from './lib/board.js';
import { boardControls } from './lib/board-controls.js';
import { sparkline } from './lib/sparkline.js';

const q = new URLSearchParams(location.search);
const token = q.get('token') || q.get('supervisor');
const server = q.get('server') || '';
const GOOD = new Set(['acknowledge', 'apology', 'ownership', 'empathy', 'solution', 'follow_up', 'feedback_request', 'personalization']);
const BAD = new Set(['blame', 'excuse', 'non_apology', 'dismissive', 'negative_tone', 'escalation']);
const CUSTOMER = new Set(['complaint', 'frustration', 'escalation', 'gratitude', 'resolved']);

const $ = (id) => document.getElementById(id);
if (token) $('insights-link').href = `insights.html?token=${encodeURIComponent(token)}${server ? `&server=${encodeURIComponent(server)}` : ''}`;
const cardsEl = $('cards');
const convs = new Map(); // id -> conversation state
let selected = null;
let socket = null;
let seen = 0;
let lastKey = '';
let lastDetailKey = '';
const settings = boardControls(DEFAULTS, () => render());

function h(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function dirAuto(e) {
  e.dir = 'auto';
  return e;
}

function conv(id) {
  let c = convs.get(id);
  if (!c) {
    c = {
      id, customer: '', agent: '', open: true, score: null, reasons: [], sentiment: [], trend: '',
      waitingSince: null, escalated: false, messages: new Map(), coach: new Map(),
      whispers: new Map(), loaded: false, loading: null, alertKey: '', seen: seen++,
    };
    convs.set(id, c);
  }
  return c;
}

function level(score) {
  if (score === null || score === undefined) return 'good';
  return score < 50 ? 'bad' : score < 80 ? 'warn' : 'good';
}

function waitingMs(c) {
  return c.waitingSince === null ? 0 : Math.max(0, Date.now() - c.waitingSince);
}

function alertsOf(c) {
  return alertsFor(c, waitingMs(c), settings);
}

// A new waiting start only when it moved by more than 2 s: the health events' waiting_ms
// arrive with network jitter, which must not reorder the board.
function setWaiting(c, ms) {
  const since = Date.now() - ms;
  if (c.waitingSince === null || Math.abs(since - c.waitingSince) > 2000) c.waitingSince = since;
}

// --- applying what the gateway says ---------------------------------------------------------

function applyCoach(c, coach, live) {
  const seq = seqOf(coach.message_id);
  c.coach.set(seq, coach);
  if (coach.health) {
    if (!c.lastCoachSeq || seq >= c.lastCoachSeq) {
      c.lastCoachSeq = seq;
      c.score = coach.health.score;
      c.reasons = coach.health.reasons ?? [];
      if (coach.trend !== undefined) c.trend = coach.trend;
      c.escalated = Boolean(coach.escalated);
      if (coach.details?.name && !c.customer) c.customer = coach.details.name;
      if (live) {
        const waiting = coach.waiting_ms ?? 0;
        if (coach.role === 'customer' || waiting > 0) setWaiting(c, waiting);
        else c.waitingSince = null;
      }
    }
  }
  if (coach.role === 'customer' && typeof coach.sentiment === 'number') c.sentiment.push({ seq, v: coach.sentiment });
  if (coach.role === 'customer' && (coach.acts ?? []).includes('escalation')) c.escalated = true;
}

function applyHealth(c, f) {
  c.score = f.score;
  c.reasons = f.reasons ?? [];
  if (f.trend !== undefined) c.trend = f.trend;
  if (f.agent) c.agent = f.agent;
  if (f.open === false) c.open = false;
  const w = f.waiting_ms ?? 0;
  if (w > 0 && f.open !== false) setWaiting(c, w);
  else if (c.lastRole !== 'customer' || f.open === false) c.waitingSince = null;
  if ((c.reasons ?? []).some((r) => /escalat/i.test(plainReason(r.text)))) c.escalated = true;
}

async function load(id) {
  const c = conv(id);
  if (c.loading) return c.loading;
  c.loading = (async () => {
    try {
      const d = await socket.get(`/api/conversations/${encodeURIComponent(id)}`);
      if (d.customer) c.customer = d.customer;
      if (d.agent) c.agent = d.agent;
      if (d.open === false) c.open = false;
      c.sentiment = [];
      for (const m of d.messages ?? []) {
        c.messages.set(m.seq, m);
        c.lastRole = m.role;
        if (m.coach) applyCoach(c, { ...m.coach, message_id: m.coach.message_id ?? m.id }, false);
      }
      c.sentiment.sort((a, b) => a.seq - b.seq);
      c.sentiment = c.sentiment.filter((s, i, a) => i === 0 || a[i - 1].seq !== s.seq);
      let oldest = null;
      for (const m of d.messages ?? []) {
        if (m.role === 'agent') oldest = null;
        else if (oldest === null) oldest = m.at;
      }
      if (c.open && oldest !== null && c.waitingSince === null) c.waitingSince = Math.min(Date.now(), oldest);
      for (const w of d.whispers ?? []) c.whispers.set(w.id ?? `${w.at}`, w);
      c.loaded = true;
    } catch {
      c.loaded = false;
    }
    c.loading = null;
    render();
    if (selected === id) renderDetail();
  })();
  return c.loading;
}

function frame(f) {
  switch (f.type) {
    case 'hello':
      socket.send({ type: 'subscribe' });
      refreshList();
      break;
    case 'health_page':  // the snapshot on subscribe and each sweep: many health events in one frame
      for (const e of f.events ?? []) frame(e);
      break;
    case 'health': {
      const known = convs.has(f.conversation);
      const c = conv(f.conversation);
      applyHealth(c, f);
      if (!known) load(f.conversation);
      if (!c.open) convs.delete(f.conversation);
      break;
    }
    case 'message': {
      const known = convs.has(f.conversation);
      const c = conv(f.conversation);
      c.messages.set(f.seq ?? seqOf(f.id), f);
      c.lastRole = f.role;
      if (f.role === 'customer' && c.waitingSince === null) c.waitingSince = Date.now();
      if (f.role === 'agent') c.waitingSince = null;
      if (f.role === 'customer' && !c.customer && f.from) c.customer = f.from;
      if (!known) load(f.conversation);
      break;
    }
    case 'coach':
      applyCoach(conv(f.conversation), f, true);
      break;
    case 'whisper':
      conv(f.conversation).whispers.set(f.id ?? `${f.at}`, f);
      break;
    case 'closed':
      if (convs.has(f.conversation)) {
        convs.get(f.conversation).open = false;
        if (selected !== f.conversation) convs.delete(f.conversation);
      }
      break;
    case 'error':
      tell(`The gateway refused: ${f.message ?? f.code}`);
      break;
    default:
      return;
  }
  render();
  if (selected && f.conversation === selected) renderDetail();
}

async function refreshList() {
  try {
    const { conversations } = await socket.get('/api/conversations');
    for (const row of conversations ?? []) {
      if (!row.open) continue;
      const c = conv(row.id);
      c.customer = row.customer || c.customer;
      c.agent = row.agent || c.agent;
      if (typeof row.score === 'number') c.score = row.score;
      if (row.reasons) c.reasons = row.reasons;
      if (row.trend !== undefined) c.trend = row.trend;
      if (row.waiting_ms > 0) setWaiting(c, row.waiting_ms);
      if (!c.loaded) load(row.id);
    }
  } catch (e) {
    tell(`Cannot list the conversations: ${e.message}`);
  }
  render();
}

// --- rendering ------------------------------------------------------------------------------

function trendWord(t) {
  return { falling: '↘ falling', rising: '↗ rising', steady: '→ steady' }[t] ?? '';
}

function card(c) {
  const li = h('li', `card ${level(c.score)}`);
  li.dataset.conversation = c.id;
  li.dataset.score = c.score ?? '';
  const alerts = alertsOf(c);
  if (alerts.length) li.classList.add('alerting');
  if (selected === c.id) li.classList.add('selected');
  const b = h('button');
  b.type = 'button';
  b.dataset.conversation = c.id;
  b.setAttribute('aria-expanded', String(selected === c.id));
  b.setAttribute('aria-controls', 'detail');
  const name = c.customer || 'Customer';
  const who = h('div');
  who.append(dirAuto(h('div', 'name', name)), h('div', 'agent', `${c.id} · agent ${c.agent || 'unassigned'}`));
  const score = h('span', `score ${level(c.score)}`);
  score.append(h('span', 'visually-hidden', 'health '), String(c.score ?? '–'));
  b.append(who, score);
  if (alerts.length) {
    const al = h('div', 'alerts');
    for (const a of alerts) {
      const chip = h('span', `alert ${a.kind}`, a.text);
      chip.dataset.alert = a.kind;
      al.append(chip);
    }
    b.append(al);
  }
  const reasons = h('ul', 'reasons');
  const biggest = [...(c.reasons ?? [])].sort((a, b) => Math.abs(b.delta ?? 0) - Math.abs(a.delta ?? 0));
  for (const r of biggest.slice(0, 3)) {
    const li2 = h('li');
    li2.append(h('span', 'delta', deltaText(r.delta)), plainReason(r.text));
    reasons.append(li2);
  }
  if (reasons.childElementCount) b.append(reasons);
  const vitals = h('div', 'vitals');
  vitals.append(sparkline(c), h('span', '', trendWord(c.trend)));
  const w = waitingMs(c);
  const timer = h('span', `wait-timer${w >= settings.alertWaitS * 1000 ? ' long' : ''}`, c.waitingSince === null ? 'answered' : `waiting ${formatDuration(w)}`);
  timer.setAttribute('role', 'timer');
  vitals.append(timer);
  b.append(vitals);
  b.append(h('span', 'visually-hidden', ' Open the transcript.'));
  b.addEventListener('click', () => openDetail(c.id));
  li.append(b);
  return li;
}

function live() {
  return [...convs.values()].filter((c) => c.open || c.id === selected);
}

function sorted() {
  return sortCards(live().filter((c) => passes(c, settings, waitingMs(c)) || c.id === selected), settings.sort);
}

function render() {
  const focusedConv = document.activeElement?.closest?.('.card')?.dataset.conversation;
  const all = live();
  const list = sorted();
  settings.agents(all.map((c) => c.agent).filter(Boolean));
  // Rebuilt only when something a card shows changed: a card under the pointer stays put.
  const key = JSON.stringify([selected, settings.alertScore, settings.alertWaitS, list.map((c) => [c.id, c.customer, c.agent, c.score, c.reasons,
    c.trend, c.escalated, c.waitingSince === null, alertsOf(c).map((x) => x.kind), c.sentiment.slice(-12)])]);
  if (key !== lastKey) {
    lastKey = key;
    cardsEl.textContent = '';
    for (const c of list) cardsEl.append(card(c));
    if (focusedConv) cardsEl.querySelector(`.card[data-conversation="${CSS.escape(focusedConv)}"] button`)?.focus();
  }
  $('empty').hidden = list.length > 0;
  $('empty').textContent = all.length ? 'No conversation matches the filters.' : 'No live conversation right now.';
  const alerting = all.filter((c) => alertsOf(c).length).length;
  const shown = list.length === all.length ? '' : ` · ${list.length} shown`;
  $('summary').textContent = `${all.length} live${shown} · ${alerting} need${alerting === 1 ? 's' : ''} attention`;
}

function openDetail(id) {
  selected = id;
  $('detail').hidden = false;
  render();
  renderDetail();
  if (!conv(id).loaded) load(id);
  $('detail-close').focus();
}

function markFor(role) {
  return (spans) => {
    const flag = spans.find((s) => s.kind);
    if (flag) return { className: 'flag', title: spans.map((s) => kindLabel(s.kind ?? s.act)).join(', ') };
    const act = spans[0].act;
    return { className: CUSTOMER.has(act) && role === 'customer' ? 'act-customer' : 'act-good', title: spans.map((s) => s.act).join(', ') };
  };
}

function renderDetail() {
  const c = convs.get(selected);
  if (!c) {
    $('detail').hidden = true;
    return;
  }
  $('detail-title').textContent = `${c.customer || 'Customer'} — ${c.id}${c.open ? '' : ' (closed)'}`;
  const score = $('detail-score');
  score.className = `score ${level(c.score)}`;
  score.textContent = c.score ?? '–';
  score.setAttribute('aria-label', `Health score ${c.score ?? 'not yet'}`);
  const reasons = $('detail-reasons');
  reasons.textContent = '';
  for (const r of c.reasons ?? []) {
    const li = h('li');
    li.append(h('span', 'delta', deltaText(r.delta)), plainReason(r.text));
    reasons.append(li);
  }
  $('whisper-form').hidden = !c.open;
  const list = $('detail-transcript');
  // The transcript is rebuilt only when it changed (not on every health tick): a supervisor
  // selecting text in it keeps the selection.
  const key = `${c.id}/${c.messages.size}/${c.whispers.size}/${c.coach.size}`;
  if (key === lastDetailKey) return;
  lastDetailKey = key;
  const atBottom = list.scrollTop + list.clientHeight >= list.scrollHeight - 8;
  list.textContent = '';
  const items = [
    ...[...c.messages.values()].map((m) => ({ at: m.at ?? 0, order: 0, m })),
    ...[...c.whispers.values()].map((w) => ({ at: w.at ?? 0, order: 1, w })),
  ].sort((a, b) => a.at - b.at || a.order - b.order || (a.m?.seq ?? 0) - (b.m?.seq ?? 0));
  for (const it of items) {
    if (it.w) {
      const li = h('div', 'msg whisper');
      li.append(h('div', 'meta', `Whisper from ${it.w.from || 'supervisor'} · ${new Date(it.w.at).toLocaleTimeString()}`), dirAuto(h('p', 'text', it.w.text)));
      list.append(li);
      continue;
    }
    const m = it.m;
    const coach = c.coach.get(m.seq) ?? m.coach ?? null;
    const flags = coach?.flags ?? [];
    const li = h('div', `msg ${m.role}${flags.length ? ' has-flags' : ''}`);
    li.dataset.seq = m.seq;
    li.append(h('div', 'meta', `${m.role === 'agent' ? 'Agent' : 'Customer'} ${m.from || ''} · ${new Date(m.at).toLocaleTimeString()}`));
    const text = dirAuto(h('p', 'text'));
    const spans = [...(coach?.spans ?? []).filter((s) => !BAD.has(s.act) || m.role === 'customer'), ...flags.filter((f) => typeof f.begin === 'number')];
    renderHighlighted(text, m.text ?? '', spans, markFor(m.role));
    li.append(text);
    const acts = coach?.acts ?? [];
    if (acts.length) {
      const ul = h('ul', 'acts');
      ul.setAttribute('aria-label', 'Acts');
      for (const a of acts) ul.append(h('li', `act ${CUSTOMER.has(a) && m.role === 'customer' ? 'cust' : GOOD.has(a) ? 'good' : BAD.has(a) ? 'bad' : ''}`, a));
      li.append(ul);
    }
    for (const f of flags) li.append(h('p', 'flag-why', `⚑ ${kindLabel(f.kind)}: ${f.why ?? ''}${f.try_instead ? ` Try: “${f.try_instead}”` : ''}`));
    list.append(li);
  }
  if (atBottom) list.scrollTop = list.scrollHeight;
}

function closeDetail() {
  const id = selected;
  selected = null;
  $('detail').hidden = true;
  if (id && convs.get(id) && !convs.get(id).open) convs.delete(id);
  render();
  if (id) cardsEl.querySelector(`.card[data-conversation="${CSS.escape(id)}"] button`)?.focus();
}
$('detail-close').addEventListener('click', closeDetail);
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape' && selected && !e.defaultPrevented) closeDetail();
});

$('whisper-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const area = $('whisper-text');
  const text = area.value.trim();
  if (!text || !selected) return;
  socket.send({ type: 'whisper', conversation: selected, text });
  area.value = '';
});
$('whisper-text').addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && !e.shiftKey) {
    e.preventDefault();
    $('whisper-form').requestSubmit();
  }
});

function tell(text) {
  const n = $('notice');
  n.hidden = false;
  n.textContent = text;
}

// --- start ----------------------------------------------------------------------------------

const claims = token ? tokenClaims(token) : null;
if (!claims || !['supervisor', 'admin'].includes(claims.role)) {
  tell('This dashboard needs a supervisor token: supervisor.html?token=… (the link that `tact serve` prints, or `tact token --role supervisor --sub sam --name Sam`).');
  $('summary').textContent = 'not signed in';
} else if (isExpired(claims)) {
  showSession('expired', claims, $('who'));
  $('summary').textContent = 'session expired';
} else {
  showSession('connecting', claims, $('who'));
  socket = new TactSocket(server, token);
  socket.addEventListener('frame', (e) => frame(e.detail));
  socket.addEventListener('status', (e) => {
    showSession(e.detail, claims, $('who'));
    const words = { refused: 'the server refused the token', expired: 'session expired', offline: 'offline — reconnecting…', connecting: 'connecting…' };
    if (words[e.detail]) $('summary').textContent = words[e.detail];
  });
  socket.connect();
  setInterval(() => {
    // Timers tick locally; re-render only what changes once a second.
    for (const card of cardsEl.querySelectorAll('.card')) {
      const c = convs.get(card.dataset.conversation);
      if (!c) continue;
      const t = card.querySelector('.wait-timer');
      const w = waitingMs(c);
      if (c.waitingSince !== null) t.textContent = `waiting ${formatDuration(w)}`;
      const long = w >= settings.alertWaitS * 1000;
      t.classList.toggle('long', long);
      const hasWaitAlert = Boolean(card.querySelector('[data-alert="wait"]'));
      if (long !== hasWaitAlert) return render();
    }
    // A waiting filter lets a conversation in once it has waited long enough.
    if (settings.waitingOverS > 0 && sorted().length !== cardsEl.childElementCount) render();
  }, 1000);
  window.tactDashboard = { convs, socket };
}
