// Defect 8 (issue 19): conversations opened through the HTTP API showed every customer as
// "Customer" and the caller's name on both sides; a customer who reloaded saw an empty chat.
// Test 1 fails on de50cd2 (the customer's bubble reads "Alex", the agent calling the API) and
// passes now. Tests 2 and 3 need the lead's server features: (c) POST .../events takes "name",
// (b) a customer may GET their own conversation; they are skipped until the server has them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { api, serverAndBrowser } from './harness.mjs';
import { TIMEOUT, agentPage, customer } from './people.mjs';

const env = serverAndBrowser();

test("a customer's message posted by the agent's platform does not wear the agent's name", async () => {
  const agent = await agentPage(env, 'alex', 'Alex');
  const token = env.server.token('agent', 'alex', 'Alex');
  await api(env.server, token, 'POST', '/api/conversations/zd-1/events', { role: 'customer', text: 'My order #4411 never arrived' });
  const bubble = agent.locator('.bubble.theirs', { hasText: '#4411' });
  await bubble.waitFor(TIMEOUT);
  assert.doesNotMatch(await bubble.locator('.meta').innerText(), /Alex/);
  assert.doesNotMatch(await agent.locator('.inbox .conv-name').first().innerText(), /Alex/);
  await agent.close();
});

test('the "name" of an API event names the customer (needs server feature c)', async (t) => {
  const token = env.server.token('agent', 'alex', 'Alex');
  await api(env.server, token, 'POST', '/api/conversations/zd-2/events', { role: 'customer', name: 'Dana', text: 'Where is my refund?' });
  const sup = env.server.token('supervisor', 'sam', 'Sam');
  const stored = (await api(env.server, sup, 'GET', '/api/conversations/zd-2')).json;
  if (stored.customer !== 'Dana') return t.skip('the server does not take "name" yet');
  const agent = await agentPage(env, 'alex', 'Alex');
  await agent.locator('.inbox .conv-name', { hasText: 'Dana' }).waitFor(TIMEOUT);
  await agent.locator('.inbox button', { hasText: 'Dana' }).click();
  await agent.locator('.bubble.theirs .meta', { hasText: 'Dana' }).waitFor(TIMEOUT);
  await agent.close();
});

test('a customer who reloads sees the conversation again (needs server feature b)', async (t) => {
  await agentPage(env, 'bo', 'Bo');
  const kim = await customer(env, 'kim', 'Kim');
  await kim.say('My parcel #9090 is lost');
  const probe = await kim.page.evaluate(async () => {
    const id = window.tactCustomer.conversation;
    const res = await fetch(`/api/conversations/${id}`, { headers: { Authorization: `Bearer ${window.tactCustomer.socket.token}` } });
    return res.status;
  });
  if (probe !== 200) return t.skip(`the server does not give a customer their transcript yet (HTTP ${probe})`);
  await kim.page.reload();
  await kim.page.locator('#customer-pane .bubble.mine', { hasText: '#9090' }).waitFor(TIMEOUT);
});
