// The admin page's integrations section (docs/integrations/): the integrations with their
// secrets masked, a form to add or change a Chatwoot one, and personal links with an agent's
// token for chatwoot.html. Token: ?token=JWT (admin), as for the rule editor.
import { httpBase } from './lib/client.js';

const q = new URLSearchParams(location.search);
const token = q.get('token') || q.get('admin') || '';
const base = httpBase(q.get('server') || '');
const $ = (id) => document.getElementById(id);

async function call(method, path, body) {
  try {
    const res = await fetch(`${base}/api/integrations${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { ok: res.ok, json: await res.json().catch(() => ({})) };
  } catch {
    return { ok: false, json: { message: 'the server cannot be reached' } };
  }
}

function say(text) {
  $('integration-result').textContent = text;
}

async function load() {
  const { ok, json } = await call('GET', '');
  const list = $('integration-list');
  list.textContent = '';
  if (!ok) return say(json.message ?? 'integrations could not be loaded');
  for (const i of json.integrations ?? []) {
    const li = document.createElement('li');
    li.textContent = `${i.name} · ${i.platform} · ${i.url} · account ${i.account} · secret ${i.webhook_secret} · notes ${i.notes ? 'on' : 'off'} · webhook ${base}${i.webhook_path}`;
    list.append(li);
  }
  if (!list.children.length) list.append(Object.assign(document.createElement('li'), { textContent: 'none yet' }));
}

$('integration-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const { ok, json } = await call('POST', '', {
    name: $('i-name').value.trim(),
    url: $('i-url').value.trim(),
    account: Number($('i-account').value),
    webhook_secret: $('i-secret').value,
    api_token: $('i-token').value,
    notes: $('i-notes').checked,
  });
  $('i-secret').value = '';
  $('i-token').value = '';
  say(ok ? `Saved "${json.name}". Its webhook URL: ${base}${json.webhook_path}` : json.message ?? 'not saved');
  if (ok) load();
});

$('agent-token-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const name = $('t-integration').value.trim();
  const { ok, json } = await call('POST', `/${encodeURIComponent(name)}/tokens`, {
    agent: Number($('t-agent').value),
    name: $('t-name').value.trim(),
  });
  const link = $('t-link');
  link.hidden = !ok;
  link.value = ok ? `${base}/chatwoot.html?integration=${encodeURIComponent(name)}#token=${json.token}` : '';
  say(ok ? `A personal link for ${json.sub}, valid 30 days.` : json.message ?? 'no token');
});

if (token) load();
