// The two chat windows of the demo: the customer's chat and an agent console that embeds
// <tact-coach>. The console uses the panel's own connection (send(), tact-frame events),
// as a host console could; a host with its own chat only needs the <tact-coach> tag.
import { TactSocket, clientId } from './client.js';
import '../tact-coach.js';

function el(tag, props = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (k === 'class') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k.startsWith('aria-') || k.startsWith('data-') || k === 'role' || k === 'for') e.setAttribute(k, v);
    else e[k] = v;
  }
  e.append(...children);
  return e;
}

function time(at) {
  return new Date(at ?? Date.now()).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

// A transcript <ol>: add(message, mine) keeps messages in seq order and replaces pending ones.
class Transcript {
  constructor(label) {
    this.list = el('ol', { class: 'transcript', role: 'log', 'aria-label': label, 'aria-live': 'polite' });
    this.byKey = new Map();
  }
  clear() {
    this.list.textContent = '';
    this.byKey.clear();
  }
  add({ key, pendingKey, text, from, at, mine, pending }) {
    let item = (pendingKey && this.byKey.get(pendingKey)) || this.byKey.get(key);
    if (!item) {
      item = el('li');
      this.list.append(item);
    }
    if (pendingKey) this.byKey.delete(pendingKey);
    this.byKey.set(key, item);
    item.className = `bubble ${mine ? 'mine' : 'theirs'}${pending ? ' pending' : ''}`;
    item.dataset.key = key;
    item.textContent = '';
    item.append(el('span', { class: 'meta', text: `${from || (mine ? 'You' : '')} · ${pending ? 'sending…' : time(at)}` }), text);
    this.list.scrollTop = this.list.scrollHeight;
    return item;
  }
  note(text) {
    this.list.append(el('li', { class: 'bubble system', text }));
    this.list.scrollTop = this.list.scrollHeight;
  }
}

function composerRow(id, label, onSend) {
  const area = el('textarea', { id, rows: 2, placeholder: label, 'aria-label': label });
  const button = el('button', { class: 'btn', type: 'button', text: 'Send' });
  const send = () => {
    const text = area.value;
    if (!text.trim()) return;
    if (onSend(text) !== false) {
      area.value = '';
      area.dispatchEvent(new Event('input', { bubbles: true }));
    }
    area.focus();
  };
  button.addEventListener('click', send);
  area.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.altKey && !e.isComposing) {
      e.preventDefault();
      send();
    }
  });
  return { row: el('div', { class: 'composer' }, area, button), area, button };
}

// The customer's chat window.
export class CustomerChat extends EventTarget {
  constructor(container, { server = '', token }) {
    super();
    this.conversation = null;
    this.pending = new Map(); // client_id -> text
    this.transcript = new Transcript('Customer chat messages');
    const { row, area } = composerRow('customer-composer', 'Write to support…', (text) => this.send(text));
    this.area = area;
    container.append(this.transcript.list, row);
    this.transcript.note('Say what went wrong — the agent on the right gets coached live.');
    this.socket = new TactSocket(server, token);
    this.socket.addEventListener('hello', (e) => {
      this.name = e.detail.name;
      this.conversation = e.detail.conversations?.[0] ?? null;
    });
    this.socket.addEventListener('ack', (e) => {
      const f = e.detail;
      if (!this.pending.has(f.client_id)) return;
      this.conversation = f.conversation;
      this.dispatchEvent(new CustomEvent('ack', { detail: f }));
    });
    this.socket.addEventListener('message', (e) => {
      const m = e.detail;
      this.conversation = m.conversation;
      const mine = m.role === 'customer';
      let pendingKey = null;
      if (mine) {
        for (const [cid, text] of this.pending) {
          if (text === m.text) {
            pendingKey = cid;
            this.pending.delete(cid);
            break;
          }
        }
      }
      this.transcript.add({ key: m.id, pendingKey, text: m.text, from: mine ? 'You' : m.from || 'Support', at: m.at, mine });
    });
    this.socket.addEventListener('closed', (e) => {
      if (e.detail.conversation === this.conversation) {
        this.conversation = null;
        this.transcript.note('The agent closed this conversation. Write again to open a new one.');
      }
      this.dispatchEvent(new CustomEvent('closed', { detail: e.detail }));
    });
    this.socket.addEventListener('error', (e) => this.transcript.note(`Not sent: ${e.detail.message ?? e.detail.code}`));
    this.socket.connect();
  }

