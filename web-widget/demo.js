// The demo at "/": the customer's chat and the agent console side by side.
// Tokens come from the URL: ?customer=JWT&agent=JWT[&supervisor=JWT][&server=URL], or
// ?token=JWT for one role (its claims say which).
import { AgentConsole, CustomerChat } from './lib/chat.js';
import { tokenClaims } from './lib/client.js';
import { showSession } from './lib/session.js';

const q = new URLSearchParams(location.search);
const server = q.get('server') || '';
const tokens = { customer: q.get('customer'), agent: q.get('agent'), supervisor: q.get('supervisor') };
for (const t of q.getAll('token')) {
  const role = tokenClaims(t)?.role;
  if (role && !tokens[role]) tokens[role] = t;
}

const notice = document.getElementById('notice');
function tell(html) {
  notice.hidden = false;
  notice.innerHTML = html;
}

let customer = null;
let agent = null;
if (tokens.customer) {
  document.getElementById('customer-name').textContent = `— ${tokenClaims(tokens.customer)?.name || 'customer'}`;
  customer = new CustomerChat(document.getElementById('customer-pane'), { server, token: tokens.customer });
  window.tactCustomer = customer;
} else {
  document.getElementById('customer-pane').hidden = true;
}
if (tokens.agent) {
  document.getElementById('agent-name').textContent = `— ${tokenClaims(tokens.agent)?.name || 'agent'}`;
  agent = new AgentConsole(document.getElementById('agent-pane'), { server, token: tokens.agent, sub: tokenClaims(tokens.agent)?.sub, name: tokenClaims(tokens.agent)?.name || '' });
  const agentClaims = tokenClaims(tokens.agent);
  agent.coach.addEventListener('tact-status', (e) => {
    const s = e.detail.status;
    if (s === 'expired' || s === 'refused' || s === 'offline') showSession(s, agentClaims, null);
    else showSession('open', agentClaims, null);
  });
  window.tactConsole = agent;
} else {
  document.getElementById('agent-pane').hidden = true;
}
if (!customer || !agent) document.getElementById('demo').classList.add('solo');
if (!customer && !agent) {
  tell('Open this page with the demo link that <code>tact serve</code> prints: it carries the tokens, as in <code>/?customer=…&amp;agent=…&amp;supervisor=…</code>. Tokens come from <code>tact token --role customer --sub dana --name Dana</code>.');
} else if (!agent) {
  tell('No agent token in the link: add <code>&amp;agent=…</code> to see the coached agent console beside the customer, or open the agent link that <code>tact serve</code> prints in another window.');
}
if (tokens.supervisor) {
  const a = document.getElementById('dash-link');
  a.href = `supervisor.html?token=${encodeURIComponent(tokens.supervisor)}${server ? `&server=${encodeURIComponent(server)}` : ''}`;
  a.hidden = false;
  a.target = '_blank';
}

// --- Replay a real conversation ------------------------------------------------------------

const select = document.getElementById('sample');
const replayButton = document.getElementById('replay');
let samples = [];
let replaying = null;

async function loadSamples() {
  try {
    const res = await fetch('demo/samples.json');
    samples = (await res.json()).samples ?? [];
  } catch {
    samples = [];
  }
  select.textContent = '';
  samples.forEach((s, i) => {
    const o = document.createElement('option');
    o.value = String(i);
    const first = s.turns[0]?.text ?? '';
    o.textContent = `${s.company}: ${first.length > 48 ? first.slice(0, 47) + '…' : first}`;
    select.append(o);
  });
  replayButton.disabled = !samples.length || !customer;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function waitFor(target, type, test, ms) {
  return new Promise((resolve) => {
    const done = (v) => {
      clearTimeout(timer);
      target.removeEventListener(type, on);
      resolve(v);
    };
    const on = (e) => test(e.detail) && done(e.detail);
    const timer = setTimeout(() => done(null), ms);
    target.addEventListener(type, on);
  });
}

async function replay(sample, run) {
  // A fresh conversation: the agent closes the customer's open one first.
  if (customer.conversation && agent) {
    const closed = waitFor(customer, 'closed', () => true, 3000);
    agent.coach.socket?.send({ type: 'close', conversation: customer.conversation });
    await closed;
  }
  const pace = Number(q.get('pace')) || 1600;
  let conversation = null;
  for (const turn of sample.turns) {
    if (run.stopped) return;
    if (turn.role === 'customer') {
      const ack = await customer.send(turn.text);
      conversation = ack?.conversation ?? conversation;
    } else if (agent && conversation) {
      // Wait until the console follows the conversation, then answer as the agent.
      for (let i = 0; i < 50 && agent.coach.conversationId !== conversation; ++i) await sleep(100);
      if (agent.coach.conversationId !== conversation) agent.coach.setAttribute('conversation', conversation);
      const id = agent.coach.send(turn.text);
      await waitFor(agent.coach, 'tact-frame', (f) => f.type === 'ack' && f.client_id === id, 5000);
    }
    await sleep(pace);
  }
}

replayButton.addEventListener('click', async () => {
  if (replaying) {
    replaying.stopped = true;
    return;
  }
  const sample = samples[Number(select.value) || 0];
  if (!sample || !customer) return;
  const run = { stopped: false };
  replaying = run;
  replayButton.textContent = 'Stop replay';
  try {
    await replay(sample, run);
  } finally {
    replaying = null;
    replayButton.textContent = 'Replay a real conversation';
    select.value = String(((Number(select.value) || 0) + 1) % samples.length);
  }
});

loadSamples();
