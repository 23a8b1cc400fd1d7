// The pure parts of the learning loop (issue 22), without a browser: web-widget/lib/feedback.js
// (which feedback to send), lessons.js (which lesson to show, the form's check) and
// rule-stats.js (precision in words, which changed rules agents often dispute).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SuggestionTracker, clipBytes, disputeFrame, feedbackErrorText, usageKind } from '../../web-widget/lib/feedback.js';
import { causeChoices, lessonHeading, lessonProblem, lessonsFor } from '../../web-widget/lib/lessons.js';
import { isLow, lowRuleWarnings, precisionText, statsByRule } from '../../web-widget/lib/rule-stats.js';

test('a suggestion sent unchanged (trimmed) is used, changed is edited', () => {
  assert.equal(usageKind('I am sorry.', '  I am sorry.\n'), 'used');
  assert.equal(usageKind('I am sorry.', 'I am sorry, Dana.'), 'edited');
  assert.equal(usageKind('I am sorry.', ''), 'edited');
});

test('the tracker reports the suggestion once its message is acknowledged, and only then', () => {
  const t = new SuggestionTracker();
  const pick = { conversation: 'c3', message_id: 'c3-2', template: 'apology.2', text: 'So sorry, Dana.' };
  t.inserted(pick);
  t.sent('c3', 'a1', 'So sorry, Dana. ');
  assert.equal(t.acked('zz'), null, 'another message');
  assert.deepEqual(t.acked('a1'), { type: 'feedback', conversation: 'c3', message_id: 'c3-2', kind: 'used', template: 'apology.2' });
  assert.equal(t.acked('a1'), null, 'once');
  t.sent('c3', 'a2', 'anything');
  assert.equal(t.acked('a2'), null, 'a message after it carries no suggestion');

  t.inserted(pick);
  t.sent('c3', 'a3', 'So sorry, Dana. I will fix it.');
  assert.equal(t.acked('a3').kind, 'edited');

  t.inserted(pick);
  t.forget(); // the composer was cleared
  t.sent('c3', 'a4', 'So sorry, Dana.');
  assert.equal(t.acked('a4'), null);

  t.inserted(pick);
  t.sent('c9', 'a5', 'So sorry, Dana.');
  assert.equal(t.acked('a5'), null, 'sent to another conversation');

  t.inserted({ ...pick, template: undefined });
  t.sent('c3', 'a6', 'So sorry, Dana.');
  assert.equal(t.acked('a6'), null, 'a server without template ids: nothing to report');

  t.inserted(pick);
  t.sent('c3', 'a7', 'So sorry, Dana.');
  t.refused('a7');
  assert.equal(t.acked('a7'), null, 'refused: never sent');
});

test('a dispute frame: the reason trimmed, left out when empty, clipped to 500 bytes', () => {
  assert.deepEqual(disputeFrame({ conversation: 'c3', messageId: 'c3-4', rule: 'blame.x', reason: '  ' }),
    { type: 'feedback', conversation: 'c3', message_id: 'c3-4', kind: 'dispute', rule: 'blame.x' });
  assert.equal(disputeFrame({ conversation: 'c3', messageId: 'c3-4', rule: 'r', reason: ' advice, not blame ' }).reason, 'advice, not blame');
  const long = disputeFrame({ conversation: 'c3', messageId: 'c3-4', rule: 'r', reason: 'é'.repeat(300) }).reason;
  assert.equal(long.length, 250, '2-byte characters: 250 fit in 500 bytes');
  assert.equal(clipBytes('a😀b', 4), 'a', 'never half a character');
  assert.equal(feedbackErrorText({ code: 'not_flagged' }), 'that flag is no longer on the message');
  assert.equal(feedbackErrorText({ code: 'x', message: 'said so' }), 'said so');
});

const lessons = [
  { id: 'l-1', cause: 'delivery', cause_label: 'Delivery', text: 'Old one.', author: 'Sam', at: 1000 },
  { id: 'l-2', cause: 'billing', cause_label: 'Billing', text: 'Refund first.', author: 'Sam', at: 3000 },
  { id: 'l-3', cause: 'delivery', cause_label: 'Delivery', text: 'Newest.', author: 'Kim', at: 5000 },
  { id: 'l-4', cause: 'delivery', cause_label: 'Delivery', text: 'Middle.', author: 'Sam', at: 2000 },
];

