// Defect 5 (issue 19): agent messages sent while offline vanished from the composer with no
// "sending…" trace.
// Fails on de50cd2 (no bubble for the message while the server is down); passes since the console
// shows it "sending…" at once and sends it when the server is back.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launchBrowser, startServer } from './harness.mjs';
import { TIMEOUT, agentPage, conversationOf, customer, waitUntil } from './people.mjs';

const env = {};
before(async () => {
  env.server = await startServer();
  env.browser = await launchBrowser();
});
after(async () => {
  await env.browser?.close();
  await env.server?.stop();
});

const REPLY = 'Sorry Dana, I am sending a new parcel today.';

test('a reply sent while the server is down shows "sending…" and is sent once it is back', async () => {
  const agent = await agentPage(env);
  const dana = await customer(env, 'dana', 'Dana');
  await dana.say('My order #4411 never arrived');
  await agent.locator('.bubble.theirs', { hasText: '#4411' }).waitFor(TIMEOUT);

  const { data, base } = env.server;
  await env.server.stop({ keepData: true });
  await agent.locator('tact-coach .status:not([data-status="open"])').waitFor(TIMEOUT);
  await agent.fill('#agent-composer', REPLY);
  await agent.press('#agent-composer', 'Enter');
  const bubble = agent.locator('.bubble.mine', { hasText: REPLY });
  await bubble.waitFor(TIMEOUT);
  assert.match(await bubble.innerText(), /sending…/);

  env.server = await startServer({ listen: base.replace('http://', ''), data });
  await agent.locator('.bubble.mine:not(.pending)', { hasText: REPLY }).waitFor({ timeout: 20000 });
  await waitUntil(async () => (await conversationOf(env, 'Dana')).messages.some((m) => m.text === REPLY), 'the reply stored');
  assert.equal(await agent.locator('.bubble.mine', { hasText: REPLY }).count(), 1, 'shown once');
});