  // Sends a customer message; resolves with the ack.
  send(text) {
    const id = clientId('c');
    this.pending.set(id, text);
    this.transcript.add({ key: id, text, from: 'You', mine: true, pending: true });
    this.socket.send({ type: 'message', text, client_id: id });
    return new Promise((resolve) => {
      const on = (e) => {
        if (e.detail.client_id !== id) return;
        this.removeEventListener('ack', on);
        resolve(e.detail);
      };
      this.addEventListener('ack', on);
    });
  }
}

// The agent console: conversation tabs, the transcript, a composer, and <tact-coach> docked
// at 320 px on its right.
export class AgentConsole {
  constructor(container, { server = '', token }) {
    this.tabs = el('div', { class: 'tabs', role: 'tablist', 'aria-label': 'Your open conversations' });
    this.transcript = new Transcript('Conversation with the customer');
    const { row, area } = composerRow('agent-composer', 'Reply to the customer…', (text) => this.coach.send(text) !== null);
    this.area = area;
    const hint = el('p', { class: 'hint', text: 'Enter sends · Alt+1…3 inserts a suggestion · Tab reaches the coach' });
    this.coach = el('tact-coach', { 'aria-label': 'Coach' });
    if (server) this.coach.setAttribute('server', server);
    this.coach.setAttribute('token', token);
    this.coach.setAttribute('composer', '#agent-composer');
    this.open = [];
    // The live messages of the followed conversation: its transcript, loaded when the console
    // starts following it, can answer from before the first of them was stored.
    this.live = { conversation: null, messages: [] };
    const main = el('div', { class: 'console-main' }, this.tabs, this.transcript.list, row, hint);
    container.append(el('div', { class: 'console' }, main, this.coach));
    this.renderTabs();

    this.coach.addEventListener('tact-conversation', (e) => this.load(e.detail.id, e.detail.conversation));
    this.coach.addEventListener('tact-frame', (e) => this.frame(e.detail));
  }

  frame(f) {
    if (f.type === 'hello') this.open = [...(f.conversations ?? [])];
    else if (f.type === 'assigned' && !this.open.includes(f.conversation)) this.open.push(f.conversation);
    else if (f.type === 'closed') {
      this.open = this.open.filter((c) => c !== f.conversation);
      if (f.conversation === this.coach.conversationId) this.transcript.note('Conversation closed.');
    } else if (f.type === 'message' && f.conversation === this.coach.conversationId) {
      if (this.live.conversation !== f.conversation) this.live = { conversation: f.conversation, messages: [] };
      this.live.messages.push(f);
      this.addMessage(f);
    } else if (f.type === 'message' && !this.open.includes(f.conversation)) this.open.push(f.conversation);
    else if (f.type === 'error') this.transcript.note(`Not sent: ${f.message ?? f.code}`);
    this.renderTabs();
  }

  addMessage(m) {
    this.transcript.add({ key: m.id, text: m.text, from: m.role === 'agent' ? m.from || 'You' : m.from || 'Customer', at: m.at, mine: m.role === 'agent' });
  }

  load(id, stored) {
    this.transcript.clear();
    if (!this.open.includes(id)) this.open.push(id);
    const messages = stored?.messages ?? [];
    for (const m of messages) this.addMessage(m);
    const last = messages.reduce((seq, m) => Math.max(seq, m.seq ?? 0), 0);
    if (this.live.conversation === id) {
      this.live.messages = this.live.messages.filter((m) => m.seq > last);
      for (const m of this.live.messages) this.addMessage(m);
    }
    this.renderTabs();
  }

  renderTabs() {
    this.tabs.textContent = '';
    if (!this.open.length) {
      this.tabs.append(el('span', { class: 'none', text: 'Waiting for a customer…' }));
      return;
    }
    for (const id of this.open) {
      const selected = id === this.coach.conversationId;
      const b = el('button', { type: 'button', role: 'tab', text: this.coach.names?.get(id) || id, 'aria-selected': String(selected) });
      b.dataset.conversation = id;
      b.addEventListener('click', () => this.coach.setAttribute('conversation', id));
      this.tabs.append(b);
    }
  }
}
