// The pure parts of the insights page and the agent's review, without a browser:
// web-widget/lib/charts.js (geometry), insights-view.js (rows and words), review-view.js (notes).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { barLayout, trendPoints } from '../../web-widget/lib/charts.js';
import { causeRows, dailySeries, outcomeText, ratingRows, ratingText, responseText, stepRows, weakestStep } from '../../web-widget/lib/insights-view.js';
import { reviewNotes } from '../../web-widget/lib/review-view.js';

test('bars scale to the largest value, or to the given maximum; trend points run bottom to top', () => {
  const bars = barLayout([{ label: 'a', value: 4 }, { label: 'b', value: 2 }, { label: 'c', value: 0 }], { width: 200 });
  assert.deepEqual(bars.map((b) => b.w), [200, 100, 0]);
  assert.deepEqual(bars.map((b) => b.y), [0, 22, 44]);
  assert.deepEqual(barLayout([{ label: 'x', value: 50 }], { width: 200, max: 100 }).map((b) => b.w), [100]);
  assert.equal(trendPoints([{ day: 'd1', value: 0 }, { day: 'd2', value: 3 }], { width: 100, height: 30 }), '0.0,30.0 100.0,0.0');
  assert.equal(trendPoints([]), '');
});

const block = {
  conversations: 3,
  median_first_response_ms: 125000,
  average_final_health: 71.4,
  steps: {
    solution: { done: 2, missed: 1, spoiled: 0, rate: 2 / 3 },
    apology: { done: 1, missed: 2, spoiled: 0, rate: 1 / 3 },
    acknowledge: { done: 3, missed: 0, spoiled: 0, rate: 1 },
  },
  top_causes: [{ id: 'delivery', label: 'Delivery', count: 2, per_day: { '2026-12-01': 2 } }],
  ratings: { count: 2, mean: 3.5, distribution: { 1: 0, 2: 1, 3: 0, 4: 0, 5: 1 } },
};

test('insights: steps in the playbook order as percentages, the weakest named, words for empty numbers', () => {
  assert.deepEqual(stepRows(block).map((r) => [r.id, r.value]), [['acknowledge', 100], ['apology', 33], ['solution', 67]]);
  assert.equal(weakestStep(block).id, 'apology');
  assert.equal(weakestStep({ steps: {} }), null);
  assert.equal(responseText(125000), '2:05');
  assert.equal(responseText(null), '—');
  assert.equal(ratingText(block.ratings), '3.5 / 5 (2 ratings)');
  assert.equal(ratingText({ count: 0, mean: null }), 'no ratings');
  assert.deepEqual(ratingRows(block).map((r) => r.value), [1, 0, 0, 1, 0]);
  assert.deepEqual(causeRows(block), [{ id: 'delivery', label: 'Delivery', value: 2 }]);
});

test('a cause trend has every day of the range, quiet days as 0', () => {
  const from = Date.UTC(2026, 10, 30);
  const to = Date.UTC(2026, 11, 3);
  assert.deepEqual(dailySeries({ '2026-12-01': 2 }, from, to), [
    { day: '2026-11-30', value: 0 }, { day: '2026-12-01', value: 2 }, { day: '2026-12-02', value: 0 }]);
});

test("the agent's review: done steps went well with the message quoted; missed, spoiled and flags to try next", () => {
  const review = {
    steps: [
      { step: 'acknowledge', label: 'Acknowledge the problem', status: 'done', message_id: 'c3-2', at: 1718000030000, why: '' },
      { step: 'apology', label: 'Apologize sincerely', status: 'missed', message_id: '', at: null, why: "Say sorry for the trouble itself, without 'if' or 'but'." },
      { step: 'ownership', label: 'Take ownership', status: 'spoiled', message_id: 'c3-3', at: 1718000040000, why: 'Commit to fixing it yourself.' },
    ],
    flags: [
      { kind: 'blame', message_id: 'c3-3', why: 'This puts the fault on the customer.' },
      { kind: 'deadline', message_id: 'c3-3', why: 'Apologize within your first two replies.' },
    ],
    outcome: { resolved: false, thanked: true, abandoned: false },
    root_cause: { id: 'delivery', label: 'Delivery' },
    first_response_ms: 30000,
    health: { final: 56 },
    rating: { score: 2, comment: 'Nobody said sorry.' },
  };
  const texts = { 'c3-2': 'I see your order #4411 has not arrived; a replacement goes out today.', 'c3-3': 'You should have checked the tracking page.' };
  const notes = reviewNotes(review, (id) => texts[id] ?? '');
  assert.deepEqual(notes.wentWell.map((n) => n.quote), [texts['c3-2'], '']);
  assert.match(notes.wentWell[1].text, /thanked/);
  assert.deepEqual(notes.tryNext.map((n) => n.text.split(':')[0]), ['Apologize sincerely', 'Take ownership', 'Blame']);
  assert.equal(notes.tryNext[1].quote, '', 'a spoiled step\'s why already quotes it');
  assert.equal(notes.tryNext[2].quote, texts['c3-3']);
  assert.match(notes.tryNext[0].text, /without 'if' or 'but'/);
  assert.deepEqual(notes.summary, ['Cause: Delivery', 'First reply after 0:30', 'Health at the close: 56', 'Rated 2 of 5: “Nobody said sorry.”']);
});

test('a recent conversation\'s outcome in words, from a name or a review\'s outcome', () => {
  assert.equal(outcomeText('resolved'), 'Resolved');
  assert.equal(outcomeText('something_new'), 'something_new');
  assert.equal(outcomeText({ resolved: false, thanked: true }), 'Thanked');
  assert.equal(outcomeText({}), 'Unresolved');
  assert.equal(outcomeText(null), '—');
});
