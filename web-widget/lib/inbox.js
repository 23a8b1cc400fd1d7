// The agent's inbox: every open conversation assigned to them, with the customer's name, the
// last message, unread count, waiting time, health and a marker for an open complaint; the most
// urgent first (escalated, then the longest waiting customer, then the lowest health). Arrow
// keys, Home and End move between conversations; Enter or a click opens one (event 'select').
import { formatDuration, seqOf } from './client.js';
import { el } from './dom.js';

const WAIT_WARN_MS = 45000;
const WAIT_LATE_MS = 120000;

export class Inbox extends EventTarget {
  // myName: the agent's own display name, never taken for a customer's.
  constructor(myName = '') {
    super();
    this.myName = myName;
    this.items = new Map(); // id -> item
    this.current = null;
    this.list = el('ol', { class: 'inbox', 'aria-label': 'Your conversations, most urgent first' });
    this.empty = el('p', { class: 'none', text: 'Waiting for a customer…' });
    this.view = el('nav', { class: 'inbox-box', 'aria-label': 'Conversations' }, this.list, this.empty);
    this.list.addEventListener('keydown', (e) => this._key(e));
    this.render();
  }

  item(id) {
    let it = this.items.get(id);
    if (!it) {
      it = { id, name: '', preview: '', previewRole: '', unread: 0, waitingSince: null, score: null, complaint: false,
        escalated: false, lastSeq: 0, order: this.items.size };
      this.items.set(id, it);
    }
    return it;
  }

  remove(id) {
    this.items.delete(id);
  }

  // A stored transcript (GET /api/conversations/{id}) or a list row.
  fromStored(id, stored) {
    const it = this.item(id);
    if (stored.customer) it.name = stored.customer;
    const messages = stored.messages ?? [];
    if (Array.isArray(messages) && messages.length) {
      const last = messages.at(-1);
      if ((last.seq ?? 0) >= it.lastSeq) {
        it.lastSeq = last.seq ?? 0;
        it.preview = last.text;
        it.previewRole = last.role;
      }
      let waiting = null;
      for (const m of messages) {
        if (m.role === 'agent') waiting = null;
        else if (waiting === null) waiting = m.at;
        if (m.coach) this.coach(id, { ...m.coach, message_id: m.coach.message_id ?? m.id }, false);
        if (m.role === 'customer' && m.from && m.from !== this.myName && !it.name) it.name = m.from;
      }
      if (it.waitingSince === null && waiting !== null) it.waitingSince = Math.min(Date.now(), waiting);
    }
    if (typeof stored.score === 'number') it.score = stored.score;
    if (typeof stored.waiting_ms === 'number' && stored.waiting_ms > 0 && it.waitingSince === null) it.waitingSince = Date.now() - stored.waiting_ms;
  }

  message(m, { background }) {
    const it = this.item(m.conversation);
    const seq = m.seq ?? seqOf(m.id);
    if (seq >= it.lastSeq) {
      it.lastSeq = seq;
      it.preview = m.text;
      it.previewRole = m.role;
    }
    if (m.role === 'customer') {
      if (it.waitingSince === null) it.waitingSince = Date.now();
      if (background) it.unread += 1;
      if (!it.name && m.from && m.from !== this.myName) it.name = m.from;
    } else it.waitingSince = null;
  }

  coach(id, c, live = true) {
    const it = this.item(id);
    if (c.health && typeof c.health.score === 'number') it.score = c.health.score;
    const checklist = c.checklist ?? [];
    it.complaint = checklist.length > 0 && checklist.some((s) => s.status !== 'done');
    it.escalated = Boolean(c.escalated);
    if (c.details?.name && !it.name) it.name = c.details.name;
    if (live && typeof c.waiting_ms === 'number') it.waitingSince = c.role === 'customer' || c.waiting_ms > 0 ? Date.now() - c.waiting_ms : null;
  }