test('the lessons shown: the cause\'s newest two; none without a cause', () => {
  assert.deepEqual(lessonsFor(lessons, 'delivery').map((l) => l.id), ['l-3', 'l-4']);
  assert.deepEqual(lessonsFor(lessons, 'delivery', 5).map((l) => l.id), ['l-3', 'l-4', 'l-1']);
  assert.deepEqual(lessonsFor(lessons, 'returns'), []);
  assert.deepEqual(lessonsFor(lessons, null), []);
  assert.deepEqual(lessonsFor(undefined, 'delivery'), []);
  assert.equal(lessonHeading({ id: 'delivery', label: 'Delivery' }), 'Lesson from your team · Delivery');
  assert.equal(lessonHeading({ id: 'delivery', label: 'Delivery' }, 2), 'Lessons from your team · Delivery');
});

test('cause choices: each cause once, from reviews and lessons, by label', () => {
  assert.deepEqual(causeChoices([{ id: 'delivery', label: 'Delivery' }, null], lessons, [{ id: 'other', label: 'Other' }]),
    [{ id: 'billing', label: 'Billing' }, { id: 'delivery', label: 'Delivery' }, { id: 'other', label: 'Other' }]);
  assert.deepEqual(causeChoices([], undefined), []);
});

test('a lesson\'s text: not empty, at most 1000 bytes', () => {
  assert.equal(lessonProblem('Offer the replacement first.'), '');
  assert.equal(lessonProblem('   '), 'Write the lesson first.');
  assert.equal(lessonProblem('x'.repeat(1000)), '');
  assert.equal(lessonProblem('é'.repeat(501)), 'Too long: 1,002 bytes, at most 1,000. Shorten it.');
});

test('precision in words, and the changed rules agents often dispute', () => {
  const stats = { rules: [
    { rule: 'blame.should-have', kind: 'blame', shown: 12, disputed: 3, precision: 0.75, low: true },
    { rule: 'blame.advice', kind: 'blame', shown: 1, disputed: 1, precision: 0, low: false },
    { rule: 'excuse.busy', kind: 'excuse', shown: 0, disputed: 0, precision: null, low: false },
    { rule: 'tone.all_caps', kind: 'all_caps', shown: 6, disputed: 2 },
  ] };
  const by = statsByRule(stats);
  assert.equal(precisionText(by.get('blame.should-have')), '75% · 3 of 12 disputed');
  assert.equal(precisionText(by.get('blame.advice')), '0% · 1 of 1 disputed');
  assert.equal(precisionText(by.get('excuse.busy')), '—');
  assert.equal(precisionText(undefined), '—');
  assert.equal(precisionText(by.get('tone.all_caps')), '67% · 2 of 6 disputed', 'precision computed when absent');
  assert.equal(isLow(by.get('tone.all_caps')), true);
  assert.equal(isLow(by.get('blame.advice')), false, 'too few flags to say');
  const diff = [
    { id: 'blame.should-have', kind: 'changed', fields: [] },
    { id: 'blame.advice', kind: 'changed', fields: [] },
    { id: 'new.rule', kind: 'added', fields: [] },
    { id: 'tone.all_caps', kind: 'removed', fields: [] },
  ];
  assert.deepEqual(lowRuleWarnings(diff, by), [
    'blame.should-have: 3 of 12 flags were disputed (75% precision) — check its examples',
    'tone.all_caps: 2 of 6 flags were disputed (67% precision) — check its examples',
  ]);
  assert.deepEqual(lowRuleWarnings([], by), []);
});

test('the rules a draft changes: a copy of the live pack changes none, even with object patterns', async () => {
  const { diffPacks } = await import('../../web-widget/lib/pack-diff.js');
  const live = { rules: [
    { id: 'frustration.words', act: 'frustration', role: 'customer', patterns: ['\\bawful\\b', { pattern: '[!?]{3,}', unless: ['thanks'] }] },
    { id: 'blame.should-have', act: 'blame', role: 'agent', patterns: ['\\byou should have\\b'] },
  ] };
  const draft = structuredClone(live);
  assert.deepEqual(diffPacks(live, draft), []);
  draft.rules[1].description = 'reworded';
  draft.rules[0].patterns[1] = { pattern: '[!?]{4,}', unless: ['thanks'] };
  const diff = diffPacks(live, draft);
  assert.deepEqual(diff.map((d) => d.id), ['frustration.words', 'blame.should-have']);
  assert.deepEqual(diff[0].fields[0], { field: 'patterns', added: ['{"pattern":"[!?]{4,}","unless":["thanks"]}'], removed: ['{"pattern":"[!?]{3,}","unless":["thanks"]}'] });
  const by = statsByRule({ rules: [{ rule: 'blame.should-have', shown: 12, disputed: 3, precision: 0.75, low: true }] });
  assert.deepEqual(lowRuleWarnings(diff, by), ['blame.should-have: 3 of 12 flags were disputed (75% precision) — check its examples']);
});
