// The agent console follows a new conversation by loading its transcript. The customer's first
// message can arrive live before that answer, which the server wrote a moment before storing it:
// the console must keep the live message, not wipe it with the older transcript.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serverAndBrowser } from './harness.mjs';

const TEXT = 'My router has been down since Monday, order #7007';
const TIMEOUT = { timeout: 10000 };
const env = serverAndBrowser();
test('a live message that arrives while the transcript loads stays on screen', async () => {
  const page = await env.browser.context.newPage();
  let release;
  const held = new Promise((resolve) => (release = resolve));
  // Each transcript is answered as the server had it before the message was stored, and only
  // once the test lets it go: the live message is on screen first.
  await page.route('**/api/conversations/*', async (route) => {
    const response = await route.fetch();
    const stored = await response.json();
    stored.messages = [];
    await held;
    await route.fulfill({ response, json: stored });
  });
  const customer = env.server.token('customer', 'kim', 'Kim');
  const agent = env.server.token('agent', 'lee', 'Lee');
  await page.goto(`${env.server.base}/?customer=${customer}&agent=${agent}`);
  await page.locator('tact-coach .status[data-status="open"]').waitFor(TIMEOUT);

  await page.fill('#customer-composer', TEXT);
  await page.press('#customer-composer', 'Enter');
  const live = page.locator('#agent-pane .bubble.theirs', { hasText: TEXT });
  await live.waitFor(TIMEOUT).catch((e) => {
    release();
    throw e;
  });

  await page.evaluate(() => {
    window.transcriptLoaded = new Promise((resolve) =>
      document.querySelector('tact-coach').addEventListener('tact-conversation', () => resolve(), { once: true }),
    );
  });
  release();
  await page.evaluate(() => window.transcriptLoaded);
  assert.equal(await live.count(), 1, 'the message is still shown, once');
});
