// Defect 11 (issue 19): no automatic text direction (Arabic rendered with its punctuation at the
// wrong end); Alt+1…3 read the typed character (failing with macOS Option, which types "¡");
// conversation tabs ignored arrow keys.
// Fails on de50cd2 (the Arabic bubble is laid out left to right; Option+1 inserts nothing; no
// arrow keys); passes since every text carries dir="auto", the shortcut reads e.code, and the
// inbox moves with the arrows.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serverAndBrowser } from './harness.mjs';
import { TIMEOUT, agentPage, customer } from './people.mjs';

const env = serverAndBrowser();

// The direction of the element that holds the text node with `needle` (inside `locator`).
function directionOf(locator, needle) {
  return locator.first().evaluate((root, n) => {
    const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let t = walk.nextNode(); t; t = walk.nextNode()) if (t.textContent.includes(n)) return getComputedStyle(t.parentElement).direction;
    return 'not found';
  }, needle);
}
const ARABIC = 'طلبي رقم 4411 لم يصل بعد!';

test('Arabic reads right to left wherever it is shown', async () => {
  const agent = await agentPage(env);
  const board = await env.browser.context.newPage();
  await board.goto(`${env.server.base}/supervisor.html?token=${env.server.token('supervisor', 'sam', 'Sam')}`);
  const sami = await customer(env, 'sami', 'سامي');
  await sami.say(ARABIC);
  const bubble = agent.locator('.bubble.theirs', { hasText: '4411' });
  await bubble.waitFor(TIMEOUT);
  assert.equal(await directionOf(bubble, '4411'), 'rtl', 'agent transcript');
  const mine = sami.page.locator('#customer-pane .bubble.mine', { hasText: '4411' });
  assert.equal(await directionOf(mine, '4411'), 'rtl', 'customer transcript');
  assert.equal(await directionOf(agent.locator('#agent-pane'), 'سامي'), 'rtl', "the customer's name in the conversation list");
  await board.locator('.card button').first().click(TIMEOUT);
  const msg = board.locator('#detail-transcript .msg', { hasText: '4411' });
  await msg.waitFor(TIMEOUT);
  assert.equal(await directionOf(msg, '4411'), 'rtl', 'supervisor transcript');
  // The composer follows what is typed.
  assert.equal(await agent.getAttribute('#agent-composer', 'dir'), 'auto');
  await agent.close();
});

test('Option+1 (macOS: key "¡", code Digit1) inserts the first suggestion', async () => {
  const agent = await agentPage(env, 'bo', 'Bo');
  const dana = await customer(env, 'dana', 'Dana');
  await dana.say("My order #4411 still hasn't arrived and nobody answers!");
  const first = agent.locator('tact-coach button.suggestion').first();
  await first.waitFor(TIMEOUT);
  const expected = await first.locator('.sugg-text').innerText();
  await agent.focus('#agent-composer');
  await agent.evaluate(() => {
    const area = document.getElementById('agent-composer');
    area.dispatchEvent(new KeyboardEvent('keydown', { key: '¡', code: 'Digit1', altKey: true, bubbles: true, cancelable: true }));
  });
  assert.equal(await agent.inputValue('#agent-composer'), expected);
  await agent.close();
});

test('the arrow keys move between conversations', async () => {
  const agent = await agentPage(env, 'cy', 'Cy');
  for (const n of ['kim', 'lou']) await (await customer(env, n, n)).say(`Order #${n} is late`);
  const entries = '#agent-pane button[data-conversation]'; // inbox rows (de50cd2: tabs)
  await agent.waitForFunction((sel) => document.querySelectorAll(sel).length === 2, entries, TIMEOUT);
  await agent.locator(entries).first().focus();
  const before = await agent.evaluate(() => document.activeElement.dataset.conversation);
  await agent.keyboard.press('ArrowDown');
  const after = await agent.evaluate(() => document.activeElement.dataset.conversation);
  assert.ok(after && after !== before, 'ArrowDown moved the focus');
});
