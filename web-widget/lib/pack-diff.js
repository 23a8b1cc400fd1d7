// The draft pack against the live one, rule by rule: what a publish would change.
// diffPacks(live, draft) -> [{id, kind: 'added'|'removed'|'changed', fields: [{field, added, removed}]}]
// plus one entry {id: '(templates)'} etc. for the pack's other sections.
import { el } from './dom.js';

const LISTS = [['patterns', (r) => r.patterns], ['unless', (r) => r.unless], ['examples: must match', (r) => r.examples?.match],
  ['examples: must not match', (r) => r.examples?.no_match]];
const SCALARS = ['act', 'role', 'description', 'case_sensitive'];

// Entries compared by value: a pattern may be an object ({"pattern", "unless", …}), and the
// draft is a copy of the live pack, so identity would call every such rule changed.
const text = (x) => (typeof x === 'string' ? x : JSON.stringify(x));

function listDiff(a = [], b = []) {
  const sa = new Set(a.map(text));
  const sb = new Set(b.map(text));
  return { added: b.map(text).filter((x) => !sa.has(x)), removed: a.map(text).filter((x) => !sb.has(x)) };
}

export function diffPacks(live, draft) {
  const out = [];
  const before = new Map((live?.rules ?? []).map((r) => [r.id, r]));
  const after = new Map((draft?.rules ?? []).map((r) => [r.id, r]));
  for (const [id, r] of after) {
    const old = before.get(id);
    if (!old) {
      out.push({ id, kind: 'added', fields: LISTS.map(([field, get]) => ({ field, added: (get(r) ?? []).map(text), removed: [] })).filter((f) => f.added.length) });
      continue;
    }
    const fields = [];
    for (const f of SCALARS) {
      if (JSON.stringify(old[f] ?? null) !== JSON.stringify(r[f] ?? null)) {
        fields.push({ field: f, added: r[f] === undefined ? [] : [String(r[f])], removed: old[f] === undefined ? [] : [String(old[f])] });
      }
    }
    for (const [field, get] of LISTS) {
      const d = listDiff(get(old), get(r));
      if (d.added.length || d.removed.length) fields.push({ field, ...d });
    }
    if (fields.length) out.push({ id, kind: 'changed', fields });
  }
  for (const [id] of before) if (!after.has(id)) out.push({ id, kind: 'removed', fields: [] });
  for (const section of Object.keys({ ...live, ...draft })) {
    if (section === 'rules') continue;
    if (JSON.stringify(live?.[section] ?? null) !== JSON.stringify(draft?.[section] ?? null)) out.push({ id: `(${section})`, kind: 'changed', fields: [] });
  }
  return out;
}

// Renders diffPacks' answer into `box`.
export function renderDiff(box, diff) {
  box.textContent = '';
  if (!diff.length) {
    box.append(el('p', { class: 'muted', text: 'No change from the live version.' }));
    return;
  }
  box.append(el('p', { class: 'summary', text: `${diff.length} change${diff.length === 1 ? '' : 's'} from the live version:` }));
  const list = el('ul', { class: 'diff' });
  for (const d of diff) {
    const li = el('li', { class: `diff-${d.kind}` }, el('span', { class: 'diff-kind', text: d.kind }), ' ', el('code', { text: d.id }));
    for (const f of d.fields) {
      const lines = el('ul', { class: 'diff-lines', 'aria-label': f.field });
      for (const x of f.removed) lines.append(el('li', { class: 'del' }, el('span', { class: 'visually-hidden', text: 'removed: ' }), el('code', { dir: 'auto', text: x })));
      for (const x of f.added) lines.append(el('li', { class: 'ins' }, el('span', { class: 'visually-hidden', text: 'added: ' }), el('code', { dir: 'auto', text: x })));
      li.append(el('div', { class: 'diff-field', text: f.field }), lines);
    }
    list.append(li);
  }
  box.append(list);
}
