// Defect 1 (issue 19): a reply went to the wrong customer. agent.html jumped to each newly
// assigned conversation keeping the half-typed reply: the agent types to Ana, Bob writes, the
// view switches, Enter sends Ana's details to Bob.
// Fails on de50cd2 (the reply is stored in Bob's conversation); passes since the console keeps
// the followed conversation and each conversation's reply.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serverAndBrowser } from './harness.mjs';
import { TIMEOUT, agentPage, conversationOf, customer, waitUntil } from './people.mjs';

const REPLY = 'Ana, your refund R-1111 is on its way';
const env = serverAndBrowser();

test('a reply typed to Ana goes to Ana when Bob writes meanwhile', async () => {
  const agent = await agentPage(env);
  const ana = await customer(env, 'ana', 'Ana');
  await ana.say('My refund for order #1111 never came');
  await agent.locator('.bubble.theirs', { hasText: 'order #1111' }).waitFor(TIMEOUT);
  await agent.fill('#agent-composer', REPLY);

  const bob = await customer(env, 'bob', 'Bob');
  await bob.say('Where is my parcel #2222?');
  const bobs = await conversationOf(env, 'Bob');
  // The console has heard of Bob's conversation (the frames arrived) before the agent hits Enter.
  await agent.waitForFunction((id) => document.querySelector('tact-coach').open.includes(id), bobs.id, TIMEOUT);
  await agent.waitForTimeout(500);
  await agent.press('#agent-composer', 'Enter');

  await waitUntil(async () => (await conversationOf(env, 'Ana')).messages.some((m) => m.text === REPLY)
    || (await conversationOf(env, 'Bob')).messages.some((m) => m.text === REPLY), 'the reply to be stored');
  const bobNow = await conversationOf(env, 'Bob');
  const anaNow = await conversationOf(env, 'Ana');
  assert.deepEqual(bobNow.messages.map((m) => m.text), ['Where is my parcel #2222?'], "Bob never gets Ana's reply");
  assert.ok(anaNow.messages.some((m) => m.text === REPLY), 'Ana gets it');
});

test("switching conversations keeps each one's half-typed reply", async () => {
  const agent = await agentPage(env, 'carol', 'Carol');
  const dan = await customer(env, 'dan', 'Dan');
  await dan.say('My card was charged twice for order #3333');
  await agent.locator('.bubble.theirs', { hasText: '#3333' }).waitFor(TIMEOUT);
  await agent.fill('#agent-composer', 'Dan, I see the double charge');
  const eve = await customer(env, 'eve', 'Eve');
  await eve.say('The app logs me out every minute');
  const eves = await conversationOf(env, 'Eve');
  await agent.locator(`#agent-pane button[data-conversation="${eves.id}"]`).click();
  await agent.waitForFunction((id) => document.querySelector('tact-coach').conversationId === id, eves.id, TIMEOUT);
  assert.equal(await agent.inputValue('#agent-composer'), '', "Eve's reply starts empty");
  await agent.fill('#agent-composer', 'Eve, let me check your session');
  const dans = await conversationOf(env, 'Dan');
  await agent.locator(`#agent-pane button[data-conversation="${dans.id}"]`).click();
  assert.equal(await agent.inputValue('#agent-composer'), 'Dan, I see the double charge');
  // And after a reload, the reply typed is still there.
  await agent.reload();
  await agent.locator('tact-coach .status[data-status="open"]').waitFor(TIMEOUT);
  await agent.locator(`#agent-pane button[data-conversation="${eves.id}"]`).click();
  await agent.waitForFunction((id) => document.querySelector('tact-coach').conversationId === id, eves.id, TIMEOUT);
  assert.equal(await agent.inputValue('#agent-composer'), 'Eve, let me check your session');
});
