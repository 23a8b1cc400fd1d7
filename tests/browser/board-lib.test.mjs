// The pure helpers behind the supervisor board and the rule editor, without a browser:
// web-widget/lib/board.js (order, filters, alerts), phrases.js (plain phrases -> pattern),
// pack-diff.js (draft against live).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULTS, alertsOf, passes, deltaText, plainReason, sortCards } from '../../web-widget/lib/board.js';
import { escapeRe2, phrasesToPattern } from '../../web-widget/lib/phrases.js';
import { diffPacks } from '../../web-widget/lib/pack-diff.js';

const conv = (id, seen, over = {}) => ({ id, seen, score: 90, escalated: false, waitingSince: null, agent: 'alice', ...over });

test('most urgent: escalated first, then the worst health, ties in the order first seen', () => {
  const list = [conv('a', 0, { score: 50 }), conv('b', 1, { score: 90, escalated: true }), conv('c', 2, { score: 50 }), conv('d', 3, { score: 20 })];
  assert.deepEqual(sortCards(list, 'urgent').map((c) => c.id), ['b', 'd', 'a', 'c']);
  assert.deepEqual(sortCards(list, 'health').map((c) => c.id), ['d', 'a', 'c', 'b']);
});

test('waiting: the longest waiting first, the answered last; the clock never reorders', () => {
  const list = [conv('a', 0), conv('b', 1, { waitingSince: 2000 }), conv('c', 2, { waitingSince: 1000 })];
  assert.deepEqual(sortCards(list, 'waiting').map((c) => c.id), ['c', 'b', 'a']);
  assert.deepEqual(sortCards(list.reverse(), 'waiting').map((c) => c.id), ['c', 'b', 'a']);
});

test('filters: agent, escalated only, waiting over N seconds', () => {
  const f = { ...DEFAULTS, agent: 'bo', escalatedOnly: true, waitingOverS: 60 };
  assert.equal(passes(conv('a', 0, { agent: 'bo', escalated: true }), f, 61000), true);
  assert.equal(passes(conv('a', 0, { agent: 'alice', escalated: true }), f, 61000), false);
  assert.equal(passes(conv('a', 0, { agent: 'bo' }), f, 61000), false);
  assert.equal(passes(conv('a', 0, { agent: 'bo', escalated: true }), f, 59000), false);
});

test('alerts only past the thresholds', () => {
  const t = { alertScore: 40, alertWaitS: 120 };
  assert.deepEqual(alertsOf(conv('a', 0, { score: 45 }), 119000, t), []);
  assert.deepEqual(alertsOf(conv('a', 0, { score: 39, escalated: true }), 120000, t).map((a) => a.kind), ['escalation', 'health', 'wait']);
});

test('plain phrases become one escaped, word-bounded pattern', () => {
  assert.equal(phrasesToPattern(["I'm sorry", '  my   apologies ', '']), "\\b(?:I'm\\s+sorry|my\\s+apologies)\\b");
  assert.equal(phrasesToPattern(['$5 off (today)']), '(?:\\$5\\s+off\\s+\\(today\\))');
  assert.equal(escapeRe2('a.b*c+d?e|f[g]{h}^$\\'), 'a\\.b\\*c\\+d\\?e\\|f\\[g\\]\\{h\\}\\^\\$\\\\');
  assert.equal(phrasesToPattern([]), '');
  // The pattern finds the phrases as words, and nothing inside other words.
  const re = new RegExp(phrasesToPattern(['my bad', 'oops']), 'i');
  assert.ok(re.test('Oh, my  bad!'));
  assert.ok(!re.test('whoopsie'));
});

test('the diff names added, removed and changed rules with their lines', () => {
  const live = { version: 1, rules: [{ id: 'a', act: 'apology', role: 'agent', patterns: ['x'], examples: { match: ['m'], no_match: [] } },
    { id: 'gone', act: 'blame', role: 'agent', patterns: ['y'] }], templates: [] };
  const draft = { version: 1, rules: [{ id: 'a', act: 'apology', role: 'agent', patterns: ['x', 'z'], examples: { match: [], no_match: [] } },
    { id: 'new', act: 'excuse', role: 'agent', patterns: ['q'] }], templates: [{ step: 'apology' }] };
  const d = diffPacks(live, draft);
  assert.deepEqual(d.map((x) => [x.id, x.kind]), [['a', 'changed'], ['new', 'added'], ['gone', 'removed'], ['(templates)', 'changed']]);
  assert.deepEqual(d[0].fields, [{ field: 'patterns', added: ['z'], removed: [] }, { field: 'examples: must match', added: [], removed: ['m'] }]);
  assert.deepEqual(diffPacks(live, structuredClone(live)), []);
});

test('a reason shows points taken off and points given back', () => {
  assert.equal(deltaText(-8), '−8');
  assert.equal(deltaText(10), '+10');
  assert.equal(deltaText(undefined), '−0');
});

test('reasons name messages by their number, not their id', () => {
  assert.equal(plainReason('blame in message zendesk-881-12'), 'blame in message 12');
  assert.equal(plainReason('no apology after complaint at 22:59'), 'no apology after complaint at 22:59');
});
