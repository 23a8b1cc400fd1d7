// The pure helpers of the Chatwoot dashboard app, without a browser: web-widget/lib/chatwoot-context.js.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { agentOfSub, latestRound, parseAppContext, roundOf } from '../../web-widget/lib/chatwoot-context.js';
import { repoRoot } from './harness.mjs';

const conversation = JSON.parse(readFileSync(join(repoRoot, 'tests/data/chatwoot/message_created_incoming.json'), 'utf8')).conversation;

test('appContext as Frame.vue posts it: a JSON string with conversation, contact and currentAgent', () => {
  const data = JSON.stringify({ event: 'appContext', data: { conversation, contact: { id: 31, name: 'Dana Reyes' }, currentAgent: { id: 7, name: 'Alex Kim' } } });
  assert.deepEqual(parseAppContext(data), { conversation: 42, contactName: 'Dana Reyes', agent: 7, agentName: 'Alex Kim' });
  // Older Chatwoot sends no currentAgent: the agent is unknown, not refused.
  assert.equal(parseAppContext(JSON.stringify({ event: 'appContext', data: { conversation } })).agent, null);
  for (const other of [{ event: 'appContext' }, 'chatwoot-dashboard-app:fetch-info', '{', { event: 'x', data: { conversation } }]) {
    assert.equal(parseAppContext(typeof other === 'string' ? other : JSON.stringify(other)), null);
  }
  assert.equal(parseAppContext({ event: 'appContext', data: { conversation } }), null, 'an object, not the string Chatwoot posts');
});

test('a token is for one integration\'s agent; the latest round of a reopened conversation is shown', () => {
  assert.equal(agentOfSub('chatwoot:support:agent:7', 'support'), 7);
  assert.equal(agentOfSub('chatwoot:sales:agent:7', 'support'), null);
  assert.equal(agentOfSub('alice', 'support'), null);
  const base = 'chatwoot:support:42';
  assert.equal(roundOf(base, base), 1);
  assert.equal(roundOf(base, `${base}.3`), 3);
  assert.equal(roundOf(base, 'chatwoot:support:420'), 0);
  assert.equal(latestRound(base, [{ id: base }, { id: `${base}.2` }, { id: 'chatwoot:support:420.9' }]), `${base}.2`);
  assert.equal(latestRound(base, []), base);
});
