// The customer's chat window of the demo: one conversation, its transcript kept across a reload
// (GET /api/conversations/{id} with the customer's own token), messages "sending…" until stored.
import { TactSocket, clientId } from './client.js';
import { el } from './dom.js';
import { RatingPrompt } from './rating-prompt.js';
import { Transcript, composerRow } from './transcript.js';

export class CustomerChat extends EventTarget {
  constructor(container, { server = '', token }) {
    super();
    this.conversation = null;
    this.lastSeq = new Map(); // conversation -> the highest seq shown: a reconnect asks only for what came after
    this.pending = new Map(); // client_id -> text
    this.transcript = new Transcript('Customer chat messages');
    this.socket = new TactSocket(server, token);
    const { row, area } = composerRow('customer-composer', 'Write to support…', (text) => this.send(text),
      (text) => this.socket.frameBytes({ type: 'message', text, client_id: 'c0000000000-000' }) - this.socket.maxMessage);
    this.area = area;
    this.status = el('p', { class: 'chat-status', role: 'status', 'aria-live': 'polite', hidden: true });
    container.append(this.transcript.list, this.status, row);
    this.container = container;
    this.composer = row;
    this.rating = null; // the rating prompt of the conversation just closed
    this.socket.addEventListener('status', (e) => this.showStatus(e.detail));
    this.transcript.note('Say what went wrong — the agent on the right gets coached live.');
    this.socket.addEventListener('hello', (e) => {
      this.name = e.detail.name;
      this.conversation = e.detail.conversations?.[0] ?? null;
      if (this.conversation) this.restore(this.conversation);
    });
    this.socket.addEventListener('ack', (e) => {
      const f = e.detail;
      if (!this.pending.has(f.client_id)) return;
      this.conversation = f.conversation;
      this.pending.delete(f.client_id);
      this.transcript.rekey(f.client_id, f.id);
      this.dispatchEvent(new CustomEvent('ack', { detail: f }));
    });
    this.socket.addEventListener('message', (e) => this.show(e.detail));
    this.socket.addEventListener('closed', (e) => {
      if (e.detail.conversation === this.conversation) {
        this.conversation = null;
        this.transcript.note('The agent closed this conversation. Write again to open a new one.');
        this.askRating(e.detail.conversation);
      }
      this.dispatchEvent(new CustomEvent('closed', { detail: e.detail }));
    });
    this.socket.addEventListener('rated', (e) => this.rating?.conversation === e.detail.conversation && this.rating.rated(e.detail));
    this.socket.addEventListener('error', (e) => {
      const f = e.detail;
      if (f.ref === 'rating' && this.rating) return this.rating.refused(f);
      const text = this.pending.get(f.ref);
      if (text !== undefined) {
        this.pending.delete(f.ref);
        this.transcript.add({ key: f.ref, text, from: 'You', mine: true, state: 'failed', why: f.message ?? f.code });
      } else this.transcript.note(`Not sent: ${f.message ?? f.code}`);
    });
    this.socket.connect();
  }

  // The one-tap rating of the conversation the agent just closed, above the composer; a new
  // message starts a new conversation and puts the prompt away.
  askRating(conversation) {
    this.rating?.view.remove();
    this.rating = new RatingPrompt(conversation, (frame) => this.socket.send(frame));
    this.container.insertBefore(this.rating.view, this.composer);
    this.addEventListener('ack', () => {
      this.rating?.view.remove();
      this.rating = null;
    }, { once: true });
  }

  showStatus(status) {
    const words = {
      offline: 'Offline — reconnecting… what you write is kept and sent once the chat is back.',
      refused: 'This chat link is not valid any more: open the chat again from the website.',
      expired: 'This chat session expired: open the chat again from the website.',
    }[status];
    this.status.hidden = !words;
    this.status.textContent = words ?? '';
  }

  show(m) {
    this.conversation = m.conversation ?? this.conversation;
    if (Number.isInteger(m.seq) && m.seq > (this.lastSeq.get(this.conversation) ?? 0)) this.lastSeq.set(this.conversation, m.seq);
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
  }

  // A customer who reloads sees their open conversation again (needs the server's customer
  // transcript route; an older server answers 401 and the chat starts empty, as before).
  async restore(id) {
    try {
      const after = this.lastSeq.get(id) ?? 0;
      const stored = await this.socket.get(`/api/conversations/${encodeURIComponent(id)}?after=${after}`);
      for (const m of stored.messages ?? []) if (!this.transcript.has(m.id)) this.show({ ...m, conversation: id });
    } catch {
      /* not available: live messages only */
    }
  }

  // Sends a customer message: a promise of its ack, or false when it is too big to send.
  send(text) {
    const id = clientId('c');
    if (!this.socket.send({ type: 'message', text, client_id: id })) return false;
    this.pending.set(id, text);
    this.transcript.add({ key: id, text, from: 'You', mine: true, state: 'pending' });
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
