// The admin rule editor (issue 7): the live pack's rules with search, an editor for one rule
// that validates and runs the examples as you type, a box to try any sentence, the preview of
// what a publish would change, and the history with rollback. Token: ?token=JWT (admin).
// Issue 22: each rule's flag precision (how often agents disputed its flags, GET
// /api/rules/stats), and a warning in the preview when the draft changes a rule often disputed.
import { httpBase, tokenClaims } from './lib/client.js';
import { diffPacks, renderDiff } from './lib/pack-diff.js';
import { phrasesToPattern } from './lib/phrases.js';
import { BAD_ACTS, actMeaning, chip, problemItem, selectInTextarea } from './lib/rule-checks.js';
import { isLow, lowRuleWarnings, precisionText, statsByRule } from './lib/rule-stats.js';

const q = new URLSearchParams(location.search);
const token = q.get('token') || q.get('admin') || '';
const base = httpBase(q.get('server') || '');
const ACTS = {
  customer: ['complaint', 'frustration', 'escalation', 'gratitude', 'resolved'],
  agent: ['acknowledge', 'apology', 'ownership', 'empathy', 'solution', 'follow_up', 'feedback_request', 'personalization',
    'blame', 'excuse', 'non_apology', 'dismissive', 'negative_tone'],
};
const DEBOUNCE_MS = 300;

const $ = (id) => document.getElementById(id);
let pack = null;        // the draft: the live pack as edited here
let livePack = null;    // the live pack as loaded (what the draft is compared with)
let liveVersion = 0;    // the version the draft started from (publish's base_version)
let selected = 0;       // index into pack.rules
let lastTest = null;    // the latest /test answer
let lastValidate = null;
let lastGoodTest = null; // the latest /test answer that ran the examples
let checkSeq = 0;
let timer = null;
let ruleStats = null; // rule id -> its flag stats (GET /api/rules/stats), once loaded

