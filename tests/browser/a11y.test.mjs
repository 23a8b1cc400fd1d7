// axe-core (npm, injected into the page) on the four pages, light and dark, each with content on
// screen: no serious or critical violation. Dark mode follows prefers-color-scheme.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { keepScreenshot, screenshotDir, seriousViolations, serverAndBrowser } from './harness.mjs';
import { CHECK_TIMEOUT, TIMEOUT, agentPage, customer } from './people.mjs';

const env = serverAndBrowser();
const pages = {};

async function check(page, what) {
  for (const scheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.waitForTimeout(100);
    const v = await seriousViolations(page);
    assert.deepEqual(v, [], `${what} (${scheme}): ${v.join('\n')}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test('the pages have content: a conversation with coaching, a board, the rules', async () => {
  pages.agent = await agentPage(env);
  const dana = await customer(env, 'dana', 'Dana');
  await dana.say("My order #4411 still hasn't arrived and nobody answers!");
  pages.customer = dana.page;
  await pages.agent.locator('tact-coach button.suggestion').first().waitFor(TIMEOUT);
  pages.demo = await env.browser.context.newPage();
  await pages.demo.goto(`${env.server.base}/?customer=${env.server.token('customer', 'eve', 'Eve')}&agent=${env.server.token('agent', 'bo', 'Bo')}`);
  await pages.demo.locator('tact-coach .status[data-status="open"]').waitFor(TIMEOUT);
  await pages.demo.fill('#customer-composer', 'The app logs me out every minute, this is ridiculous');
  await pages.demo.press('#customer-composer', 'Enter');
  await pages.demo.locator('#agent-pane .bubble.theirs').waitFor(TIMEOUT);
  await pages.demo.locator('tact-coach button.suggestion').first().waitFor(TIMEOUT);
  pages.board = await env.browser.context.newPage();
  await pages.board.goto(`${env.server.base}/supervisor.html?token=${env.server.token('supervisor', 'sam', 'Sam')}`);
  await pages.board.locator('.card button').first().click(TIMEOUT);
  await pages.board.locator('#detail-transcript .msg').first().waitFor(TIMEOUT);
  pages.admin = await env.browser.context.newPage();
  await pages.admin.goto(`${env.server.base}/admin.html?token=${env.server.token('admin', 'ada', 'Ada')}`);
  await pages.admin.locator('#status', { hasText: 'valid' }).waitFor(CHECK_TIMEOUT);
});

test('index.html (the demo): no serious or critical axe violation', () => check(pages.demo, 'demo'));
test('agent.html: no serious or critical axe violation', () => check(pages.agent, 'agent console'));
test('supervisor.html: no serious or critical axe violation', () => check(pages.board, 'supervisor board'));
test('admin.html: no serious or critical axe violation', () => check(pages.admin, 'admin editor'));

test('dark mode follows the system setting', async () => {
  await pages.agent.emulateMedia({ colorScheme: 'dark' });
  const bg = await pages.agent.evaluate(() => getComputedStyle(document.body).backgroundColor);
  const [r, g, b] = bg.match(/\d+/g).map(Number);
  assert.ok(r + g + b < 150, `a dark background: ${bg}`);
  await pages.agent.screenshot({ path: join(screenshotDir, 'agent-dark.png') });
  keepScreenshot('agent-dark.png');
  await pages.agent.emulateMedia({ colorScheme: 'light' });
});
