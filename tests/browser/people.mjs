// Helpers for the defect tests: customers writing from the demo's customer chat, an agent's
// console, and the server's view of the conversations (a supervisor's API calls).
import { api, waitUntil } from './harness.mjs';

export const TIMEOUT = { timeout: 10000 };
// The rule editor's check compiles the draft pack twice and runs every example (1,288), and its
// preview compiles it and annotates every sample: well under a second in a release build, more
// than 10 s under ASan on a loaded 2-core CI machine.
export const CHECK_TIMEOUT = { timeout: 30000 };

// A customer page (the demo with a customer token only); say(text) sends and waits for the ack.
// `prepare(page)` runs before the page opens its WebSocket (e.g. to watch its frames).
export async function customer(env, sub, name, prepare = null) {
  const page = await env.browser.context.newPage();
  if (prepare) prepare(page);
  await page.goto(`${env.server.base}/?customer=${env.server.token('customer', sub, name)}`);
  // Ready once the server's hello came: a test that changes the socket's limits afterwards
  // (defect02) must not have them reset by a late hello.
  await page.waitForFunction(() => window.tactCustomer?.name !== undefined, null, TIMEOUT);
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

// Sends `text` into a live chat as its agent over a WebSocket of its own, from `page` (any page of
// the server's origin), and waits for the ack: live chats are written only over /ws.
export async function sayAsAgent(env, page, sub, conversation, text) {
  const token = env.server.token('agent', sub, sub);
  const ack = await page.evaluate(({ token, conversation, text }) => new Promise((resolve, reject) => {
    const ws = new WebSocket(`${location.origin.replace(/^http/, 'ws')}/ws?token=${token}`);
    const clientId = `say-${Math.random().toString(36).slice(2)}`;
    ws.onopen = () => ws.send(JSON.stringify({ type: 'message', conversation, text, client_id: clientId }));
    ws.onmessage = (e) => {
      const f = JSON.parse(e.data);
      if (f.type === 'ack' && f.client_id === clientId) { ws.close(); resolve(f); }
      if (f.type === 'error') { ws.close(); reject(new Error(f.message)); }
    };
    ws.onerror = () => reject(new Error('the WebSocket failed'));
  }), { token, conversation, text });
  return ack;
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
