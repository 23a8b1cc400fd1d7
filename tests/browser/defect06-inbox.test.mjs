// Defect 6 (issue 19): several conversations were hard to follow: tabs showed raw ids after a
// reload, no unread mark or waiting time on background conversations, no way to resolve one.
// Also the inbox the issue expects: the most urgent first, keyboard navigation, a title badge.
// Fails on de50cd2 (after the reload the tabs read "c1", "c2": raw ids; no unread, waiting time or
// resolve); passes since the agent console has an inbox.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { keepScreenshot, screenshotDir, serverAndBrowser } from './harness.mjs';
import { TIMEOUT, agentPage, conversationOf, customer, waitUntil } from './people.mjs';

const env = serverAndBrowser();
// A conversation's entry in the console: the inbox row (de50cd2: its tab, which also carried data-conversation).
const row = (page, id) => page.locator(`#agent-pane button[data-conversation="${id}"]`);

test('the inbox names every customer after a reload, counts unread, shows waiting and resolves', async () => {
  const agent = await agentPage(env);
  const ana = await customer(env, 'ana', 'Ana');
  await ana.say('My refund for order #1111 never came');
  const bob = await customer(env, 'bob', 'Bob');
  await bob.say('Where is my parcel #2222? This is ridiculous.');
  const cara = await customer(env, 'cara', 'Cara');
  await cara.say('Hi, can I change my delivery address?');
  const anas = await conversationOf(env, 'Ana');
  const bobs = await conversationOf(env, 'Bob');

  await agent.reload();
  await agent.locator('tact-coach .status[data-status="open"]').waitFor(TIMEOUT);
  for (const [c, name] of [[anas, 'Ana'], [bobs, 'Bob']]) {
    await row(agent, c.id).waitFor(TIMEOUT);
    await agent.waitForTimeout(500);
    const text = await row(agent, c.id).innerText();
    assert.match(text, new RegExp(name), `the customer's name after a reload, not the id: "${text}"`);
    assert.doesNotMatch(text, new RegExp(`\\b${c.id}\\b`), 'no raw id');
  }
  // Each row: the last message, and how long the customer has waited.
  await row(agent, bobs.id).locator('.conv-preview', { hasText: 'parcel #2222' }).waitFor(TIMEOUT);
  await row(agent, bobs.id).locator('.wait:not([hidden])').waitFor(TIMEOUT);

  // Open Ana's; Bob writes again: Bob's row counts one unread, and the title says so.
  await row(agent, anas.id).click();
  await agent.waitForFunction((id) => document.querySelector('tact-coach').conversationId === id, anas.id, TIMEOUT);
  await bob.say('Hello? Anyone there?');
  await row(agent, bobs.id).locator('.unread', { hasText: '1' }).waitFor(TIMEOUT);
  assert.match(await agent.title(), /^\(1\)/);
  await agent.screenshot({ path: join(screenshotDir, 'agent-inbox.png') });
  keepScreenshot('agent-inbox.png');
  await agent.setViewportSize({ width: 390, height: 844 });
  await agent.screenshot({ path: join(screenshotDir, 'agent-inbox-390.png'), fullPage: true });
  keepScreenshot('agent-inbox-390.png');
  await agent.setViewportSize({ width: 1360, height: 860 });

  // Keyboard: the arrows move between conversations, Enter opens one.
  await row(agent, anas.id).focus();
  await agent.keyboard.press('Home');
  const first = await agent.evaluate(() => document.activeElement.dataset.conversation);
  await agent.keyboard.press('ArrowDown');
  const second = await agent.evaluate(() => document.activeElement.dataset.conversation);
  assert.notEqual(first, second, 'ArrowDown moves to the next conversation');
  await agent.keyboard.press('Enter');
  await agent.waitForFunction((id) => document.querySelector('tact-coach').conversationId === id, second, TIMEOUT);
  // Opening Bob's clears his unread count.
  await row(agent, bobs.id).click();
  await row(agent, bobs.id).locator('.unread').waitFor({ state: 'detached', ...TIMEOUT });

  // Resolve Bob's, with a confirmation.
  let asked = '';
  agent.once('dialog', (d) => {
    asked = d.message();
    d.accept();
  });
  await agent.click('.resolve');
  await waitUntil(async () => (await conversationOf(env, 'Bob')).open === false, "Bob's conversation closed");
  assert.match(asked, /Bob/);
  await row(agent, bobs.id).waitFor({ state: 'detached', ...TIMEOUT });
  await bob.page.locator('.bubble.system', { hasText: 'closed' }).waitFor(TIMEOUT);
});

test('the escalated conversation comes first', async () => {
  const agent = await agentPage(env, 'dora', 'Dora');
  const kim = await customer(env, 'kim', 'Kim');
  await kim.say('Hi, my invoice has a typo');
  const lee = await customer(env, 'lee', 'Lee');
  await lee.say('My parcel #5555 never arrived and nobody answers!');
  await lee.say('This is ridiculous. I want to speak to your manager now!');
  const lees = await conversationOf(env, 'Lee');
  await agent.locator('.inbox .tag.esc').waitFor(TIMEOUT);
  const order = await agent.locator('.inbox button').evaluateAll((bs) => bs.map((b) => b.dataset.conversation));
  assert.equal(order[0], lees.id, `escalated first: ${order}`);
});
