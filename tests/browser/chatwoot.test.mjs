// /chatwoot.html as a Chatwoot dashboard app: an iframe in a page (another origin) that plays
// Chatwoot's side of the exchange (Frame.vue in chatwoot/chatwoot: the frame posts
// "chatwoot-dashboard-app:fetch-info", the parent answers with the JSON string
// {"event":"appContext","data":{conversation, contact, currentAgent}}). The conversation is fed
// through signed webhooks in Chatwoot's shapes (tests/data/chatwoot/).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { keepScreenshot, launchBrowser, repoRoot, screenshotDir, startServer, tactBinary } from './harness.mjs';

const SECRET = 'whsec-browser-0123456789abcdef';
const TIMEOUT = { timeout: 15000 };
const fixture = (name) => JSON.parse(readFileSync(join(repoRoot, 'tests/data/chatwoot', name), 'utf8'));

// The page Chatwoot would be: one dashboard app frame, answering fetch-info with this context.
const HOST_PAGE = (src) => `<!doctype html><html><head><title>Chatwoot (test)</title></head><body>
<iframe id="dashboard-app--frame-0" src="${src}" style="width:760px;height:700px;border:0"></iframe>
<script>
const contact = ${JSON.stringify(fixture('message_created_incoming.json').conversation.meta.sender)};
const conversation = ${JSON.stringify(fixture('message_created_incoming.json').conversation)};
const context = { conversation, contact, currentAgent: { id: 7, name: 'Alex Kim', email: 'alex@example.com' } };
window.fetchInfoRequests = 0;
window.addEventListener('message', (e) => {
  if (typeof e.data !== 'string' || e.data !== 'chatwoot-dashboard-app:fetch-info') return;
  window.fetchInfoRequests += 1;
  document.getElementById('dashboard-app--frame-0').contentWindow.postMessage(JSON.stringify({ event: 'appContext', data: context }), '*');
});
</script></body></html>`;

const env = {};
before(async () => {
  env.host = createServer((req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end(HOST_PAGE(env.frameSrc));
  });
  await new Promise((r) => env.host.listen(0, '127.0.0.1', r));
  const hostOrigin = `http://127.0.0.1:${env.host.address().port}`;
  env.server = await startServer({ extra: ['--frame-ancestors', hostOrigin] });
  const tact = (...args) => execFileSync(tactBinary(), ['integrations', ...args, '--data', env.server.data], { encoding: 'utf8' }).trim();
  tact('add', 'chatwoot', 'support', '--url', 'http://127.0.0.1:9', '--account', '5', '--webhook-secret', SECRET);
  env.agentToken = tact('token', 'support', '--agent', '7', '--name', 'Alex Kim');
  env.hostUrl = hostOrigin;
  env.browser = await launchBrowser();
});
after(async () => {
  await env.browser?.close();
  await env.server?.stop();
  env.host?.close();
});

async function webhook(payload) {
  const body = JSON.stringify(payload);
  const ts = String(Math.floor(Date.now() / 1000));
  const signature = `sha256=${createHmac('sha256', SECRET).update(`${ts}.${body}`).digest('hex')}`;
  const res = await fetch(`${env.server.base}/integrations/chatwoot/support/webhook`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Chatwoot-Timestamp': ts, 'X-Chatwoot-Signature': signature },
    body,
  });
  assert.equal(res.status, 200, await res.text());
}

function message(name, id, content) {
  const m = fixture(name);
  m.id = id;
  m.content = content;
  return m;
}

test('the dashboard app shows the open Chatwoot conversation\'s checklist, and copies a suggestion', async () => {
  await webhook(message('message_created_incoming.json', 501, "My order #4411 still hasn't arrived and nobody answers!"));
  // A personal link: the token in the fragment, kept by the page and taken out of its address.
  env.frameSrc = `${env.server.base}/chatwoot.html?integration=support#token=${env.agentToken}`;
  const page = await env.browser.context.newPage();
  await page.goto(env.hostUrl);
  const frame = page.frameLocator('#dashboard-app--frame-0');
  const apology = frame.locator('tact-coach .checklist li[data-step="apology"]');
  await apology.waitFor(TIMEOUT);
  assert.equal(await apology.getAttribute('data-status'), 'missing');
  assert.ok((await page.evaluate(() => window.fetchInfoRequests)) >= 1, 'the frame asked Chatwoot for the context');
  assert.match(await frame.locator('tact-coach .customer').textContent(), /Dana/);

  // Live: the agent's apology in Chatwoot marks the step done in the panel.
  await webhook(message('message_created_outgoing.json', 502, "I'm so sorry your order #4411 hasn't arrived, Dana."));
  await frame.locator('tact-coach .checklist li[data-step="apology"][data-status="done"]').waitFor(TIMEOUT);

  // A suggestion cannot be typed into Chatwoot's composer from the frame: it is copied.
  const suggestion = frame.locator('tact-coach button.suggestion').first();
  await suggestion.waitFor(TIMEOUT);
  await suggestion.click();
  await frame.locator('#copied', { hasText: /Cop/ }).waitFor(TIMEOUT);
  const frameUrl = page.frames().find((f) => f.url().includes('chatwoot.html')).url();
  assert.ok(!frameUrl.includes('token='), 'the token left the frame\'s address');
  await page.screenshot({ path: join(screenshotDir, 'chatwoot-dashboard-app.png') });
  keepScreenshot('chatwoot-dashboard-app.png');
  await page.close();
});

test('without a token the dashboard app asks for one, and refuses another integration\'s', async () => {
  env.frameSrc = `${env.server.base}/chatwoot.html?integration=other`;
  const page = await env.browser.context.newPage();
  await page.goto(env.hostUrl);
  const frame = page.frameLocator('#dashboard-app--frame-0');
  await frame.locator('#sign-in').waitFor(TIMEOUT);
  await frame.locator('#token-input').fill(env.agentToken);
  await frame.locator('#sign-in button[type="submit"]').click();
  await frame.locator('#notice', { hasText: 'not a Chatwoot agent' }).waitFor(TIMEOUT);
  assert.equal(await frame.locator('tact-coach').count(), 0);
  await page.close();
});
