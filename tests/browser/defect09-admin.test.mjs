// Defect 9 (issue 19), the admin rule editor: pattern errors counted from 0 and highlighted
// nothing, the examples list went blank on an error, rolling back silently discarded unsaved
// edits, leaving the page gave no warning, the preview showed "+11 blame" as a green "added"
// chip, and sample text showed a literal "&amp;". Also the expected diff of the draft against
// the live pack and the plain-phrase helper.
// Fails on de50cd2 (problems say "patterns[4]" with no mark; no examples while invalid; the
// rollback question says nothing of the draft; no beforeunload; "+blame" is .chip.added; "&amp;"
// in the sample; no #diff, no phrase helper); passes now.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { join } from 'node:path';
import { api, keepScreenshot, screenshotDir, serverAndBrowser } from './harness.mjs';
import { CHECK_TIMEOUT, TIMEOUT } from './people.mjs';

const env = serverAndBrowser();
const RULE = 'blame.customer-fault';

async function openAdmin() {
  const page = await env.browser.context.newPage();
  await page.goto(`${env.server.base}/admin.html?token=${env.server.token('admin', 'ada', 'Ada')}`);
  await page.locator('#status', { hasText: 'valid' }).waitFor(CHECK_TIMEOUT);
  await page.locator(`#rule-list li[data-id="${RULE}"] button`).click();
  await page.locator('#examples li.pass').first().waitFor(TIMEOUT);
  return page;
}

test('a bad pattern is numbered from 1 with its position marked; the examples stay', async () => {
  const admin = await openAdmin();
  const patterns = admin.locator('#f-patterns');
  const before = await patterns.inputValue();
  const n = before.split('\n').filter((l) => l.trim()).length;
  await patterns.fill(`${before}\n\\bzebra(`);
  await admin.locator('#problems li', { hasText: 'missing )' }).waitFor(TIMEOUT);
  const text = await admin.locator('#problems').innerText();
  assert.match(text, new RegExp(`Pattern ${n + 1}\\b`), `1-based: ${text}`);
  const mark = admin.locator('#problems mark.at');
  await mark.waitFor(TIMEOUT);
  assert.ok((await admin.locator('#examples li').count()) >= 6, 'the examples stay listed');
  await admin.click('#problems .show-pattern');
  const where = await admin.evaluate(() => {
    const a = document.getElementById('f-patterns');
    return { start: a.selectionStart, end: a.selectionEnd, lastLine: a.value.lastIndexOf('\n') + 1 };
  });
  assert.ok(where.start >= where.lastLine && where.end > where.start, `the editor selects the spot in pattern ${n + 1}: ${JSON.stringify(where)}`);
  await patterns.fill(before);
  await admin.locator('#status', { hasText: 'valid' }).waitFor(CHECK_TIMEOUT);
  await admin.close();
});

test('the diff, the phrase helper, and preview chips by meaning with clean sample text', async () => {
  const agent = env.server.token('agent', 'alex', 'Alex');
  await api(env.server, agent, 'POST', '/api/conversations/zoo-1/events', { role: 'customer', text: 'My order #77 is late' });
  await api(env.server, agent, 'POST', '/api/conversations/zoo-1/events', { role: 'agent', text: 'Would a zebra help you?' });
  const admin = await openAdmin();
  await admin.click('.phrase-helper summary');
  await admin.fill('#phrases', 'zebra\nbilling issue');
  assert.equal(await admin.locator('#phrase-pattern').innerText(), '\\b(?:zebra|billing\\s+issue)\\b');
  await admin.click('#add-phrases');
  assert.match(await admin.inputValue('#f-patterns'), /\\b\(\?:zebra\|billing\\s\+issue\)\\b$/);
  await admin.locator('#diff .diff-changed', { hasText: RULE }).locator('li.ins', { hasText: 'zebra' }).waitFor(TIMEOUT);
  await admin.locator('#status', { hasText: 'valid' }).waitFor(CHECK_TIMEOUT); // RE2 compiled the helper's pattern

  await admin.click('#preview-btn');
  await admin.locator('#preview .summary').waitFor(CHECK_TIMEOUT);
  const blame = admin.locator('#preview .counts .chip', { hasText: 'blame' }).first();
  await blame.waitFor(TIMEOUT);
  assert.equal(await blame.getAttribute('data-meaning'), 'warn', 'more blame is a warning, not good news');
  const sample = admin.locator('#preview .change .text', { hasText: 'billing issue' });
  await sample.first().waitFor(TIMEOUT);
  const shown = await sample.first().innerText();
  assert.doesNotMatch(shown, /&amp;/);
  assert.match(shown, / & /);
  await admin.locator('#diff').scrollIntoViewIfNeeded();
  await admin.screenshot({ path: join(screenshotDir, 'admin-diff.png') });
  keepScreenshot('admin-diff.png');
  await admin.setViewportSize({ width: 390, height: 844 });
  await admin.locator('#diff').scrollIntoViewIfNeeded();
  await admin.screenshot({ path: join(screenshotDir, 'admin-diff-390.png') });
  keepScreenshot('admin-diff-390.png');
  await admin.close({ runBeforeUnload: false });
});

test('unsaved edits: rollback and leaving warn first', async () => {
  const admin = await openAdmin();
  // A version 2 to roll back from.
  await admin.fill('#f-description', 'blames the customer (v2)');
  await admin.locator('#status', { hasText: 'valid' }).waitFor(CHECK_TIMEOUT);
  await admin.fill('#publish-message', 'describe the blame rule');
  await admin.click('#publish-btn');
  await admin.locator('#history li.live[data-version="2"]').waitFor(TIMEOUT);
  // An unsaved edit, then a rollback: the question says what would be lost; "no" keeps it.
  await admin.click('#f-description');
  await admin.keyboard.type(' and more');
  await admin.locator('#status', { hasText: 'valid' }).waitFor(CHECK_TIMEOUT);
  let asked = '';
  admin.once('dialog', (d) => {
    asked = d.message();
    d.dismiss();
  });
  await admin.locator('#history li[data-version="1"] button').click();
  await admin.waitForTimeout(300);
  assert.match(asked, /unpublished|unsaved|discard/i);
  assert.match(await admin.inputValue('#f-description'), /and more$/);
  // Leaving asks too.
  const kind = new Promise((resolve) => admin.once('dialog', (d) => {
    resolve(d.type());
    d.accept();
  }));
  await admin.close({ runBeforeUnload: true });
  assert.equal(await Promise.race([kind, new Promise((r) => setTimeout(() => r('none'), 3000))]), 'beforeunload');
});
