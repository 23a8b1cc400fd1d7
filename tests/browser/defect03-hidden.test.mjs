// Defect 3 (issue 19): the supervisor's transcript could not be closed and showed, empty, on
// load: the stylesheet overrode the `hidden` attribute (the same bug showed the agent pane on a
// customer-only demo link).
// Fails on de50cd2 (#detail is visible on load and after Close); passes since [hidden] always hides.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serverAndBrowser } from './harness.mjs';
import { TIMEOUT, agentPage, customer } from './people.mjs';

const env = serverAndBrowser();

test('the supervisor transcript is hidden on load, opens, and closes', async () => {
  const page = await env.browser.context.newPage();
  await page.goto(`${env.server.base}/supervisor.html?token=${env.server.token('supervisor', 'sam', 'Sam')}`);
  await page.locator('#summary', { hasText: 'live' }).waitFor(TIMEOUT);
  assert.equal(await page.locator('#detail').isVisible(), false, 'no empty transcript on load');
  await agentPage(env);
  const dana = await customer(env, 'dana', 'Dana');
  await dana.say('My order #4411 never arrived');
  await page.locator('.card button').first().click(TIMEOUT);
  await page.locator('#detail').waitFor({ state: 'visible', ...TIMEOUT });
  await page.click('#detail-close');
  await page.locator('#detail').waitFor({ state: 'hidden', ...TIMEOUT });
});

test('a customer-only demo link shows no agent pane', async () => {
  const { page } = await customer(env, 'kim', 'Kim');
  await page.locator('#customer-composer').waitFor(TIMEOUT);
  assert.equal(await page.locator('#agent-pane').isVisible(), false);
});
