// Issue 22 in the browser: the agent resolves a complaint, the customer rates it with one tap,
// the agent reads their own review (what went well, what to try next, their words quoted), and a
// supervisor sees it on the insights page: tiles, charts by meaning, the agent's row, no serious
// axe violation.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { keepScreenshot, screenshotDir, seriousViolations, serverAndBrowser } from './harness.mjs';
import { TIMEOUT, agentPage, conversationOf, customer, sayAsAgent } from './people.mjs';

const env = serverAndBrowser();

test('resolved, rated, reviewed by the agent, counted on the insights page', async () => {
  const agent = await agentPage(env, 'alice', 'Alice');
  const dana = await customer(env, 'dana', 'Dana');
  await dana.say('My order #4411 never arrived and nobody answers!');
  const c = await conversationOf(env, 'Dana');
  await sayAsAgent(env, agent, c.agent, c.id, 'I see your order #4411 has not arrived; a replacement goes out today.');
  await sayAsAgent(env, agent, c.agent, c.id, 'You should have checked the tracking page though.');
  await dana.page.locator('#customer-pane .bubble.theirs', { hasText: 'tracking page' }).waitFor(TIMEOUT);

  // The agent resolves it from the console.
  await agent.locator('.inbox .conv', { hasText: 'Dana' }).click();
  agent.once('dialog', (d) => d.accept());
  await agent.locator('.resolve').click();

  // The customer is asked for a rating, taps two stars, adds a comment.
  const rating = dana.page.locator('form.rating');
  await rating.waitFor(TIMEOUT);
  await rating.locator('.star[data-score="2"]').click();
  await rating.locator('textarea').fill('Nobody said sorry.');
  await rating.locator('button[type="submit"]').click();
  await rating.locator('.rating-said', { hasText: 'you rated 2 of 5' }).waitFor(TIMEOUT);

  // The agent's review: from the list under the inbox, in a dialog.
  const item = agent.locator('.review-item', { hasText: 'Dana' });
  await item.waitFor(TIMEOUT);
  await item.click();
  const dialog = agent.locator('dialog.review');
  await dialog.waitFor(TIMEOUT);
  const well = dialog.locator('.review-notes.well');
  const next = dialog.locator('.review-notes.next');
  assert.match(await well.innerText(), /Acknowledge/);
  assert.match(await well.innerText(), /a replacement goes out today/, 'the agent\'s own words are quoted');
  assert.match(await next.innerText(), /Apologize/);
  assert.match(await next.innerText(), /Blame/);
  assert.match(await next.innerText(), /tracking page/);
  assert.match(await dialog.locator('.review-summary').innerText(), /Cause: Delivery/);
  assert.match(await dialog.locator('.review-summary').innerText(), /Rated 2 of 5: “Nobody said sorry.”/, 'the rating given after the close');
  await agent.screenshot({ path: join(screenshotDir, 'agent-review.png') });
  keepScreenshot('agent-review.png');
  assert.deepEqual(await seriousViolations(agent), [], 'the review dialog: no serious or critical axe violation');
  await agent.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden', ...TIMEOUT });

  // The supervisor's insights page: the day's numbers, by meaning.
  const sup = env.server.token('supervisor', 'sam', 'Sam');
  const board = await env.browser.context.newPage();
  await board.goto(`${env.server.base}/supervisor.html?token=${sup}`);
  await board.locator('#insights-link').click();
  await board.waitForURL(/insights\.html/);
  await board.locator('#t-conversations', { hasText: '1' }).waitFor(TIMEOUT);
  assert.match(await board.locator('#t-rating').innerText(), /2\.0 \/ 5 \(1 rating\)/);
  assert.match(await board.locator('#c-causes svg').getAttribute('aria-label'), /Delivery 1/);
  assert.match(await board.locator('#c-steps svg').getAttribute('aria-label'), /Acknowledge 100%/);
  assert.match(await board.locator('#c-flags svg').getAttribute('aria-label'), /Blame 1/);
  assert.match(await board.locator('#c-ratings svg').getAttribute('aria-label'), /★★ 1/);
  const row = board.locator('#agents tr[data-agent="alice"]');
  assert.match(await row.innerText(), /^alice\s+1\b/);
  await board.screenshot({ path: join(screenshotDir, 'insights.png'), fullPage: true });
  keepScreenshot('insights.png');
  assert.deepEqual(await seriousViolations(board), [], 'no serious or critical axe violation');
  await board.emulateMedia({ colorScheme: 'dark' });
  assert.deepEqual(await seriousViolations(board), [], 'none in dark mode either');
  await board.emulateMedia({ colorScheme: 'light' });

  // One agent's numbers; an agent's own link shows only theirs.
  await row.locator('button').click();
  await board.locator('#range-words', { hasText: 'agent alice' }).waitFor(TIMEOUT);
  const own = await env.browser.context.newPage();
  await own.goto(`${env.server.base}/insights.html?token=${env.server.token('agent', 'bo', 'Bo')}`);
  await own.locator('#range-words', { hasText: 'agent bo' }).waitFor(TIMEOUT);
  assert.equal(await own.locator('#t-conversations').innerText(), '0');
  assert.equal(await own.locator('#empty').isVisible(), true, 'nothing closed by Bo: said so');
});
