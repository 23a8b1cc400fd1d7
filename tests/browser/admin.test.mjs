// The admin rule editor (issue 7) in real Chromium against a real `tact serve`: edit a rule, see
// an example turn red, fix it, preview, publish, and see the agent panel's coaching change.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';
import { keepScreenshot, launchBrowser, screenshotDir, startServer } from './harness.mjs';
import { CHECK_TIMEOUT } from './people.mjs';

const COMPLAINT = "My order #4411 still hasn't arrived and nobody answers!";
const ZEBRA = 'Would a zebra help you?';
const EXAMPLE = 'a zebra ate it';
const TIMEOUT = { timeout: 10000 };

let server;
let browser;
let demo;
let admin;
const errors = [];

let broken = null;
function step(name, fn) {
  test(name, async (t) => {
    if (broken) return t.skip(`skipped: "${broken}" failed`);
    try {
      await fn(t);
    } catch (e) {
      broken = name;
      throw e;
    }
  });
}

const coach = () => demo.locator('tact-coach');

async function typeDraft(text) {
  await demo.fill('#agent-composer', '');
  await demo.focus('#agent-composer');
  await demo.keyboard.type(text, { delay: 10 });
}

describe('admin rule editor in chromium', { concurrency: false }, () => {
  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    demo = await browser.context.newPage();
    demo.on('pageerror', (e) => errors.push(e));
    const customer = server.token('customer', 'dana', 'Dana');
    const agent = server.token('agent', 'alex', 'Alex');
    await demo.goto(`${server.base}/?customer=${customer}&agent=${agent}&pace=150`);
    await coach().locator('.status[data-status="open"]').waitFor(TIMEOUT);
    admin = await browser.context.newPage();
    admin.on('pageerror', (e) => errors.push(e));
    await admin.goto(`${server.base}/admin.html?token=${server.token('admin', 'ada', 'Ada')}`);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  step('before: the agent panel finds nothing wrong with the zebra sentence', async () => {
    await demo.fill('#customer-composer', COMPLAINT);
    await demo.press('#customer-composer', 'Enter');
    await demo.locator('#agent-pane .bubble.theirs', { hasText: COMPLAINT }).waitFor(TIMEOUT);
    await typeDraft(ZEBRA);
    await coach().locator('.draft-box:not([hidden])').waitFor(TIMEOUT);
    await demo.waitForTimeout(800); // the draft check has answered
    // The draft gets the playbook's flags (no acknowledgement in the first reply) but no Blame yet.
    assert.equal(await coach().locator('.draft .flags', { hasText: 'Blame' }).count(), 0, 'no Blame flag yet');
    await demo.click('#agent-pane .composer button');
    await demo.locator('#agent-pane .bubble.mine:not(.pending)', { hasText: ZEBRA }).waitFor(TIMEOUT);
    await coach().locator('.last-box:not([hidden])').waitFor(TIMEOUT);
    assert.doesNotMatch(await coach().locator('.last').innerText(), /Blame/);
  });

  step('the page lists the live rules and the search finds one', async () => {
    await admin.locator('#status', { hasText: 'valid' }).waitFor(CHECK_TIMEOUT);
    assert.ok((await admin.locator('#rule-list li').count()) >= 20);
    await admin.fill('#search', 'blame');
    await admin.locator('#rule-list li[data-id="blame.customer-fault"] button').click();
    assert.match(await admin.locator('#editor-title').innerText(), /blame\.customer-fault/);
    assert.ok((await admin.locator('#examples li.pass').count()) >= 6);
  });

  step('a new example the rule does not match turns red', async () => {
    const match = admin.locator('#f-match');
    await match.fill(`${await match.inputValue()}\n${EXAMPLE}`);
    await admin.locator(`#examples li.fail[data-text="${EXAMPLE}"]`).waitFor(TIMEOUT);
    await admin.locator('#status', { hasText: '1 failing example' }).waitFor(TIMEOUT);
    assert.ok(await admin.locator('#publish-btn').isDisabled());
    await admin.locator('#rule-list li.bad[data-id="blame.customer-fault"]').waitFor(TIMEOUT);
  });

  step('a bad pattern shows its reason and position; a good one fixes the example', async () => {
    const patterns = admin.locator('#f-patterns');
    const before = await patterns.inputValue();
    await patterns.fill(`${before}\n\\bzebra(`);
    await admin.locator('#problems li', { hasText: 'missing )' }).waitFor(TIMEOUT);
    assert.match(await admin.locator('#problems').innerText(), /Pattern \d+: .*missing \)/);
    await admin.locator('#problems mark.at').waitFor(TIMEOUT);
    await patterns.fill(`${before}\n\\bzebra\\b`);
    await admin.locator(`#examples li.pass[data-text="${EXAMPLE}"]`).waitFor(TIMEOUT);
    await admin.locator('#status', { hasText: 'valid' }).waitFor(CHECK_TIMEOUT);
    assert.equal(await admin.locator('#problems li').count(), 0);
  });

  step('the try box shows the acts of any sentence', async () => {
    await admin.selectOption('#try-role', 'agent');
    await admin.fill('#try-text', ZEBRA);
    await admin.locator('#try-result .chip:not(.warn)', { hasText: 'blame' }).waitFor(TIMEOUT);
    await admin.locator('#try-result .chip.warn', { hasText: 'blame' }).waitFor(TIMEOUT);
  });

  step('the preview shows what would change', async () => {
    await admin.click('#preview-btn');
    await admin.locator('#preview .summary').waitFor(CHECK_TIMEOUT);
    const change = admin.locator('#preview .change', { hasText: ZEBRA });
    await change.waitFor(TIMEOUT);
    await change.locator('.chip[data-meaning="warn"]', { hasText: /^⚠ \+blame$/ }).waitFor(TIMEOUT);
    await admin.locator('#preview .counts .chip[data-meaning="warn"]', { hasText: /blame$/ }).first().waitFor(CHECK_TIMEOUT);
    await admin.screenshot({ path: join(screenshotDir, 'admin.png'), fullPage: true });
    keepScreenshot('admin.png');
  });

  step('publish makes it live; the history shows it', async () => {
    await admin.fill('#publish-message', 'zebras are blame now');
    await admin.click('#publish-btn');
    await admin.locator('#publish-result', { hasText: 'Published version 2' }).waitFor(TIMEOUT);
    await admin.locator('#history li.live[data-version="2"]').waitFor(TIMEOUT);
    assert.match(await admin.locator('#base').innerText(), /live version 2/);
  });

  step("after: the agent panel flags the same sentence", async () => {
    await typeDraft(ZEBRA);
    await coach().locator('.draft .flags', { hasText: 'Blame' }).waitFor(TIMEOUT);
  });

  step('rollback from the history makes version 1 live again, and the flag goes', async () => {
    admin.once('dialog', (d) => d.accept());
    await admin.locator('#history li[data-version="1"] button').click();
    await admin.locator('#history li.live[data-version="1"]').waitFor(TIMEOUT);
    await typeDraft(`${ZEBRA} `);
    await demo.waitForTimeout(800);
    assert.equal(await coach().locator('.draft .flags', { hasText: 'Blame' }).count(), 0);
  });

  test('no page threw an error', () => {
    assert.deepEqual(errors.map(String), []);
  });
});
