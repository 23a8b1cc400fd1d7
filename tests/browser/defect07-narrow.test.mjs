// Defect 7 (issue 19): at 390 px the agent chat wrapped one character per line; on the dashboard
// the transcript opened 2,700 px below the tapped card.
// Fails on de50cd2 (bubbles a few px wide; the transcript far below the viewport); passes since
// the console stacks inbox, chat and coach, and the dashboard opens the transcript over the board.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { keepScreenshot, screenshotDir, serverAndBrowser } from './harness.mjs';
import { TIMEOUT, agentPage, customer } from './people.mjs';

const env = serverAndBrowser();
const PHONE = { width: 390, height: 844 };

test('at 390 px the agent chat reads in lines, not letters', async () => {
  const agent = await agentPage(env);
  await agent.setViewportSize(PHONE);
  const dana = await customer(env, 'dana', 'Dana');
  await dana.say('My order #4411 still has not arrived and nobody answers my emails');
  const bubble = agent.locator('.bubble.theirs', { hasText: '#4411' });
  await bubble.waitFor(TIMEOUT);
  const box = await bubble.boundingBox();
  assert.ok(box.width >= 200, `bubble ${box.width} px wide`);
  const overflow = await agent.evaluate(() => document.documentElement.scrollWidth - innerWidth);
  assert.ok(overflow <= 0, `no sideways scrolling (${overflow} px)`);
});

test('at 390 px a tapped card opens its transcript in view', async () => {
  const page = await env.browser.context.newPage();
  await page.setViewportSize(PHONE);
  await page.goto(`${env.server.base}/supervisor.html?token=${env.server.token('supervisor', 'sam', 'Sam')}`);
  for (const n of ['ana', 'bob', 'cy', 'di', 'ed']) await (await customer(env, n, n.toUpperCase())).say(`My order #${n.length}00 is late`);
  await page.waitForFunction(() => document.querySelectorAll('.card').length >= 6, null, TIMEOUT);
  const last = page.locator('.card button').last();
  await last.scrollIntoViewIfNeeded();
  await last.click();
  await page.locator('#detail-transcript .msg').first().waitFor(TIMEOUT);
  const top = await page.evaluate(() => document.getElementById('detail').getBoundingClientRect().top);
  assert.ok(top >= 0 && top < 200, `the transcript starts at ${top} px, in view`);
  await page.screenshot({ path: join(screenshotDir, 'dashboard-390.png') });
  keepScreenshot('dashboard-390.png');
  await page.keyboard.press('Escape');
});
