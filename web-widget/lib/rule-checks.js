// The rule editor's checks in words: a problem with its pattern numbered from 1 and RE2's
// position marked, and preview chips coloured by what a change means for the agents.
import { byteIndexer } from './utf8.js';

export const BAD_ACTS = new Set(['blame', 'excuse', 'non_apology', 'dismissive', 'negative_tone']);
const GOOD_ACTS = new Set(['acknowledge', 'apology', 'ownership', 'empathy', 'solution', 'follow_up', 'feedback_request', 'personalization']);

function h(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

// "patterns[2]" -> {list: 'patterns', index: 2}
export function fieldRef(field) {
  const m = /^(patterns|unless)\[(\d+)\]$/.exec(field ?? '');
  return m ? { list: m[1], index: Number(m[2]) } : null;
}

// A problem in words, with the pattern numbered from 1 and RE2's position marked in it.
export function problemItem(p, r, show) {
  const ref = fieldRef(p.field);
  const li = h('li');
  if (!ref) {
    li.append(`${p.rule ? '' : 'pack: '}${p.field}: ${p.reason}${p.position !== undefined ? ` (at byte ${p.position + 1})` : ''}`);
    return li;
  }
  const label = `${ref.list === 'patterns' ? 'Pattern' : 'Veto'} ${ref.index + 1}`;
  li.append(h('strong', '', label), `: ${p.reason}`);
  const pattern = r?.[ref.list]?.[ref.index];
  if (typeof pattern === 'string') {
    const code = h('code', 'bad-pattern');
    if (typeof p.position === 'number') {
      const at = byteIndexer(pattern)(p.position);
      const end = Math.min(pattern.length, at + Math.max(1, [...pattern.slice(at, at + 2)][0]?.length ?? 1));
      code.append(pattern.slice(0, at), h('mark', 'at', pattern.slice(at, end) || ' '), pattern.slice(end));
      li.append(` (character ${[...pattern.slice(0, at)].length + 1})`);
    } else code.textContent = pattern;
    const button = h('button', 'btn secondary show-pattern', 'Show');
    button.type = 'button';
    button.setAttribute('aria-label', `Show ${label.toLowerCase()} in the editor`);
    button.addEventListener('click', () => show(ref, p.position));
    li.append(h('br'), code, ' ', button);
  }
  return li;
}

// Selects line `index` (of the non-empty lines) of a textarea, at the byte `position` in it.
export function selectInTextarea(area, index, position) {
  let offset = 0;
  let n = -1;
  for (const line of area.value.split('\n')) {
    if (line.trim() && ++n === index) {
      const lead = line.length - line.trimStart().length;
      const start = offset + lead + (typeof position === 'number' ? byteIndexer(line.trim())(position) : 0);
      area.focus();
      area.setSelectionRange(start, typeof position === 'number' ? start + 1 : offset + line.length);
      return;
    }
    offset += line.length + 1;
  }
}

// What a change means for the agents: 'good' (a good act found more, a bad one less), 'warn'
// (a bad act or flag more, a good act less) or 'info' (customer acts).
export function actMeaning(act, added) {
  if (BAD_ACTS.has(act)) return added ? 'warn' : 'good';
  if (GOOD_ACTS.has(act)) return added ? 'good' : 'warn';
  return 'info';
}

export function chip(text, meaning) {
  const c = h('span', `chip ${meaning}`, text);
  c.dataset.meaning = meaning;
  if (meaning === 'warn') c.prepend(h('span', 'chip-icon', '⚠ '));
  c.title = { good: 'better coaching', warn: 'check this: a bad act or flag more, or a good act less', info: 'customer acts' }[meaning];
  return c;
}
