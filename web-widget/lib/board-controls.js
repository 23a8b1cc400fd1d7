// The supervisor board's controls (#board-controls): sort, filters, alert thresholds. Returns
// the live settings object (kept in localStorage) with agents(ids) to refresh the agent filter.
import { el } from './dom.js';

const KEY = 'tact-board';

export function boardControls(defaults, changed) {
  let saved = {};
  try {
    saved = JSON.parse(localStorage.getItem(KEY) ?? '{}');
  } catch {
    saved = {};
  }
  const s = { ...defaults, ...saved, agent: '' };
  const save = () => {
    try {
      const { agent, ...rest } = s;
      void agent;
      localStorage.setItem(KEY, JSON.stringify(rest));
    } catch {
      /* storage off */
    }
    changed();
  };
  const box = document.getElementById('board-controls');
  const sel = (id, label, options, value, on) => {
    const select = el('select', { id });
    for (const [v, t] of options) select.append(new Option(t, v, false, String(v) === String(value)));
    select.addEventListener('change', () => on(select.value));
    return { wrap: el('label', { for: id, class: 'ctl' }, `${label} `, select), select };
  };
  const num = (id, label, value, min, max, on) => {
    const input = el('input', { id, type: 'number', min, max, value: String(value), class: 'num' });
    input.addEventListener('change', () => {
      const v = Number(input.value);
      if (Number.isFinite(v) && v >= min && v <= max) on(v);
    });
    return el('label', { for: id, class: 'ctl' }, `${label} `, input);
  };
  const sort = sel('sort', 'Sort', [['urgent', 'Most urgent (escalated, then health)'], ['health', 'Health, worst first'],
    ['waiting', 'Waiting, longest first'], ['escalated', 'Escalated first, then waiting']], s.sort, (v) => {
    s.sort = v;
    save();
  });
  const agent = sel('filter-agent', 'Agent', [['', 'All agents']], '', (v) => {
    s.agent = v;
    save();
  });
  const esc = el('input', { id: 'filter-escalated', type: 'checkbox', checked: s.escalatedOnly });
  esc.addEventListener('change', () => {
    s.escalatedOnly = esc.checked;
    save();
  });
  const waiting = sel('filter-waiting', 'Waiting', [[0, 'any'], [30, 'over 30 s'], [60, 'over 1 min'], [120, 'over 2 min'], [300, 'over 5 min']],
    s.waitingOverS, (v) => {
      s.waitingOverS = Number(v);
      save();
    });
  const thresholds = el('fieldset', { class: 'thresholds' }, el('legend', { text: 'Alert when' }),
    num('alert-score', 'health under', s.alertScore, 0, 100, (v) => {
      s.alertScore = v;
      save();
    }),
    num('alert-wait', 'or waiting over (s)', s.alertWaitS, 5, 3600, (v) => {
      s.alertWaitS = v;
      save();
    }),
    el('span', { class: 'muted', text: 'or escalated' }));
  box.append(sort.wrap, agent.wrap, el('label', { for: 'filter-escalated', class: 'ctl' }, esc, ' Escalated only'), waiting.wrap, thresholds);
  let known = '';
  s.agents = (ids) => {
    const list = [...new Set(ids)].sort();
    if (list.join('\n') === known) return;
    known = list.join('\n');
    const current = s.agent;
    agent.select.textContent = '';
    agent.select.append(new Option('All agents', '', false, current === ''));
    for (const id of list) agent.select.append(new Option(id, id, false, id === current));
  };
  return s;
}
