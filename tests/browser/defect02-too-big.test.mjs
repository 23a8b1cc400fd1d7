// Defect 2 (issue 19): a message over 16 KiB broke the page. The server closes with 1009; the
// client reconnected and sent it again forever (about 2 a second), later messages stayed
// "sending…", and no error was shown.
// Fails on de50cd2 (the big frame is sent again and again; no error; the text is gone); passes
// since the composer counts bytes against the server's limit (hello's max_message, else 16384)
// and the client drops a frame the server refused as too big (close 1009, or two connections
// dropped right after sending it).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startServer, serverAndBrowser } from './harness.mjs';
import { TIMEOUT, agentPage, customer } from './people.mjs';

const env = serverAndBrowser();
const BIG = `Here is the whole log: ${'x'.repeat(17000)}`;

// Counts the frames of more than 16 KiB the page sends.
function countBigFrames(page) {
  const seen = { big: 0 };
  page.on('websocket', (ws) => ws.on('framesent', (f) => {
    if (String(f.payload).length > 16384) seen.big += 1;
  }));
  return seen;
}

test('the composer refuses a reply over the limit, says so, and keeps the text', async () => {
  const agent = await agentPage(env);
  const seen = countBigFrames(agent);
  const dana = await customer(env, 'dana', 'Dana');
  await dana.say('My order #4411 never arrived');
  await agent.locator('.bubble.theirs', { hasText: '#4411' }).waitFor(TIMEOUT);
  await agent.fill('#agent-composer', BIG);
  await agent.press('#agent-composer', 'Enter');
  await agent.locator('.limit.over', { hasText: /too long/i }).waitFor(TIMEOUT);
  assert.equal(await agent.inputValue('#agent-composer'), BIG, 'the text stays in the composer');
  await agent.waitForTimeout(1500);
  assert.equal(seen.big, 0, 'nothing that big was sent');
  assert.equal(await agent.locator('.bubble.system', { hasText: /not sent/i }).count(), 0, 'no error notes while typing');
  // Shortened, it goes.
  await agent.fill('#agent-composer', 'Sorry, Dana: I am on it.');
  await agent.press('#agent-composer', 'Enter');
  await agent.locator('.bubble.mine:not(.pending)', { hasText: 'I am on it' }).waitFor(TIMEOUT);
});

test('a frame the server refuses as too big is reported and never sent again', async () => {
  // Watched from before the page connects: the frame may go on the first connection only.
  let seen = null;
  const { page } = await customer(env, 'erin', 'Erin', (p) => {
    seen = countBigFrames(p);
  });
  // The client believes in a larger limit than the server's (an older server, or a smaller
  // --max-message): the server closes with 1009.
  await page.evaluate(() => {
    window.tactCustomer.socket.maxMessage = 1 << 20;
  });
  await page.fill('#customer-composer', BIG);
  await page.press('#customer-composer', 'Enter');
  await page.locator('#customer-pane .bubble.failed').waitFor(TIMEOUT);
  assert.match(await page.locator('#customer-pane .bubble.failed').innerText(), /too big/);
  await page.waitForTimeout(3000);
  // Chromium sees the server's 1009, or (when the server resets the connection first) 1006:
  // then the frame goes a second time, never a third.
  assert.ok(seen.big >= 1 && seen.big <= 2, `sent ${seen.big} times: at most twice, not in a loop`);
  // Later messages go through.
  await page.fill('#customer-composer', 'Sorry, the short version: my parcel is late.');
  await page.press('#customer-composer', 'Enter');
  await page.locator('#customer-pane .bubble.mine:not(.pending)', { hasText: 'short version' }).waitFor(TIMEOUT);
});

test("the composer takes the server's limit from hello's max_message", async () => {
  const page = await env.browser.context.newPage();
  // The server's hello, with a 2 KiB limit added on the way.
  await page.routeWebSocket(/\/ws/, (ws) => {
    const server = ws.connectToServer();
    server.onMessage((m) => {
      const f = JSON.parse(String(m));
      if (f.type === 'hello') f.max_message = 2048;
      ws.send(JSON.stringify(f));
    });
  });
  const seen = countBigFrames(page);
  await page.goto(`${env.server.base}/agent.html?token=${env.server.token('agent', 'cleo', 'Cleo')}`);
  await page.locator('tact-coach .status[data-status="open"]').waitFor(TIMEOUT);
  const gus = await customer(env, 'gus', 'Gus');
  await gus.say('My order #7777 never arrived');
  await page.locator('.bubble.theirs', { hasText: '#7777' }).waitFor(TIMEOUT);
  await page.fill('#agent-composer', 'y'.repeat(3000));
  await page.locator('.limit.over', { hasText: /too long/i }).waitFor(TIMEOUT);
  assert.ok(await page.locator('#agent-pane .composer button').isDisabled(), 'Send is off');
  await page.fill('#agent-composer', 'y'.repeat(1900));
  await page.locator('.limit:not(.over)', { hasText: /bytes left/ }).waitFor(TIMEOUT);
  assert.equal(seen.big, 0);
  await page.close();
});

test("a real server's max_message (needs server feature a) sets the limit", async (t) => {
  const small = await startServer({ extra: ['--max-message', '4096'] });
  try {
    const page = await env.browser.context.newPage();
    const hello = new Promise((resolve) => page.on('websocket', (ws) => ws.on('framereceived', (f) => {
      const m = JSON.parse(String(f.payload));
      if (m.type === 'hello') resolve(m);
    })));
    await page.goto(`${small.base}/agent.html?token=${small.token('agent', 'dee', 'Dee')}`);
    const h = await hello;
    if (h.max_message === undefined) return t.skip('the server does not send max_message yet');
    assert.equal(h.max_message, 4096);
    assert.equal(await page.evaluate(() => document.querySelector('tact-coach').socket.maxMessage), 4096);
    await page.close();
  } finally {
    await small.stop();
  }
});
