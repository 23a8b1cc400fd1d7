// A customer whose connection dropped sees, once back, the agent's messages sent meanwhile, and
// the widget asks the server only for what came after the last message it showed (?after=SEQ,
// which any node of a cluster answers from the store).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serverAndBrowser } from './harness.mjs';
import { TIMEOUT, agentPage, conversationOf, customer, sayAsAgent } from './people.mjs';

const env = serverAndBrowser();

test('back from a dropped connection, the customer sees what the agent wrote meanwhile, fetched by seq', async () => {
  const agent = await agentPage(env, 'alice', 'Alice');
  const gus = await customer(env, 'gus', 'Gus');
  await gus.say('My order #7001 arrived broken.');
  const c = await conversationOf(env, 'Gus');
  await sayAsAgent(env, agent, c.agent, c.id, 'I am sorry, Gus, let me look at order #7001.');
  const bubbles = gus.page.locator('#customer-pane .bubble.theirs');
  await bubbles.filter({ hasText: 'let me look' }).waitFor(TIMEOUT);

  await gus.page.evaluate(() => window.tactCustomer.socket.close()); // offline: nothing arrives now
  await sayAsAgent(env, agent, c.agent, c.id, 'A replacement is on its way.');
  await sayAsAgent(env, agent, c.agent, c.id, 'It should reach you on Friday.');
  assert.equal(await bubbles.filter({ hasText: 'replacement' }).count(), 0, 'not delivered while offline');

  const asked = gus.page.waitForRequest((r) => r.url().includes(`/api/conversations/${c.id}?after=`), TIMEOUT);
  await gus.page.evaluate(() => window.tactCustomer.socket.connect());
  assert.match((await asked).url(), /\?after=2$/, 'only what came after seq 2 is asked for');
  await bubbles.filter({ hasText: 'on Friday' }).waitFor(TIMEOUT);
  const texts = await bubbles.allInnerTexts();
  assert.equal(texts.filter((t) => t.includes('replacement')).length, 1, 'each missed message shown once');
  assert.equal(texts.filter((t) => t.includes('let me look')).length, 1, 'what it had is not shown again');
});
