// Defect 10 (issue 19): on the supervisor board 11 of 17 cards glowed "need attention", cards
// reordered every couple of seconds, an escalated customer ranked 8th, there was no filter or
// sort, and Escape did not close the transcript.
// Fails on de50cd2 (the escalated card is not first; no #sort or filters; Escape leaves the
// transcript open); passes since the board has explicit sort, filters and alert thresholds.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { keepScreenshot, screenshotDir, serverAndBrowser } from './harness.mjs';
import { TIMEOUT, agentPage, conversationOf, customer, sayAsAgent, waitUntil } from './people.mjs';

const env = serverAndBrowser();
const order = (page) => page.locator('.card').evaluateAll((cs) => cs.map((c) => c.dataset.conversation));

test('escalated first, few alerts, a stable order, filters and Escape', async () => {
  const board = await env.browser.context.newPage();
  await board.goto(`${env.server.base}/supervisor.html?token=${env.server.token('supervisor', 'sam', 'Sam')}`);
  await board.locator('#summary', { hasText: 'live' }).waitFor(TIMEOUT);
  await agentPage(env, 'alice', 'Alice');
  await agentPage(env, 'bo', 'Bo');
  const names = ['Ana', 'Ben', 'Cy', 'Di', 'Ed', 'Flo'];
  const people = {};
  for (const n of names) {
    people[n] = await customer(env, n.toLowerCase(), n);
    await people[n].say(`My order #${n.length}${n.charCodeAt(0)} never arrived and nobody answers!`);
  }
  // Their agents blame two customers (over WebSocket, as live chats are written): their health falls.
  for (const n of ['Ana', 'Cy']) {
    const c = await conversationOf(env, n);
    const ack = await sayAsAgent(env, board, c.agent, c.id, 'You should have checked the tracking number before ordering.');
    assert.equal(ack.conversation, c.id);
  }
  // Flo, who has the best health, escalates.
  await people.Flo.say('This is ridiculous. I want to speak to your manager now!');
  const flo = await conversationOf(env, 'Flo');
  await board.locator(`.card[data-conversation="${flo.id}"] [data-alert="escalation"]`).waitFor(TIMEOUT);
  await waitUntil(async () => (await board.locator('.card').count()) === 6, 'six cards');

  const first = await waitUntil(async () => {
    const o = await order(board);
    return o[0] === flo.id ? o : null;
  }, 'the escalated conversation first');
  // Only what needs a supervisor glows: the escalation and the two blamed customers (health
  // under the threshold); the three others, merely waiting a few seconds, do not.
  const ana = await conversationOf(env, 'Ana');
  const cy = await conversationOf(env, 'Cy');
  const alerting = await board.locator('.card.alerting').evaluateAll((cs) => cs.map((c) => c.dataset.conversation).sort());
  assert.deepEqual(alerting, [flo.id, ana.id, cy.id].sort(), 'the escalated and the two blamed ones, no more');
  assert.deepEqual(first.slice(1, 3).sort(), [ana.id, cy.id].sort(), 'then the worst health');

  // Stable: the health sweep runs every 500 ms in these tests; the order holds.
  for (let i = 0; i < 6; ++i) {
    await board.waitForTimeout(700);
    assert.deepEqual(await order(board), first, 'the order does not change by itself');
  }

  // Sort by waiting; filters: one agent, escalated only.
  await board.selectOption('#sort', 'waiting');
  await board.selectOption('#filter-agent', flo.agent);
  const mine = (await order(board)).length;
  assert.ok(mine >= 1 && mine < 6, `the agent filter keeps ${flo.agent}'s conversations`);
  await board.screenshot({ path: join(screenshotDir, 'dashboard-filters.png') });
  keepScreenshot('dashboard-filters.png');
  await board.setViewportSize({ width: 390, height: 844 });
  await board.screenshot({ path: join(screenshotDir, 'dashboard-filters-390.png'), fullPage: true });
  keepScreenshot('dashboard-filters-390.png');
  await board.setViewportSize({ width: 1360, height: 860 });
  await board.check('#filter-escalated');
  await waitUntil(async () => JSON.stringify(await order(board)) === JSON.stringify([flo.id]), 'only the escalated one');
  await board.uncheck('#filter-escalated');
  await board.selectOption('#filter-agent', '');

  // Escape closes the transcript.
  await board.locator(`.card[data-conversation="${flo.id}"] button`).click();
  await board.locator('#detail').waitFor({ state: 'visible', ...TIMEOUT });
  await board.keyboard.press('Escape');
  await board.locator('#detail').waitFor({ state: 'hidden', ...TIMEOUT });
});
