// A message whose ack was lost with the connection is sent again by the widget's client after it
// reconnects, and the server acknowledges it again instead of storing it twice.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serverAndBrowser } from './harness.mjs';

const TEXT = 'My parcel was lost in the post, order #5120';
const env = serverAndBrowser();
test('an unacknowledged message is sent again after a reconnect and stored once', async () => {
  const page = await env.browser.context.newPage();
  await page.goto(`${env.server.base}/agent.html`);
  const customer = env.server.token('customer', 'robin', 'Robin');
  const acks = await page.evaluate(
    async ({ token, text }) => {
      const { TactSocket } = await import('/lib/client.js');
      const sock = new TactSocket(location.origin, token);
      const opened = new Promise((resolve) => sock.addEventListener('status', (e) => e.detail === 'open' && resolve()));
      sock.connect();
      await opened;
      const got = [];
      sock.addEventListener('ack', (e) => got.push(e.detail));
      sock.send({ type: 'message', text, client_id: 'resend-1' });
      sock.ws.close(); // the connection drops: an ack arriving now is never delivered to the page
      const deadline = Date.now() + 8000;
      while (!got.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      sock.close();
      return got;
    },
    { token: customer, text: TEXT },
  );
  assert.equal(acks.length, 1, 'the ack arrives after the reconnect');
  assert.equal(acks[0].client_id, 'resend-1');

  const supervisor = env.server.token('supervisor', 'sam', 'Sam');
  const get = async (path) => (await fetch(`${env.server.base}${path}`, { headers: { Authorization: `Bearer ${supervisor}` } })).json();
  const t = await get(`/api/conversations/${acks[0].conversation}`);
  assert.deepEqual(t.messages.map((m) => m.text), [TEXT], 'stored once');
  assert.equal(t.messages[0].id, acks[0].id);
});
