// The agent panel, the demo and the supervisor dashboard in real Chromium against a real
// `tact serve`: one conversation, step by step, as the issue describes it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';
import { contrast, keepScreenshot, launchBrowser, screenshotDir, startServer } from './harness.mjs';

const COMPLAINT = "My order #4411 still hasn't arrived and nobody answers!";
const BLAME = 'You should have checked the tracking number before ordering.';
const UTF8_BLAME = 'Désolé 😀 — you should have checked the tracking number.';
const WHISPER = 'Offer the express replacement now.';
const ESCALATION = 'This is ridiculous. I want to speak to your manager now!';
const TIMEOUT = { timeout: 10000 };

let server;
let browser;
let demo;   // the demo page: customer chat + agent console
let dash;   // the supervisor dashboard
let tokens;
let conversation;
const other = {}; // a second agent and customer

const coach = () => demo.locator('tact-coach');
const agentBubbles = () => demo.locator('#agent-pane .transcript .bubble.mine');

// The steps share one conversation: after a failed step the later ones are skipped, not
// timed out one by one.
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

async function waitUntil(fn, what, ms = 10000) {
  const end = Date.now() + ms;
  let last;
  while (Date.now() < end) {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
}

async function cardScore(page, id) {
  const v = await page.locator(`.card[data-conversation="${id}"]`).getAttribute('data-score', TIMEOUT);
  return v === '' || v === null ? null : Number(v);
}

async function sendAsAgent(text) {
  const before = await agentBubbles().count();
  await demo.fill('#agent-composer', text);
  await demo.click('#agent-pane .composer button');
  await waitUntil(async () => (await agentBubbles().count()) > before && !(await agentBubbles().last().getAttribute('class')).includes('pending'), `agent message "${text}"`);
}

describe('tact web widget in chromium', { concurrency: false }, () => {
  before(async () => {
    server = await startServer();
    tokens = {
      customer: server.token('customer', 'dana', 'Dana'),
      agent: server.token('agent', 'alex', 'Alex'),
      supervisor: server.token('supervisor', 'sam', 'Sam'),
    };
    browser = await launchBrowser();
    const errors = [];
    dash = await browser.context.newPage();
    dash.on('pageerror', (e) => errors.push(e));
    await dash.goto(`${server.base}/supervisor.html?token=${tokens.supervisor}`);
    await dash.locator('#summary', { hasText: 'live' }).waitFor(TIMEOUT);
    demo = await browser.context.newPage();
    demo.on('pageerror', (e) => errors.push(e));
    demo.on('console', (m) => m.type() === 'error' && console.error('[demo]', m.text()));
    await demo.goto(`${server.base}/?customer=${tokens.customer}&agent=${tokens.agent}&supervisor=${tokens.supervisor}&pace=150`);
    await coach().locator('.status[data-status="open"]').waitFor(TIMEOUT);
    browser.errors = errors;
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    console.log(`screenshots in ${screenshotDir}`);
  });

  step('the customer sends a complaint; the agent sees it', async () => {
    await demo.fill('#customer-composer', COMPLAINT);
    await demo.press('#customer-composer', 'Enter');
    await demo.locator('#customer-pane .bubble.mine:not(.pending)', { hasText: COMPLAINT }).waitFor(TIMEOUT);
    await demo.locator('#agent-pane .bubble.theirs', { hasText: COMPLAINT }).waitFor(TIMEOUT);
    conversation = await demo.evaluate(() => document.querySelector('tact-coach').conversationId);
    assert.ok(conversation, 'the panel follows the new conversation');
  });

  step('the agent panel shows apology missing, suggestions and the waiting timer', async () => {
    const apology = coach().locator('.checklist li[data-step="apology"]');
    await apology.waitFor(TIMEOUT);
    assert.equal(await apology.getAttribute('data-status'), 'missing');
    assert.match(await apology.innerText(), /missing/);
    const n = await coach().locator('button.suggestion').count();
    assert.ok(n >= 1 && n <= 3, `1..3 suggestions, got ${n}`);
    await coach().locator('.timer:not([hidden])').waitFor(TIMEOUT);
    assert.match(await coach().locator('.customer').innerText(), /Dana/);
  });

  step('the panel works docked at 320 px, with AA contrast', async () => {
    const box = await coach().boundingBox();
    assert.equal(Math.round(box.width), 320);
    const overflow = await demo.evaluate(() => {
      const panel = document.querySelector('tact-coach').shadowRoot.querySelector('.panel');
      return panel.scrollWidth - panel.clientWidth;
    });
    assert.ok(overflow <= 0, `no horizontal scrolling at 320 px (overflow ${overflow})`);
    const pairs = await demo.evaluate(() => {
      const root = document.querySelector('tact-coach').shadowRoot;
      const out = [];
      const bg = (el) => {
        for (let e = el; e; e = e.parentElement || e.getRootNode().host) {
          const c = getComputedStyle(e).backgroundColor;
          if (c && !/rgba\(.*, 0\)$/.test(c) && c !== 'transparent') return c;
        }
        return 'rgb(255, 255, 255)';
      };
      for (const el of root.querySelectorAll('*')) {
        if (el.closest('[hidden]') || !el.getClientRects().length) continue;
        const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
        if (!own) continue;
        const s = getComputedStyle(el);
        out.push({ text: el.textContent.trim().slice(0, 30), fg: s.color, bg: bg(el), size: parseFloat(s.fontSize), bold: Number(s.fontWeight) >= 700 });
      }
      return out;
    });
    assert.ok(pairs.length > 5);
    for (const p of pairs) {
      const need = p.size >= 24 || (p.bold && p.size >= 18.66) ? 3 : 4.5;
      assert.ok(contrast(p.fg, p.bg) >= need, `contrast of "${p.text}" ${p.fg} on ${p.bg}: ${contrast(p.fg, p.bg).toFixed(2)}`);
    }
    await coach().screenshot({ path: join(screenshotDir, 'agent-panel.png') });
    keepScreenshot('agent-panel.png');
  });

  step('suggestions are reachable and insertable with the keyboard', async () => {
    await demo.evaluate(() => {
      window.__inserts = [];
      document.addEventListener('tact-insert', (e) => window.__inserts.push(e.detail));
    });
    await demo.focus('#agent-composer');
    const expected = await coach().locator('button.suggestion').first().locator('.sugg-text').innerText();
    let found = false;
    for (let i = 0; i < 40 && !found; ++i) {
      await demo.keyboard.press('Tab');
      found = await demo.evaluate(() => {
        const host = document.activeElement;
        return host?.tagName === 'TACT-COACH' && host.shadowRoot.activeElement?.classList.contains('suggestion');
      });
    }
    assert.ok(found, 'Tab reaches a suggestion');
    await demo.keyboard.press('Enter');
    assert.equal(await demo.inputValue('#agent-composer'), expected);
    const inserts = await demo.evaluate(() => window.__inserts);
    assert.equal(inserts.at(-1).text, expected);
    // Alt+1 from the composer does the same.
    await demo.fill('#agent-composer', '');
    await demo.focus('#agent-composer');
    await demo.keyboard.press('Alt+1');
    assert.equal(await demo.inputValue('#agent-composer'), expected);
    await demo.fill('#agent-composer', '');
  });

  step('the agent clicks a suggestion, sends it, and the checklist updates', async () => {
    const first = coach().locator('button.suggestion').first();
    const step = await first.getAttribute('data-step');
    const text = await first.locator('.sugg-text').innerText();
    await first.click();
    assert.equal(await demo.inputValue('#agent-composer'), text);
    await demo.click('#agent-pane .composer button');
    await demo.locator('#agent-pane .bubble.mine', { hasText: text }).waitFor(TIMEOUT);
    await demo.locator('#customer-pane .bubble.theirs', { hasText: text }).waitFor(TIMEOUT);
    assert.equal(await demo.inputValue('#agent-composer'), '');
    await coach().locator(`.checklist li[data-step="${step}"][data-status="done"]`).waitFor(TIMEOUT);
    await coach().locator('.last .quote', { hasText: text }).waitFor(TIMEOUT);
  });

  step('typing "calm down" in the composer is flagged before sending', async () => {
    const sent = await agentBubbles().count();
    await demo.fill('#agent-composer', '');
    await demo.focus('#agent-composer');
    await demo.keyboard.type('Please calm down, it is not a big deal.', { delay: 15 });
    const mark = coach().locator('.draft-box:not([hidden]) .draft mark');
    await mark.first().waitFor(TIMEOUT);
    assert.equal(await mark.first().innerText(), 'calm down');
    assert.match(await coach().locator('.draft .flags').innerText(), /Dismissive/);
    assert.equal(await agentBubbles().count(), sent, 'nothing was sent');
    await demo.screenshot({ path: join(screenshotDir, 'demo.png') });
    keepScreenshot('demo.png');
    await coach().screenshot({ path: join(screenshotDir, 'agent-panel-draft.png') });
    
    await demo.fill('#agent-composer', '');
    await coach().locator('.draft-box[hidden]').waitFor({ state: 'attached', ...TIMEOUT });
  });

  step('the dashboard shows the conversation; its score falls when the agent blames the customer', async () => {
    const card = dash.locator(`.card[data-conversation="${conversation}"]`);
    await card.waitFor(TIMEOUT);
    assert.match(await card.innerText(), /Dana/);
    const before = await waitUntil(() => cardScore(dash, conversation), 'a score');
    await sendAsAgent(BLAME);
    const afterScore = await waitUntil(async () => {
      const s = await cardScore(dash, conversation);
      return s !== null && s < before ? s : null;
    }, `the score to fall below ${before}`);
    assert.ok(afterScore < before);
    await card.locator('.reasons', { hasText: /blam/i }).waitFor(TIMEOUT);
    // The agent's panel flags the sent message, the words highlighted.
    await coach().locator('.last mark', { hasText: 'should have' }).waitFor(TIMEOUT);
  });

  step('an escalation draws the eye; the worst conversation comes first', async () => {
    await demo.fill('#customer-composer', ESCALATION);
    await demo.press('#customer-composer', 'Enter');
    const card = dash.locator(`.card[data-conversation="${conversation}"]`);
    await card.locator('[data-alert="escalation"]').waitFor(TIMEOUT);
    assert.ok(await card.evaluate((el) => el.classList.contains('alerting')));
    // A second, well handled conversation, with another agent and customer.
    other.agent = await browser.context.newPage();
    await other.agent.goto(`${server.base}/agent.html?token=${server.token('agent', 'bo', 'Bo')}`);
    await other.agent.locator('tact-coach .status[data-status="open"]').waitFor(TIMEOUT);
    other.customer = await browser.context.newPage();
    await other.customer.goto(`${server.base}/?customer=${server.token('customer', 'kim', 'Kim')}`);
    await other.customer.fill('#customer-composer', 'My refund never came through, I am really annoyed.');
    await other.customer.press('#customer-composer', 'Enter');
    await other.agent.locator('.bubble.theirs', { hasText: 'refund' }).waitFor(TIMEOUT);
    await other.agent.fill('#agent-composer', 'I am so sorry about your refund, Kim. I will take care of it myself right now.');
    await other.agent.press('#agent-composer', 'Enter');
    await other.agent.locator('.bubble.mine', { hasText: 'take care of it' }).waitFor(TIMEOUT);
    await waitUntil(async () => (await dash.locator('.card').count()) === 2, 'two cards');
    const order = await waitUntil(async () => {
      const scores = await dash.locator('.card').evaluateAll((els) => els.map((e) => [e.dataset.conversation, Number(e.dataset.score)]));
      return scores.every(([, s]) => Number.isFinite(s)) && scores[0][1] !== scores[1][1] ? scores : null;
    }, 'two scores');
    assert.equal(order[0][0], conversation, `worst first: ${JSON.stringify(order)}`);
    assert.ok(order[0][1] < order[1][1]);
    // The first agent still follows Dana's conversation.
    assert.equal(await demo.evaluate(() => document.querySelector('tact-coach').conversationId), conversation);
  });

  step('flags on a message with multi-byte characters highlight the right words', async () => {
    await sendAsAgent(UTF8_BLAME);
    const mark = coach().locator('.last mark');
    await coach().locator('.last .quote', { hasText: 'Désolé' }).waitFor(TIMEOUT);
    await mark.first().waitFor(TIMEOUT);
    assert.equal((await mark.first().innerText()).trim(), 'you should have checked');
  });

  step('the supervisor opens the annotated transcript and whispers; the agent sees it', async () => {
    await dash.click(`.card[data-conversation="${conversation}"] button`);
    await dash.locator('#detail:not([hidden])').waitFor(TIMEOUT);
    await dash.locator('#detail-transcript .msg.customer', { hasText: 'arrived' }).waitFor(TIMEOUT);
    await dash.locator('#detail-transcript .msg.has-flags mark.flag').first().waitFor(TIMEOUT);
    await dash.locator('#detail-transcript .act.cust', { hasText: 'complaint' }).first().waitFor(TIMEOUT);
    await dash.fill('#whisper-text', WHISPER);
    await dash.click('#whisper-form button[type="submit"]');
    await coach().locator('.whispers li', { hasText: WHISPER }).waitFor(TIMEOUT);
    await dash.locator('#detail-transcript .msg.whisper', { hasText: WHISPER }).waitFor(TIMEOUT);
    await dash.screenshot({ path: join(screenshotDir, 'dashboard.png') });
    keepScreenshot('dashboard.png');
    await coach().screenshot({ path: join(screenshotDir, 'agent-panel-whisper.png') });
    keepScreenshot('agent-panel-whisper.png');
  });

  step('"Replay a real conversation" plays a bundled sample through both sides', async () => {
    const samples = await (await fetch(`${server.base}/demo/samples.json`)).json();
    assert.ok(samples.samples.length >= 10);
    const sample = samples.samples[0];
    await demo.selectOption('#sample', '0');
    await demo.click('#replay');
    const lastAgent = sample.turns.filter((t) => t.role === 'agent').at(-1).text;
    await demo.locator('#agent-pane .bubble.mine', { hasText: lastAgent.slice(0, 40) }).waitFor({ timeout: 30000 });
    await demo.locator('#customer-pane .bubble.theirs', { hasText: lastAgent.slice(0, 40) }).waitFor(TIMEOUT);
    const replayed = await demo.evaluate(() => document.querySelector('tact-coach').conversationId);
    assert.notEqual(replayed, conversation, 'the replay runs in a new conversation');
    await dash.locator(`.card[data-conversation="${replayed}"]`).waitFor(TIMEOUT);
  });

  test('no page threw an error', () => {
    assert.deepEqual(browser.errors.map(String), []);
  });
});
