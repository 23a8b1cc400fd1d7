// Helpers for the defect tests: customers writing from the demo's customer chat, an agent's
// console, and the server's view of the conversations (a supervisor's API calls).
import { api, waitUntil } from './harness.mjs';

export const TIMEOUT = { timeout: 10000 };

// A customer page (the demo with a customer token only); say(text) sends and waits for the ack.
export async function customer(env, sub, name) {
  const page = await env.browser.context.newPage();
  await page.goto(`${env.server.base}/?customer=${env.server.token('customer', sub, name)}`);
  const say = async (text) => {
    await page.fill('#customer-composer', text);
    await page.press('#customer-composer', 'Enter');
    await page.locator('#customer-pane .bubble.mine:not(.pending)', { hasText: text.slice(0, 40) }).waitFor(TIMEOUT);
  };
  return { page, say };
}

export async function agentPage(env, sub = 'alice', name = 'Alice', query = '') {
  const page = await env.browser.context.newPage();
  await page.goto(`${env.server.base}/agent.html?token=${env.server.token('agent', sub, name)}${query}`);
  await page.locator('tact-coach .status[data-status="open"]').waitFor(TIMEOUT);
  return page;
}

// The server's conversations (supervisor view), with their transcripts.
export async function conversations(env) {
  const sup = env.server.token('supervisor', 'sam', 'Sam');
  const { json } = await api(env.server, sup, 'GET', '/api/conversations');
  return Promise.all(json.conversations.map(async (c) => (await api(env.server, sup, 'GET', `/api/conversations/${c.id}`)).json));
}

export async function conversationOf(env, customerName) {
  return waitUntil(async () => (await conversations(env)).find((c) => c.customer === customerName), `${customerName}'s conversation`);
}

export { waitUntil };
