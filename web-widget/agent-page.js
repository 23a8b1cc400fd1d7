// agent.html's page script: the console for the agent named by the token in the URL.
import { AgentConsole } from './lib/chat.js';
import { tokenClaims } from './lib/client.js';
const q = new URLSearchParams(location.search);
const token = q.get('agent') || q.get('token');
const server = q.get('server') || '';
const claims = token && tokenClaims(token);
if (!claims || claims.role !== 'agent') {
  const n = document.getElementById('notice');
  n.hidden = false;
  n.innerHTML = 'This page needs an agent token: <code>agent.html?token=…</code> (the link that <code>tact serve</code> prints, or <code>tact token --role agent --sub alice --name Alice</code>).';
} else {
  document.getElementById('agent-name').textContent = `signed in as ${claims.name || claims.sub}`;
  window.tactConsole = new AgentConsole(document.getElementById('agent-pane'), { server, token });
}
