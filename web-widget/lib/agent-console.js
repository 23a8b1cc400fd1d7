// The agent console: the inbox (every open conversation), the followed conversation's
// transcript and composer, and <tact-coach> docked on the right. The reply being typed belongs
// to the conversation it was typed in: it is kept per conversation (and across a reload) and
// always sent there, whatever arrives meanwhile.
import { clientId } from './client.js';
import { el } from './dom.js';
import { Inbox } from './inbox.js';
import { Transcript, composerRow } from './transcript.js';
import { Drafts } from './drafts.js';
import { ReviewList } from './review-view.js';
import '../tact-coach.js';

export class AgentConsole {
  constructor(container, { server = '', token, sub = '', name = '' }) {
    this.inbox = new Inbox(name);
    this.myName = name;
    this.transcript = new Transcript('Conversation with the customer');
    this.drafts = new Drafts(`tact-drafts:${sub}`);
    this.composerFor = null; // the conversation whose reply is in the composer
    this.pending = new Map(); // client_id -> {conversation, text}
    this.title = document.title;
    const { row, area, check } = composerRow('agent-composer', 'Reply to the customer…', (text) => this.send(text),
      (text) => this.coach?.overLimit?.(text, this.composerFor) ?? 0);
    this.area = area;
    this.checkLimit = check;
    this.heading = el('h3', { class: 'conv-title', dir: 'auto', text: 'No conversation open' });
    this.resolveButton = el('button', { type: 'button', class: 'btn secondary resolve', text: 'Resolve…', hidden: true });
    this.resolveButton.addEventListener('click', () => this.resolve());
    const bar = el('div', { class: 'conv-bar' }, this.heading, this.resolveButton);
    const hint = el('p', { class: 'hint', text: 'Enter sends · Alt+1…3 inserts a suggestion · ↑↓ move in the inbox' });
    this.coach = el('tact-coach', { 'aria-label': 'Coach' });
    if (server) this.coach.setAttribute('server', server);
    this.coach.setAttribute('token', token);
    this.coach.setAttribute('composer', '#agent-composer');
    // The live messages of the followed conversation: its transcript, loaded when the console
    // starts following it, can answer from before the first of them was stored.
    this.live = { conversation: null, messages: [] };
    const main = el('div', { class: 'console-main' }, bar, this.transcript.list, row, hint);
    this.reviews = new ReviewList((path) => this.coach.socket.get(path));
    const side = el('div', { class: 'console-side' }, this.inbox.view, this.reviews.view);
    container.append(el('div', { class: 'console' }, side, main, this.coach));

    this.inbox.addEventListener('select', (e) => this.open(e.detail));
    area.addEventListener('input', () => this.composerFor && this.drafts.set(this.composerFor, area.value));
    this.coach.addEventListener('tact-follow', (e) => this.followed(e.detail.id, e.detail.previous));
    this.coach.addEventListener('tact-conversation', (e) => this.load(e.detail.id, e.detail.conversation));
    this.coach.addEventListener('tact-frame', (e) => this.frame(e.detail));
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden && this.coach.conversationId) this.inbox.select(this.coach.conversationId);
      this.badge();
    });
    setInterval(() => this.inbox.tick(), 1000);
  }

  open(id) {
    this.coach.setAttribute('conversation', id);
  }

  // The panel follows another conversation: the composer's reply stays with the one it was
  // typed in, and the new one's saved reply comes back.
  followed(id, previous) {
    void previous; // the composer's text belongs to composerFor, which was followed until now
    if (this.composerFor) this.drafts.set(this.composerFor, this.area.value);
    this.composerFor = id;
    this.area.value = this.drafts.get(id);
    this.area.dispatchEvent(new Event('input', { bubbles: true }));
    this.inbox.select(id);
    this.heading.textContent = this.inbox.nameOf(id);
    this.resolveButton.hidden = false;
    this.transcript.clear();
    this.badge();
  }

  send(text) {
    const conversation = this.composerFor;
    if (!conversation) return false;
    const id = this.coach.send(text, conversation);
    if (id === null) return false;
    this.pending.set(id, { conversation, text });
    this.drafts.set(conversation, '');
    this.transcript.add({ key: id, text, from: 'You', mine: true, state: 'pending' });
    return true;
  }

  resolve() {
    const id = this.coach.conversationId;
    if (!id) return;
    if (!window.confirm(`Resolve the conversation with ${this.inbox.nameOf(id)}? It closes for the customer too.`)) return;
    this.coach.closeConversation(id);
  }

  async refresh() {
    try {
      const { conversations } = await this.coach.socket.get('/api/conversations');
      const open = (conversations ?? []).filter((c) => c.open);
      for (const row of open) this.inbox.fromStored(row.id, row);
      this.inbox.render();
      await Promise.all(open.map(async (row) => {
        try {
          this.inbox.fromStored(row.id, await this.coach.socket.get(`/api/conversations/${encodeURIComponent(row.id)}`));
        } catch {
          /* the list row is enough */
        }
      }));
    } catch {
      /* offline: the frames fill the inbox */
    }
    this.renderHeading();
    this.inbox.render();
  }

  frame(f) {
    const current = this.coach.conversationId;
    switch (f.type) {
      case 'hello':
        for (const id of [...this.inbox.items.keys()]) if (!(f.conversations ?? []).includes(id)) this.inbox.remove(id);
        for (const id of f.conversations ?? []) this.inbox.item(id);
        this.refresh();
        break;
      case 'assigned':
        this.inbox.item(f.conversation).name ||= f.customer ?? '';
        break;
      case 'closed':
        this.reviews.closed(f.conversation, this.inbox.items.get(f.conversation)?.name ?? '');
        this.inbox.remove(f.conversation);
        this.drafts.set(f.conversation, '');
        if (f.conversation === current) {
          this.transcript.note('Conversation resolved.');
          this.resolveButton.hidden = true;
          const next = this.inbox.sorted()[0];
          if (next) this.open(next.id);
          else this.coach.removeAttribute('conversation'); // the next customer is followed when they come
        }
        break;
      case 'message':
        this.inbox.message(f, { background: f.conversation !== current || document.hidden });
        if (f.conversation === current) {
          if (this.live.conversation !== f.conversation) this.live = { conversation: f.conversation, messages: [] };
          this.live.messages.push(f);
          this.addMessage(f);
        }
        if (f.role === 'customer' && (f.conversation !== current || document.hidden)) this.ding();
        break;
      case 'coach':
        this.inbox.coach(f.conversation, f);
        break;
      case 'ack': {
        const p = this.pending.get(f.client_id);
        if (!p) return;
        this.pending.delete(f.client_id);
        if (p.conversation !== current) break;
        this.transcript.rekey(f.client_id, f.id);
        if (!this.live.messages.some((m) => m.id === f.id)) this.transcript.add({ key: f.id, text: p.text, from: 'You', at: Date.now(), mine: true });
        break;
      }
      case 'error': {
        const p = this.pending.get(f.ref);
        if (p) {
          this.pending.delete(f.ref);
          this.transcript.add({ key: f.ref, text: p.text, from: 'You', mine: true, state: 'failed', why: f.message ?? f.code });
        } else if (f.ref !== 'draft' && f.ref !== 'feedback') this.transcript.note(`Not sent: ${f.message ?? f.code}`); // a refused feedback: said on its flag
        break;
      }
      default:
        return;
    }
    this.renderHeading();
    this.inbox.render();
    this.badge();
  }

  renderHeading() {
    const id = this.coach.conversationId;
    if (id) this.heading.textContent = this.inbox.nameOf(id);
  }

  // "(3) Tact — agent console": customer messages not yet seen.
  badge() {
    const n = this.inbox.unreadTotal();
    document.title = n ? `(${n}) ${this.title}` : this.title;
  }

  // An optional short tone (the page's "sound" switch sets this.sound).
  ding() {
    if (!this.sound) return;
    try {
      const ctx = (this.audio ??= new AudioContext());
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      gain.gain.value = 0.05;
      osc.frequency.value = 880;
      osc.connect(gain).connect(ctx.destination);
      osc.start();
      osc.stop(ctx.currentTime + 0.12);
    } catch {
      /* no audio */
    }
  }

  addMessage(m) {
    const mine = m.role === 'agent';
    let pendingKey = null;
    for (const [cid, p] of mine ? this.pending : []) {
      if (p.conversation === m.conversation && p.text === m.text) {
        pendingKey = cid;
        break;
      }
    }
    // A message posted through the HTTP API by this agent's platform may carry the caller's
    // name on the customer's side: the customer's name is shown instead.
    const theirs = m.from && m.from !== this.myName ? m.from : this.inbox.items.get(m.conversation)?.name || 'Customer';
    this.transcript.add({ key: m.id, pendingKey, text: m.text, from: mine ? m.from || 'You' : theirs, at: m.at, mine });
  }

  load(id, stored) {
    this.transcript.clear();
    if (stored) this.inbox.fromStored(id, stored);
    const messages = stored?.messages ?? [];
    for (const m of messages) this.addMessage({ ...m, conversation: id });
    const last = messages.reduce((seq, m) => Math.max(seq, m.seq ?? 0), 0);
    if (this.live.conversation === id) {
      this.live.messages = this.live.messages.filter((m) => m.seq > last);
      for (const m of this.live.messages) this.addMessage(m);
    }
    for (const [cid, p] of this.pending) {
      if (p.conversation === id) this.transcript.add({ key: cid, text: p.text, from: 'You', mine: true, state: 'pending' });
    }
    if (stored?.open === false) this.transcript.note('This conversation is closed.');
    this.renderHeading();
    this.inbox.render();
  }
}
