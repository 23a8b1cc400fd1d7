// Team insights (issue 22): what closed conversations say over a date range, for the team and
// each agent. Token: ?token=JWT (supervisor or admin; an agent sees only their own numbers).
// Reads GET /api/insights; the charts are lib/charts.js. The recent conversations open their
// review, where supervisors and admins write a lesson; the team's lessons are listed below.
import { tokenClaims } from './lib/client.js';
import { el } from './lib/dom.js';
import { isExpired, showSession } from './lib/session.js';
import { barChart, trendChart } from './lib/charts.js';
import {
  causeRows, dailySeries, flagRows, healthText, isoDay, outcomeRows, ratingRows, ratingText, responseText, stepRows, weakestStep,
} from './lib/insights-view.js';
import { LessonList } from './lib/lessons-view.js';
import { RecentList } from './lib/recent-view.js';

const q = new URLSearchParams(location.search);
const token = q.get('token') || '';
const server = q.get('server') || '';
const claims = tokenClaims(token);
const $ = (id) => document.getElementById(id);

const canWrite = claims?.role === 'supervisor' || claims?.role === 'admin';

// status 0: the server could not be reached.
async function call(method, path, body) {
  let res;
  try {
    res = await fetch(`${server}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return { ok: false, status: 0, json: null };
  }
  return { ok: res.ok, status: res.status, json: await res.json().catch(() => null) };
}
const lessons = new LessonList(call, canWrite);
$('lessons-box').append(lessons.said, lessons.list, lessons.empty);
const recent = new RecentList(call, { canWrite, lessons });

if (token) $('board-link').href = `supervisor.html?token=${encodeURIComponent(token)}`;
if (claims?.role === 'agent') $('board-link').hidden = true;

// The last 30 days, unless the URL says otherwise (?from=&to=&agent=).
const today = new Date();
$('from').value = q.get('from') || isoDay(new Date(today.getTime() - 29 * 86400000));
$('to').value = q.get('to') || isoDay(today);
const agentPick = $('agent');
const wanted = q.get('agent') || '';

function tell(text) {
  $('notice').hidden = !text;
  $('notice').textContent = text || '';
}

function put(id, ...nodes) {
  $(id).replaceChildren(...nodes);
}

async function load() {
  if (!token) return tell('Open this page with a supervisor link: insights.html?token=…');
  if (isExpired(claims)) return showSession('expired', claims, $('who'));
  showSession('open', claims, $('who'));
  const params = new URLSearchParams({ from: $('from').value, to: $('to').value });
  if (agentPick.value) params.set('agent', agentPick.value);
  $('range-words').textContent = 'loading…';
  let res;
  try {
    res = await fetch(`${server}/api/insights?${params}`, { headers: { Authorization: `Bearer ${token}` } });
  } catch {
    return tell('The server cannot be reached; try again in a moment.');
  }
  const body = await res.json().catch(() => ({}));
  if (!res.ok) return tell(`The server refused: ${body.message ?? res.status}`);
  tell('');
  render(body);
  const shown = new URLSearchParams(params);
  shown.set('token', token);
  if (server) shown.set('server', server);
  history.replaceState(null, '', `?${shown}`);
}

function render(data) {
  // The agent list comes from the answer for the whole team; an agent's own page has no list.
  if (!data.agent) {
    const current = agentPick.value;
    agentPick.replaceChildren(el('option', { value: '', text: 'Whole team' }),
      ...(data.agents ?? []).filter((a) => a.agent).map((a) => el('option', { value: a.agent, text: a.agent })));
    agentPick.value = current;
  }
  agentPick.disabled = claims?.role === 'agent';
  const block = data.agent ? (data.agents ?? []).find((a) => a.agent === data.agent) ?? data.team : data.team;
  const who = data.agent ? `agent ${data.agent}` : 'the whole team';
  $('range-words').textContent = `${$('from').value} to ${$('to').value} · ${who}`;
  $('t-conversations').textContent = String(block?.conversations ?? 0);
  $('t-response').textContent = responseText(block?.median_first_response_ms);
  $('t-health').textContent = healthText(block?.average_final_health);
  $('t-rating').textContent = ratingText(block?.ratings);
  const none = !block?.conversations;
  $('empty').hidden = !none;
  $('charts').hidden = none;
  put('c-steps', barChart(stepRows(block), { title: 'Playbook steps done', max: 100, format: (v) => `${v}%` }));
  put('c-causes', barChart(causeRows(block), { title: 'Root causes' }));
  put('c-cause-trends', ...(block?.top_causes ?? []).slice(0, 3).map((c) =>
    el('div', {}, el('h3', { text: `${c.label} by day` }),
      trendChart(dailySeries(c.per_day, data.from, data.to), { title: `${c.label} by day`, height: 40 }))));
  put('c-flags', barChart(flagRows(block), { title: 'Flags' }));
  put('c-outcomes', barChart(outcomeRows(block), { title: 'Outcomes' }));
  put('c-ratings', barChart(ratingRows(block), { title: 'Customer ratings' }));
  recent.render(data.recent);
  $('agents').tBodies[0].replaceChildren(...(data.agents ?? []).map((a) => {
    const who = a.agent || '(no agent)'; // API conversations nobody was assigned
    const pick = el('button', { type: 'button', text: who });
    pick.addEventListener('click', () => {
      agentPick.value = a.agent;
      load();
    });
    const weak = weakestStep(a);
    return el('tr', { 'data-agent': a.agent },
      el('th', { scope: 'row' }, claims?.role === 'agent' || !a.agent ? who : pick),
      el('td', { text: String(a.conversations) }),
      el('td', { text: responseText(a.median_first_response_ms) }),
      el('td', { text: healthText(a.average_final_health) }),
      el('td', { text: ratingText(a.ratings) }),
      el('td', { text: weak ? `${weak.label} (${weak.value}%)` : '—' }));
  }));
}

$('filters').addEventListener('change', () => load());
// An agent's own page, or the agent named in the URL: the select gets the option before loading.
const own = claims?.role === 'agent' ? claims.sub : wanted;
if (own) {
  agentPick.append(el('option', { value: own, text: own }));
  agentPick.value = own;
}
load();
if (token && !isExpired(claims)) lessons.load();