  select(id) {
    this.current = id;
    const it = this.items.get(id);
    if (it) it.unread = 0;
    this.render();
  }

  unreadTotal() {
    let n = 0;
    for (const it of this.items.values()) n += it.unread;
    return n;
  }

  // A customer without a name (a conversation opened through the HTTP API) is told apart by
  // the platform's conversation id.
  nameOf(id) {
    return this.items.get(id)?.name || `Customer · ${id}`;
  }

  sorted() {
    const waiting = (it) => (it.waitingSince === null ? Infinity : it.waitingSince);
    return [...this.items.values()].sort(
      (a, b) => Number(b.escalated) - Number(a.escalated) || waiting(a) - waiting(b) || (a.score ?? 101) - (b.score ?? 101) || a.order - b.order,
    );
  }

  render() {
    const focused = this.list.contains(document.activeElement) ? document.activeElement.dataset.conversation : null;
    this.list.textContent = '';
    const items = this.sorted();
    this.empty.hidden = items.length > 0;
    const active = items.some((it) => it.id === this.current) ? this.current : items[0]?.id;
    for (const it of items) this.list.append(this._row(it, it.id === active));
    if (focused) this.list.querySelector(`button[data-conversation="${CSS.escape(focused)}"]`)?.focus();
  }

  // Updates the waiting times only (every second), without rebuilding the list.
  tick() {
    for (const b of this.list.querySelectorAll('button[data-conversation]')) {
      const it = this.items.get(b.dataset.conversation);
      const w = b.querySelector('.wait');
      if (it && w) this._wait(w, it);
    }
  }

  _wait(w, it) {
    const ms = it.waitingSince === null ? null : Date.now() - it.waitingSince;
    w.hidden = ms === null;
    w.textContent = ms === null ? '' : `waiting ${formatDuration(ms)}`;
    w.dataset.level = ms === null ? '' : ms >= WAIT_LATE_MS ? 'late' : ms >= WAIT_WARN_MS ? 'warn' : '';
  }

  _row(it, tabbable) {
    const name = this.nameOf(it.id);
    const b = el('button', { type: 'button', class: 'conv', 'data-conversation': it.id, tabindex: tabbable ? '0' : '-1' });
    if (it.id === this.current) b.setAttribute('aria-current', 'true');
    const head = el('span', { class: 'conv-head' }, el('span', { class: 'conv-name', dir: 'auto', text: name }));
    if (it.escalated) head.append(el('span', { class: 'tag esc', text: 'escalated' }));
    else if (it.complaint) head.append(el('span', { class: 'tag complaint', text: 'complaint', title: 'An open complaint: playbook steps left' }));
    if (it.unread) head.append(el('span', { class: 'unread' }, String(it.unread), el('span', { class: 'visually-hidden', text: ' unread' })));
    const preview = el('span', { class: 'conv-preview', dir: 'auto', text: `${it.previewRole === 'agent' ? 'You: ' : ''}${it.preview || 'No message yet'}` });
    const foot = el('span', { class: 'conv-foot' });
    const w = el('span', { class: 'wait' });
    this._wait(w, it);
    const level = it.score === null ? '' : it.score < 50 ? 'bad' : it.score < 80 ? 'warn' : 'good';
    foot.append(w, el('span', { class: `health ${level}`, text: it.score === null ? '' : `health ${it.score}` }));
    b.append(head, preview, foot);
    b.addEventListener('click', () => this.dispatchEvent(new CustomEvent('select', { detail: it.id })));
    return el('li', {}, b);
  }

  _key(e) {
    const buttons = [...this.list.querySelectorAll('button[data-conversation]')];
    const i = buttons.indexOf(document.activeElement);
    if (i < 0) return;
    const to = { ArrowDown: i + 1, ArrowUp: i - 1, ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: buttons.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    const next = buttons[Math.max(0, Math.min(buttons.length - 1, to))];
    for (const b of buttons) b.tabIndex = b === next ? 0 : -1;
    next.focus();
  }
}