function h(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

// status 0: the server could not be reached.
async function api(method, path, body) {
  let res;
  try {
    res = await fetch(`${base}/api/rules${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return { status: 0, ok: false, json: { error: 'offline', message: 'the server cannot be reached' } };
  }
  let json = null;
  try {
    json = await res.json();
  } catch {
    json = { error: 'bad_answer', message: `HTTP ${res.status}` };
  }
  return { status: res.status, ok: res.ok, json };
}

function notice(text) {
  $('notice').hidden = !text;
  $('notice').textContent = text || '';
}

const lines = (s) => s.split('\n').map((l) => l.trim()).filter(Boolean);

// --- the rule list -------------------------------------------------------------------------

function matchesSearch(rule, needle) {
  if (!needle) return true;
  const hay = [rule.id, rule.act, rule.role, rule.description ?? '', ...(rule.patterns ?? []), ...(rule.unless ?? []),
    ...(rule.examples?.match ?? []), ...(rule.examples?.no_match ?? [])].join('\n').toLowerCase();
  return hay.includes(needle);
}

function badRules() {
  const bad = new Set();
  for (const p of lastValidate?.problems ?? []) if (p.rule) bad.add(p.rule);
  for (const e of lastTest?.examples ?? []) if (!e.passed) bad.add(e.rule);
  return bad;
}

function renderList() {
  const needle = $('search').value.trim().toLowerCase();
  const bad = badRules();
  const list = $('rule-list');
  list.textContent = '';
  pack.rules.forEach((rule, i) => {
    if (!matchesSearch(rule, needle)) return;
    const li = h('li');
    li.dataset.id = rule.id;
    if (i === selected) li.classList.add('selected');
    if (bad.has(rule.id)) li.classList.add('bad');
    const b = h('button');
    b.type = 'button';
    b.append(h('span', 'id', rule.id), h('span', 'act', `${rule.role} · ${rule.act}`));
    const stat = ruleStats?.get(rule.id);
    if (ruleStats && (stat || (rule.role === 'agent' && BAD_ACTS.has(rule.act)))) b.append(precisionSpan(stat));
    b.addEventListener('click', () => select(i));
    li.append(b);
    list.append(li);
  });
}

// "Flag precision: 75% · 3 of 12 disputed", marked when agents dispute it often.
function precisionSpan(stat) {
  const low = isLow(stat);
  const span = h('span', `precision${low ? ' low' : ''}`, `Flag precision: ${precisionText(stat)}`);
  if (low) span.prepend(h('span', 'chip-icon', '⚠ '));
  span.dataset.rule = stat?.rule ?? '';
  if (stat?.reasons?.length) span.title = `Agents said: ${stat.reasons.map((r) => `“${r}”`).join(' · ')}`;
  return span;
}

// The checks outside the pack (tone, deadline, order) have stats too: listed under the rules.
function renderBuiltinStats() {
  const inPack = new Set((pack?.rules ?? []).map((r) => r.id));
  const others = [...(ruleStats?.values() ?? [])].filter((s) => !inPack.has(s.rule));
  const list = $('builtin-stats');
  list.textContent = '';
  $('builtin-title').hidden = others.length === 0;
  for (const s of others) {
    const li = h('li', '', '');
    li.dataset.id = s.rule;
    li.append(h('span', 'id', s.rule), precisionSpan(s));
    list.append(li);
  }
}

async function loadStats() {
  const r = await api('GET', '/stats');
  if (!r.ok) return; // an older server, or offline: the list goes without precision
  ruleStats = statsByRule(r.json);
  renderList();
  renderBuiltinStats();
}

// --- the editor ----------------------------------------------------------------------------

function fillActs(role, act) {
  const sel = $('f-act');
  sel.textContent = '';
  for (const a of ACTS[role] ?? []) sel.append(new Option(a, a, false, a === act));
}

function select(i) {
  selected = Math.max(0, Math.min(i, pack.rules.length - 1));
  const r = pack.rules[selected];
  if (!r) return;
  $('editor-title').textContent = `Rule ${r.id}`;
  $('f-id').value = r.id;
  $('f-role').value = r.role;
  fillActs(r.role, r.act);
  $('f-case').checked = Boolean(r.case_sensitive);
  $('f-description').value = r.description ?? '';
  $('f-patterns').value = (r.patterns ?? []).join('\n');
  $('f-unless').value = (r.unless ?? []).join('\n');
  $('f-match').value = (r.examples?.match ?? []).join('\n');
  $('f-no-match').value = (r.examples?.no_match ?? []).join('\n');
  renderList();
  renderChecks();
}

function readForm() {
  const r = pack.rules[selected];
  if (!r) return;
  r.id = $('f-id').value.trim();
  r.role = $('f-role').value;
  if (!(ACTS[r.role] ?? []).includes($('f-act').value)) fillActs(r.role, r.act);
  r.act = $('f-act').value;
  if ($('f-case').checked) r.case_sensitive = true;
  else delete r.case_sensitive;
  const d = $('f-description').value.trim();
  if (d) r.description = d;
  else delete r.description;
  r.patterns = lines($('f-patterns').value);
  const unless = lines($('f-unless').value);
  if (unless.length) r.unless = unless;
  else delete r.unless;
  r.examples = { match: lines($('f-match').value), no_match: lines($('f-no-match').value) };
  $('editor-title').textContent = `Rule ${r.id}`;
}

function edited() {
  readForm();
  scheduleCheck();
}

function scheduleCheck() {
  $('publish-btn').disabled = true;
  $('status').textContent = 'checking…';
  clearTimeout(timer);
  timer = setTimeout(check, DEBOUNCE_MS);
}

// Validates the draft and runs every example (and the sentence being tried) against it.
async function check() {
  const seq = ++checkSeq;
  const texts = $('try-text').value.trim() ? [{ role: $('try-role').value, text: $('try-text').value }] : [];
  const [v, t] = await Promise.all([api('POST', '/validate', { pack }), api('POST', '/test', { pack, texts })]);
  if (seq !== checkSeq) return; // a newer edit is being checked
  if (v.status === 0 || t.status === 0) {
    $('status').textContent = 'offline — retrying; your edits are kept';
    clearTimeout(timer);
    timer = setTimeout(check, 3000);
    return;
  }
  if (!v.ok || !t.ok) {
    notice(`The server refused the check: ${(v.ok ? t : v).json.message ?? ''}`);
    return;
  }
  notice('');
  lastValidate = v.json;
  lastTest = t.json;
  if (t.json.examples?.length) lastGoodTest = t.json;
  const failed = t.json.failed ?? 0;
  const problems = v.json.problems?.length ?? 0;
  $('status').textContent = problems ? `${problems} problem${problems === 1 ? '' : 's'}`
    : failed ? `${failed} failing example${failed === 1 ? '' : 's'}` : `valid · ${t.json.passed} examples pass`;
  $('publish-btn').disabled = problems > 0 || failed > 0;
  renderChecks();
  renderList();
  renderTry();
}

function renderChecks() {
  const r = pack.rules[selected];
  const probs = $('problems');
  probs.textContent = '';
  for (const p of lastValidate?.problems ?? []) {
    if (p.rule && p.rule !== r?.id) continue;
    probs.append(problemItem(p, r, (ref, position) => selectInTextarea($(ref.list === 'patterns' ? 'f-patterns' : 'f-unless'), ref.index, position)));
  }
  const ex = $('examples');
  ex.textContent = '';
  // While the draft does not compile, the examples of the last check that did stay listed.
  const source = lastTest?.examples?.length || !lastGoodTest ? lastTest : lastGoodTest;
  const stale = source !== lastTest;
  const mine = (source?.examples ?? []).filter((e) => e.rule === r?.id);
  const bad = mine.filter((e) => !e.passed).length;
  $('example-summary').textContent = mine.length ? `${mine.length - bad} pass, ${bad} fail${stale ? ' (as of the last valid draft: fix the problems above to run them again)' : ''}` : '';
  ex.classList.toggle('stale', stale);
  for (const e of mine) {
    const li = h('li', e.passed ? 'pass' : 'fail');
    li.dataset.text = e.text;
    const quoted = h('span', '', `“${e.text}”`);
    quoted.dir = 'auto';
    li.append(h('span', 'verdict', e.passed ? '✓' : '✗'), `${e.must_match ? 'matches' : 'does not match'}: `, quoted,
      e.passed ? '' : e.must_match ? ' — but it does not' : ' — but it does');
    ex.append(li);
  }
  // Examples written in the form but not run yet (a new rule, or while the draft is invalid).
  if (!mine.length && r) {
    for (const [must, list] of [[true, r.examples?.match ?? []], [false, r.examples?.no_match ?? []]]) {
      for (const text of list) {
        const li = h('li', 'unchecked', `${must ? 'should match' : 'should not match'}: “${text}” (not checked yet)`);
        li.dataset.text = text;
        ex.append(li);
      }
    }
  }
  renderDiff($('diff'), diffPacks(livePack, pack));
}

function renderTry() {
  const out = $('try-result');
  out.textContent = '';
  const row = lastTest?.texts?.[0];
  if (!row) return;
  const acts = h('div', '', 'Acts: ');
  if (!row.acts.length) acts.append(h('span', 'muted', 'none'));
  for (const a of row.acts) acts.append(h('span', 'chip', a));
  out.append(acts);
  if (row.rules?.length) out.append(h('div', 'muted', `Rules: ${row.rules.join(', ')}`));
  if (row.flags?.length) {
    const flags = h('div', '', 'Flags: ');
    for (const f of row.flags) flags.append(h('span', 'chip warn', f.kind));
    out.append(flags);
  }
}

// --- templates ---------------------------------------------------------------------------

function templatesEdited() {
  try {
    const t = JSON.parse($('f-templates').value);
    if (!Array.isArray(t)) throw new Error('templates must be a JSON array');
    pack.templates = t;
    $('templates-error').textContent = '';
    scheduleCheck();
  } catch (e) {
    $('templates-error').textContent = `Not applied: ${e.message}`;
  }
}

// --- preview, publish, history -----------------------------------------------------------

async function preview() {
  const out = $('preview');
  out.textContent = 'Re-annotating recent and sample messages…';
  const r = await api('POST', '/preview', { pack });
  out.textContent = '';
  const warnings = lowRuleWarnings(diffPacks(livePack, pack), ruleStats);
  if (warnings.length) {
    const box = h('div', 'low-warnings');
    box.setAttribute('role', 'alert');
    box.append(h('p', 'summary', `⚠ You are changing ${warnings.length === 1 ? 'a rule' : `${warnings.length} rules`} agents often disputed:`));
    const list = h('ul');
    for (const w of warnings) list.append(h('li', '', w));
    box.append(list);
    out.append(box);
  }
  if (!r.ok) {
    out.append(h('p', 'error', r.json.message ?? 'refused'));
    return;
  }
  const p = r.json;
  out.append(h('p', 'summary', `${p.changed} of ${p.messages} messages (${p.conversations} conversations) would change.`));
  const counts = h('div', 'counts');
  for (const [act, c] of Object.entries(p.acts)) {
    if (c.added) counts.append(chip(`+${c.added} ${act}`, actMeaning(act, true)));
    if (c.removed) counts.append(chip(`−${c.removed} ${act}`, actMeaning(act, false)));
  }
  for (const [kind, c] of Object.entries(p.flags)) {
    if (c.added) counts.append(chip(`+${c.added} ${kind} flag`, 'warn'));
    if (c.removed) counts.append(chip(`−${c.removed} ${kind} flag`, 'info'));
  }
  out.append(counts);
  const list = h('ol', 'changes');
  for (const c of p.changes.slice(0, 50)) {
    const li = h('li', 'change');
    const sampleText = h('span', 'text', c.text);
    sampleText.dir = 'auto';
    li.append(h('span', 'muted', `${c.source} ${c.message_id} · ${c.role}`), sampleText);
    for (const a of c.acts_added) li.append(chip(`+${a}`, actMeaning(a, true)));
    for (const a of c.acts_removed) li.append(chip(`−${a}`, actMeaning(a, false)));
    for (const f of c.flags_added) li.append(chip(`+${f} flag`, 'warn'));
    for (const f of c.flags_removed) li.append(chip(`−${f} flag`, 'info'));
    list.append(li);
  }
  out.append(list);
  if (p.changes.length > 50) out.append(h('p', 'muted', `and ${p.changed - 50} more`));
}

async function publish() {
  const message = $('publish-message').value.trim();
  const result = $('publish-result');
  if (!message) {
    result.textContent = 'Say what changed first.';
    $('publish-message').focus();
    return;
  }
  $('publish-btn').disabled = true;
  const r = await api('POST', '/publish', { pack, message, base_version: liveVersion });
  if (r.ok) {
    result.textContent = `Published version ${r.json.version} (${r.json.rules_version}); it is live now.`;
    $('publish-message').value = '';
    await load(r.json.version);
    return;
  }
  const reasons = [...(r.json.problems ?? []).map((p) => `${p.rule ?? 'pack'} ${p.field}: ${p.reason}`),
    ...(r.json.failures ?? []).map((f) => `${f.rule}: “${f.text}”`)];
  result.textContent = `Refused: ${r.json.message}${reasons.length ? ' — ' + reasons.slice(0, 5).join('; ') : ''}`;
  $('publish-btn').disabled = false;
}

function dirty() {
  return Boolean(pack && livePack && JSON.stringify(pack) !== JSON.stringify(livePack));
}

async function rollback(version) {
  const changes = diffPacks(livePack, pack).length;
  const unsaved = dirty() ? `\n\nYour draft has ${changes} unpublished change${changes === 1 ? '' : 's'}: rolling back discards ${changes === 1 ? 'it' : 'them'}.` : '';
  if (!confirm(`Make version ${version} live again?${unsaved}`)) return;
  const r = await api('POST', '/rollback', { version, base_version: liveVersion });
  $('publish-result').textContent = r.ok ? `Version ${version} is live again.` : `Refused: ${r.json.message}`;
  await load();
}

async function renderHistory() {
  const [v, a] = await Promise.all([api('GET', '/versions'), api('GET', '/audit')]);
  const list = $('history');
  list.textContent = '';
  if (!v.ok) return;
  const byVersion = new Map();
  for (const e of a.ok ? a.json.audit : []) if (e.action === 'rollback') byVersion.set(e.version, e);
  for (const ver of [...v.json.versions].reverse()) {
    const li = h('li', ver.live ? 'live' : '');
    li.dataset.version = ver.version;
    const when = new Date(ver.at).toLocaleString();
    li.append(`v${ver.version}${ver.live ? ' (live)' : ''} · ${ver.author_name || ver.author} · ${when} — ${ver.message}`);
    if (!ver.live) {
      const b = h('button', 'btn secondary', 'Roll back to this');
      b.type = 'button';
      b.addEventListener('click', () => rollback(ver.version));
      li.append(b);
    }
    list.append(li);
  }
  const changes = a.ok ? a.json.audit.length : 0;
  list.setAttribute('aria-label', `${v.json.versions.length} versions, ${changes} changes`);
}

// --- start -------------------------------------------------------------------------------

async function load(keepRuleId) {
  const r = await api('GET', '/live');
  if (r.status === 0) {
    $('status').textContent = 'offline — retrying…';
    setTimeout(() => load(keepRuleId), 3000);
    return;
  }
  if (!r.ok) {
    $('status').textContent = 'not available';
    if (r.json.error === 'expired_token') {
      $('status').textContent = 'session expired';
      notice('Your session expired. Open the page again from your admin link (or mint a new token) to sign in.');
    } else notice(r.status === 401 || r.status === 403 ? `This page needs an admin token (?token=…): ${r.json.message}` : r.json.message ?? 'cannot load the rules');
    return;
  }
  const current = pack?.rules?.[selected]?.id;
  pack = r.json.pack;
  livePack = structuredClone(r.json.pack);
  liveVersion = r.json.version;
  $('base').textContent = `Editing from live version ${liveVersion} (${r.json.rules_version}).`;
  $('f-templates').value = JSON.stringify(pack.templates ?? [], null, 1);
  const keep = pack.rules.findIndex((x) => x.id === current);
  select(keepRuleId !== undefined && keep >= 0 ? keep : Math.max(keep, 0));
  $('preview').textContent = '';
  await Promise.all([check(), renderHistory(), loadStats()]);
}

function start() {
  const claims = tokenClaims(token);
  $('who').textContent = claims ? `${claims.name || claims.sub} (${claims.role})` : '';
  if (!token) {
    notice('Open this page with ?token=… (an admin token: `tact token --role admin --sub you`).');
    $('status').textContent = 'no token';
    return;
  }
  for (const id of ['f-id', 'f-description', 'f-patterns', 'f-unless', 'f-match', 'f-no-match']) $(id).addEventListener('input', edited);
  for (const id of ['f-role', 'f-act', 'f-case']) $(id).addEventListener('change', edited);
  $('f-templates').addEventListener('input', templatesEdited);
  $('search').addEventListener('input', renderList);
  $('try-text').addEventListener('input', scheduleCheck);
  $('try-role').addEventListener('change', scheduleCheck);
  $('try-form').addEventListener('submit', (e) => {
    e.preventDefault();
    check();
  });
  $('preview-btn').addEventListener('click', preview);
  window.addEventListener('beforeunload', (e) => {
    if (!dirty()) return;
    e.preventDefault();
    e.returnValue = '';
  });
  $('phrases').addEventListener('input', () => {
    $('phrase-pattern').textContent = phrasesToPattern(lines($('phrases').value)) || '—';
  });
  $('add-phrases').addEventListener('click', () => {
    const pattern = phrasesToPattern(lines($('phrases').value));
    if (!pattern) return;
    const area = $('f-patterns');
    area.value = `${area.value.replace(/\s+$/, '')}${area.value.trim() ? '\n' : ''}${pattern}`;
    $('phrases').value = '';
    $('phrase-pattern').textContent = '—';
    edited();
  });
  $('publish-btn').addEventListener('click', publish);
  $('new-rule').addEventListener('click', () => {
    pack.rules.push({ id: `new.rule-${pack.rules.length + 1}`, act: 'apology', role: 'agent', patterns: ['\\bexample\\b'],
      examples: { match: [], no_match: [] } });
    select(pack.rules.length - 1);
    scheduleCheck();
  });
  $('delete-rule').addEventListener('click', () => {
    if (!pack.rules[selected] || !confirm(`Delete rule ${pack.rules[selected].id} from the draft?`)) return;
    pack.rules.splice(selected, 1);
    select(Math.min(selected, pack.rules.length - 1));
    scheduleCheck();
  });
  load();
}

start();
