// agent.html: the agent console for ?token=JWT (role agent), with the session's state in words.
import { AgentConsole } from './lib/chat.js';
import { tokenClaims } from './lib/client.js';
import { isExpired, showSession } from './lib/session.js';

const q = new URLSearchParams(location.search);
const token = q.get('agent') || q.get('token');
const server = q.get('server') || '';
const claims = token && tokenClaims(token);
const who = document.getElementById('agent-name');
const notice = document.getElementById('notice');
if (!claims || claims.role !== 'agent') {
  notice.hidden = false;
  notice.textContent = 'This page needs an agent token: agent.html?token=… (the link that `tact serve` prints, or `tact token --role agent --sub alice --name Alice`).';
} else if (isExpired(claims)) {
  showSession('expired', claims, who);
} else {
  showSession('connecting', claims, who);
  const agent = new AgentConsole(document.getElementById('agent-pane'), { server, token, sub: claims.sub, name: claims.name || '' });
  agent.coach.addEventListener('tact-status', (e) => showSession(e.detail.status, claims, who));
  const sound = document.getElementById('sound');
  sound.addEventListener('change', () => (agent.sound = sound.checked));
  window.tactConsole = agent;
}
