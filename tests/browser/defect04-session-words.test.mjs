// Defect 4 (issue 19): wrong words when the session or the server is gone. An expired token still
// showed "signed in as Alice" and "Waiting for a customer…"; a stopped server showed "not signed
// in" (agent) and "the gateway refused the token" (supervisor); the admin page stuck on "checking…".
// Fails on de50cd2 (each page says the words above); passes since the pages tell expired, refused
// and offline apart.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, startServer } from './harness.mjs';
import { CHECK_TIMEOUT, TIMEOUT } from './people.mjs';

let server;
let browser;
before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

// An HS256 token signed with the server's secret, expired a minute ago.
function expiredToken(role, sub, name) {
  const secret = process.env.TACT_SECRET || readFileSync(join(server.data, 'secret'), 'utf8').trim();
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ role, sub, name, exp: Math.floor(Date.now() / 1000) - 60 })}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

test('an expired agent token says so, and how to sign in again', async () => {
  const page = await browser.context.newPage();
  await page.goto(`${server.base}/agent.html?token=${expiredToken('agent', 'alice', 'Alice')}`);
  await page.locator('#notice', { hasText: /expired/i }).waitFor(TIMEOUT);
  assert.match(await page.locator('#notice').innerText(), /sign in/i);
  const text = await page.locator('body').innerText();
  assert.doesNotMatch(text, /signed in as/i);
  assert.doesNotMatch(text, /Waiting for a customer/i);
});

test('an expired supervisor token says so', async () => {
  const page = await browser.context.newPage();
  await page.goto(`${server.base}/supervisor.html?token=${expiredToken('supervisor', 'sam', 'Sam')}`);
  await page.locator('#notice', { hasText: /expired/i }).waitFor(TIMEOUT);
  assert.doesNotMatch(await page.locator('body').innerText(), /signed in as/i);
});

test('a stopped server reads "offline, reconnecting", not "refused"', async () => {
  const agent = await browser.context.newPage();
  await agent.goto(`${server.base}/agent.html?token=${server.token('agent', 'alice', 'Alice')}`);
  await agent.locator('tact-coach .status[data-status="open"]').waitFor(TIMEOUT);
  const sup = await browser.context.newPage();
  await sup.goto(`${server.base}/supervisor.html?token=${server.token('supervisor', 'sam', 'Sam')}`);
  await sup.locator('#summary', { hasText: 'live' }).waitFor(TIMEOUT);
  const chat = await browser.context.newPage();
  await chat.goto(`${server.base}/?customer=${server.token('customer', 'kim', 'Kim')}`);
  await chat.locator('#customer-composer').waitFor(TIMEOUT);
  await chat.waitForTimeout(300);
  const admin = await browser.context.newPage();
  await admin.goto(`${server.base}/admin.html?token=${server.token('admin', 'ada', 'Ada')}`);
  await admin.locator('#status', { hasText: 'valid' }).waitFor(CHECK_TIMEOUT);

  await server.stop({ keepData: true });
  await agent.locator('tact-coach .status', { hasText: /offline/i }).waitFor(TIMEOUT);
  await agent.locator('#notice', { hasText: /offline/i }).waitFor(TIMEOUT);
  assert.doesNotMatch(await agent.locator('body').innerText(), /not signed in/i);
  await sup.locator('#summary', { hasText: /offline/i }).waitFor(TIMEOUT);
  assert.doesNotMatch(await sup.locator('body').innerText(), /refused/i);
  await chat.locator('.chat-status', { hasText: /offline/i }).waitFor(TIMEOUT);
  // The admin edits a rule: the check cannot reach the server and says so.
  await admin.fill('#f-description', 'edited while the server is down');
  await admin.locator('#status', { hasText: /offline/i }).waitFor(TIMEOUT);
});
