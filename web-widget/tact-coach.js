// <tact-coach>: the Tact agent panel, a plain custom element (no framework, no build step).
//
//   <script type="module" src="https://tact.example.com/tact-coach.js"></script>
//   <tact-coach server="https://tact.example.com" token="AGENT_JWT" composer="#reply"></tact-coach>
//
// Attributes
//   server        the gateway's base URL (http(s):// or ws(s)://); default: this page's origin
//   token         the agent's JWT (role "agent")
//   conversation  the open conversation's id; without it the panel follows the newest one assigned
//   composer      CSS selector of the host page's reply textarea/input: the panel checks what is
//                 typed there (debounced `draft` frames) and fills it when a suggestion is inserted
//
// Events (bubbling, composed)
//   tact-insert        {text, step}: a suggestion was chosen; cancel it (preventDefault) to keep
//                      the composer untouched
//   tact-frame         every frame from the gateway (detail: the frame)
//   tact-conversation  {id, conversation}: the panel now follows `id` (conversation: its stored
//                      transcript from GET /api/conversations/{id}, or null)
//   tact-follow        {id, previous}: sent at once when the followed conversation changes (before
//                      its transcript loads): a host keeps its composer's text per conversation
//   tact-status        {status}: 'connecting' | 'open' | 'offline' (cannot reach the server,
//                      retrying) | 'refused' (the server refused the token) | 'expired' (the
//                      token's time is up: sign in again) | 'closed'
//
// The panel follows the newest conversation assigned only while it follows none (or a closed
// one): a new customer never pulls the agent away from the conversation they are writing in.
//
// Learning loop (issue 22): each flag on the agent's last message has a "Not right" button (a
// `feedback` dispute frame, with an optional reason); a suggestion inserted into the composer
// is reported `used` or `edited` once the message that carried it is acknowledged; while a
// complaint's cause is known, the team's newest lessons for it (GET /api/lessons?cause=) show.
//
// Methods: send(text, conversation?) sends an agent message to the followed (or the given)
// conversation (returns its client_id, or null: no conversation, or over the server's size
// limit, reported by a tact-frame error "too_large"); maxTextBytes(text) the room left;
// closeConversation(id?); insertSuggestion(i).
import { TactSocket, clientId, formatDuration, kindLabel, renderHighlighted, seqOf, stepLabel } from './lib/client.js';
import { STYLE, TEMPLATE } from './lib/coach-template.js';
import { disputeView, renderLessons } from './lib/coach-learning.js';
import { SuggestionTracker, disputeFrame, feedbackErrorText, flagKey } from './lib/feedback.js';
import { lessonsFor } from './lib/lessons.js';

const DRAFT_DEBOUNCE_MS = 300;
const STATUS_WORDS = {
  open: 'live',
  connecting: 'connecting…',
  offline: 'offline — reconnecting…',
  refused: 'token refused — sign in again',
  expired: 'session expired — sign in again',
  closed: 'disconnected',
};

function flagTitle(spans) {
  return spans.map((s) => kindLabel(s.kind)).join(', ');
}

export class TactCoach extends HTMLElement {
  static get observedAttributes() {
    return ['server', 'token', 'conversation', 'composer'];
  }

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    root.innerHTML = `<style>${STYLE}</style>${TEMPLATE}`;
    this.$ = (sel) => root.querySelector(sel);
    this.socket = null;
    this.conversationId = null;
    this.open = [];          // open conversations assigned to this agent, oldest first
    this.names = new Map();  // conversation -> customer name
    this._reset();
    this._draftTimer = null;
    this._draftQueue = [];   // texts of the drafts sent, in order, waiting for draft_check
    this._lastDraftSent = null;
    this._tick = null;
    this.tracker = new SuggestionTracker();
    this.disputes = new Map();     // flagKey -> {state: 'open'|'sending'|'done'|'failed', reason, why}
    this._feedbackQueue = [];      // feedback frames sent, waiting for their answer: flagKey or null
    this.lessonCache = new Map();  // conversation + cause id -> lessons ('loading' while asked)
    this._onInput = (e) => this._composerInput(e);
    this._onKey = (e) => this._composerKey(e);
  }

  _reset() {
    this.state = {
      maxSeq: 0,
      coach: null,          // the latest coach event
      coachSeq: 0,
      texts: new Map(),     // message id -> text
      lastAgent: null,      // {seq, text, flags}
      whispers: new Map(),
      waitingSince: null,   // local ms when the customer started waiting
      closed: false,
    };
  }

  connectedCallback() {
    this.ownerDocument.addEventListener('input', this._onInput, true);
    this.ownerDocument.addEventListener('keydown', this._onKey, true);
    this._tick = setInterval(() => this._renderTimer(), 1000);
    this._connect();
  }

  disconnectedCallback() {
    this.ownerDocument.removeEventListener('input', this._onInput, true);
    this.ownerDocument.removeEventListener('keydown', this._onKey, true);
    clearInterval(this._tick);
    if (this.socket) this.socket.close();
    this.socket = null;
  }

  attributeChangedCallback(name, oldValue, value) {
    if (oldValue === value || !this.isConnected) return;
    if (name === 'server' || name === 'token') this._connect();
    else if (name === 'conversation') {
      if (value) this._follow(value);
      else if (this.open.length) this._follow(this.open[this.open.length - 1]);
    }
  }

  // --- the connection ---------------------------------------------------------------------

  _connect() {
    if (this.socket) this.socket.close();
    this.socket = null;
    const token = this.getAttribute('token');
    if (!token) {
      this._status('refused', 'no token');
      return;
    }
    const socket = new TactSocket(this.getAttribute('server') || '', token);
    this.socket = socket;
    socket.addEventListener('status', (e) => {
      this._status(e.detail);
      this._emit('tact-status', { status: e.detail });
    });
    socket.addEventListener('frame', (e) => this._frame(e.detail));
    socket.connect();
  }

  _status(status, text) {
    const el = this.$('.status');
    el.dataset.status = status;
    el.textContent = text ?? STATUS_WORDS[status] ?? status;
  }

  _emit(type, detail, cancelable = false) {
    const ev = new CustomEvent(type, { detail, bubbles: true, composed: true, cancelable });
    return this.dispatchEvent(ev);
  }

  _frame(f) {
    this._emit('tact-frame', f);
    switch (f.type) {
      case 'hello':
        this.open = Array.isArray(f.conversations) ? [...f.conversations] : [];
        // After a reconnect the panel stays with the conversation it followed, if still open.
        if (this.getAttribute('conversation')) this._follow(this.getAttribute('conversation'), true);
        else if (this.conversationId && this.open.includes(this.conversationId)) this._follow(this.conversationId, true);
        else if (this.open.length) this._follow(this.open[this.open.length - 1], true);
        break;
      case 'assigned':
        if (!this.open.includes(f.conversation)) this.open.push(f.conversation);
        if (f.customer) this.names.set(f.conversation, f.customer);
        if (this._mayAutoFollow()) this._follow(f.conversation);
        break;
      case 'closed':
        this.open = this.open.filter((c) => c !== f.conversation);
        if (f.conversation === this.conversationId) {
          this.state.closed = true;
          this.state.waitingSince = null;
          this._render();
        }
        break;
      case 'message':
        if (f.conversation === this.conversationId) this._message(f);
        else if (!this.open.includes(f.conversation) && f.role === 'customer') {
          // A conversation we were not told about (e.g. opened through the HTTP API).
          this.open.push(f.conversation);
          if (this._mayAutoFollow()) this._follow(f.conversation);
        }
        break;
      case 'coach':
        if (f.conversation === this.conversationId) this._coach(f, Date.now());
        break;
      case 'draft_check':
        this._draftCheck(f);
        break;
      case 'ack': {
        const feedback = this.tracker.acked(f.client_id);
        if (feedback && this.socket?.send(feedback)) this._feedbackQueue.push(null);
        break;
      }
      case 'feedback_noted':
        this._feedbackNoted(f);
        break;
      case 'error':
        if (f.ref === 'feedback') this._feedbackRefused(f);
        else if (typeof f.ref === 'string') this.tracker.refused(f.ref);
        break;
      case 'whisper':
        if (f.conversation === this.conversationId) {
          this.state.whispers.set(f.id ?? `${f.at}-${f.text}`, f);
          this._renderWhispers();
        }
        break;
      default:
        break;
    }
  }

  // --- following a conversation -------------------------------------------------------------

  // Only while no open conversation is followed, and no host chose one.
  _mayAutoFollow() {
    if (this.getAttribute('conversation')) return false;
    return !this.conversationId || this.state.closed || !this.open.includes(this.conversationId);
  }

  async _follow(id, force = false) {
    if (!id || (id === this.conversationId && !force)) return;
    const changed = id !== this.conversationId;
    const previous = this.conversationId;
    this.conversationId = id;
    if (changed) this._emit('tact-follow', { id, previous });
    if (changed) {
      this._reset();
      this._draftQueue = [];
      this._lastDraftSent = null;
      this._clearDraft();
      this.tracker.forget();
    }
    this._render();
    let stored = null;
    try {
      stored = await this.socket.get(`/api/conversations/${encodeURIComponent(id)}`);
    } catch {
      stored = null;
    }
    if (this.conversationId !== id) return;
    if (stored) {
      if (stored.customer) this.names.set(id, stored.customer);
      if (stored.open === false) this.state.closed = true;
      const messages = Array.isArray(stored.messages) ? stored.messages : [];
      for (const m of messages) {
        if (m.seq <= this.state.maxSeq) continue;
        this._message({ ...m, conversation: id }, true);
        if (m.coach) this._coach({ ...m.coach, conversation: id, message_id: m.coach.message_id ?? m.id }, null);
      }
      // Who is waiting, and since when (the stored coach's waiting_ms is as of its message).
      let oldestUnanswered = null;
      for (const m of messages) {
        if (m.role === 'agent') oldestUnanswered = null;
        else if (m.role === 'customer' && oldestUnanswered === null) oldestUnanswered = m.at;
      }
      if (this.state.coachSeq <= (messages.at(-1)?.seq ?? 0)) {
        this.state.waitingSince = oldestUnanswered && !this.state.closed ? Math.min(Date.now(), oldestUnanswered) : null;
      }
      for (const w of stored.whispers ?? []) this.state.whispers.set(w.id ?? `${w.at}-${w.text}`, w);
    }
    this._render();
    this._emit('tact-conversation', { id, conversation: stored });
  }

  _message(m, fromStore = false) {
    const seq = m.seq ?? seqOf(m.id);
    this.state.texts.set(m.id, m.text);
    if (seq > this.state.maxSeq) this.state.maxSeq = seq;
    if (m.role === 'customer' && !fromStore && this.state.waitingSince === null) this.state.waitingSince = Date.now();
    if (m.role === 'agent') {
      if (!fromStore) this.state.waitingSince = null;
      if (!this.state.lastAgent || seq >= this.state.lastAgent.seq) {
        const flags = this.state.lastAgent?.seq === seq ? this.state.lastAgent.flags : null;
        this.state.lastAgent = { seq, id: m.id, text: m.text, flags };
      }
      // The agent sent: the draft is gone once the composer is empty.
      const composer = this._composer();
      if (!composer || !composer.value.trim()) this._clearDraft();
    }
    if (!fromStore) this._render();
  }

  // receivedAt: local time the event arrived (null for stored coaching).
  _coach(c, receivedAt) {
    const seq = seqOf(c.message_id);
    if (seq >= this.state.coachSeq) {
      this.state.coach = c;
      this.state.coachSeq = seq;
      if (receivedAt !== null) {
        const waiting = typeof c.waiting_ms === 'number' ? c.waiting_ms : 0;
        this.state.waitingSince = c.role === 'customer' || waiting > 0 ? receivedAt - waiting : null;
      }
      if (c.details?.name) this.names.set(this.conversationId, c.details.name);
    }
    if (c.role === 'agent') {
      const text = this.state.texts.get(c.message_id);
      if (!this.state.lastAgent || seq >= this.state.lastAgent.seq) {
        this.state.lastAgent = { seq, id: c.message_id, text: text ?? this.state.lastAgent?.text ?? '', flags: c.flags ?? [] };
      }
    }
    if (receivedAt !== null) this._render();
  }

  // --- the composer -------------------------------------------------------------------------

  _composer() {
    const sel = this.getAttribute('composer');
    if (!sel) return null;
    try {
      return this.ownerDocument.querySelector(sel);
    } catch {
      return null;
    }
  }

  _isComposer(target) {
    const sel = this.getAttribute('composer');
    if (!sel || !(target instanceof Element)) return false;
    try {
      return target.matches(sel);
    } catch {
      return false;
    }
  }

  _composerInput(e) {
    if (!this._isComposer(e.target)) return;
    if (!(e.target.value ?? '').trim()) this.tracker.forget(); // cleared: no suggestion in it now
    clearTimeout(this._draftTimer);
    this._draftTimer = setTimeout(() => this._sendDraft(e.target.value ?? ''), DRAFT_DEBOUNCE_MS);
  }

  // Alt+1..3 in the composer inserts suggestion 1..3. The physical key (e.code) counts, not the
  // character: macOS Option+1 types "¡".
  _composerKey(e) {
    if (!e.altKey || e.ctrlKey || e.metaKey || !this._isComposer(e.target)) return;
    const m = /^(?:Digit|Numpad)([1-3])$/.exec(e.code ?? '');
    const n = m ? Number(m[1]) : 0;
    if (n >= 1 && n <= 3 && this._suggestions()[n - 1]) {
      e.preventDefault();
      this.insertSuggestion(n - 1);
    }
  }

  _sendDraft(text) {
    if (!this.socket || !this.conversationId || this.state.closed) return;
    if (text === this._lastDraftSent) return;
    if (this.overLimit(text) > 0) return; // too long to send: the host's composer says so
    this._lastDraftSent = text;
    if (!text.trim()) {
      this._draftQueue = [];
      this._clearDraft();
      if (text === '') this.socket.send({ type: 'draft', conversation: this.conversationId, text: '' });
      return;
    }
    this._draftQueue.push({ conversation: this.conversationId, text });
    this.socket.send({ type: 'draft', conversation: this.conversationId, text });
  }

  _draftCheck(f) {
    const idx = this._draftQueue.findIndex((d) => d.conversation === f.conversation);
    if (idx < 0) return;
    const [sent] = this._draftQueue.splice(0, idx + 1).slice(-1);
    if (f.conversation !== this.conversationId || this._draftQueue.length) return; // a newer one is coming
    const composer = this._composer();
    if (composer && composer.value !== sent.text) return; // typed on since
    this._renderDraft(sent.text, f.flags ?? []);
  }

  _clearDraft() {
    const box = this.$('.draft-box');
    box.hidden = true;
    this.$('.draft').textContent = '';
    this._lastDraftSent = null;
  }

  _renderDraft(text, flags) {
    const box = this.$('.draft-box');
    const el = this.$('.draft');
    el.textContent = '';
    box.hidden = false;
    if (!flags.length) {
      const ok = document.createElement('p');
      ok.className = 'ok';
      ok.textContent = '✓ Nothing to fix in your draft.';
      el.append(ok);
      return;
    }
    el.append(this._flagView(text, flags, 'draft'));
  }

  // A quote of `text` with the flagged words marked, and the list of flags.
  // With `messageId` (a sent message), each flag raised by a known rule can be disputed.
  _flagView(text, flags, label, messageId = null) {
    const frag = document.createDocumentFragment();
    const quote = document.createElement('p');
    quote.className = 'quote';
    quote.dir = 'auto';
    renderHighlighted(quote, text, flags, (spans) => ({ className: 'flag', title: flagTitle(spans) }));
    frag.append(quote);
    const list = document.createElement('ul');
    list.className = 'flags';
    list.setAttribute('aria-label', `Problems in your ${label}`);
    for (const f of flags) {
      const li = document.createElement('li');
      const kind = document.createElement('span');
      kind.className = 'flag-kind';
      kind.textContent = kindLabel(f.kind);
      li.append(kind);
      if (f.why) li.append(document.createTextNode(` — ${f.why}`));
      if (f.try_instead) {
        const t = document.createElement('span');
        t.className = 'try';
        t.textContent = `Try: “${f.try_instead}”`;
        li.append(t);
      }
      if (messageId && f.rule) {
        li.dataset.flag = flagKey(messageId, f.rule);
        li.append(this._disputeView(messageId, f));
      }
      list.append(li);
    }
    frag.append(list);
    return frag;
  }

  // --- public API ---------------------------------------------------------------------------

  send(text, conversation = this.conversationId) {
    if (!this.socket || !conversation || !text || !text.trim()) return null;
    const id = clientId('a');
    if (!this.socket.send({ type: 'message', conversation, text, client_id: id })) return null;
    this.tracker.sent(conversation, id, text);
    return id;
  }

  // Bytes of `text` over (> 0) or under (<= 0) what one message frame may carry.
  overLimit(text, conversation = this.conversationId) {
    const limit = this.socket?.maxMessage ?? 16384;
    const frame = { type: 'message', conversation: conversation ?? '', text, client_id: 'a0000000000-000' };
    return (this.socket ? this.socket.frameBytes(frame) : 0) - limit;
  }

  closeConversation(id = this.conversationId) {
    if (this.socket && id) this.socket.send({ type: 'close', conversation: id });
  }

  _suggestions() {
    if (this.state.closed) return [];
    return (this.state.coach?.suggestions ?? []).slice(0, 3);
  }

  insertSuggestion(i) {
    const s = this._suggestions()[i];
    if (!s) return false;
    const go = this._emit('tact-insert', { text: s.text, step: s.step }, true);
    if (!go) return true;
    const composer = this._composer();
    if (composer) {
      const current = composer.value ?? '';
      composer.value = current.trim() ? `${current.replace(/\s+$/, '')} ${s.text}` : s.text;
      // Remembered until the agent sends (used or edited) or clears it.
      this.tracker.inserted({ conversation: this.conversationId, message_id: this.state.coach?.message_id, template: s.template, text: s.text });
      composer.dispatchEvent(new Event('input', { bubbles: true }));
      composer.focus();
      const end = composer.value.length;
      try {
        composer.setSelectionRange(end, end);
      } catch {
        /* inputs of some types have no selection */
      }
    }
    return true;
  }

  // --- rendering ----------------------------------------------------------------------------

  _render() {
    const id = this.conversationId;
    const c = this.state.coach;
    const name = this.names.get(id) || c?.details?.name;
    const details = [];
    if (c?.details?.order) details.push(c.details.order);
    if (c?.details?.product) details.push(c.details.product);
    this.$('.customer').textContent = id ? `${name || 'Customer'}${details.length ? ' · ' + details.join(' · ') : ''}` : 'No conversation yet';
    this.$('.closed-note').hidden = !this.state.closed;
    this._renderTimer();
    this._renderWhispers();
    this._renderLessons();
    this._renderSuggestions();
    this._renderChecklist();
    this._renderLast();
  }

  _renderTimer() {
    const el = this.$('.timer');
    const since = this.state.waitingSince;
    if (since === null || this.state.closed || !this.conversationId) {
      el.hidden = true;
      return;
    }
    const ms = Date.now() - since;
    el.hidden = false;
    el.textContent = `waiting ${formatDuration(ms)}`;
    el.setAttribute('aria-label', `Customer waiting ${formatDuration(ms)}`);
    el.dataset.level = ms >= 120000 ? 'late' : ms >= 45000 ? 'warn' : '';
  }

  _renderWhispers() {
    const list = this.$('.whispers');
    const items = [...this.state.whispers.values()].sort((a, b) => (a.at ?? 0) - (b.at ?? 0));
    this.$('.whispers-box').hidden = items.length === 0;
    list.textContent = '';
    for (const w of items.slice(-3)) {
      const li = document.createElement('li');
      const from = document.createElement('span');
      from.className = 'from';
      from.textContent = `${w.from || 'Supervisor'}: `;
      const wt = document.createElement('span');
      wt.dir = 'auto';
      wt.textContent = w.text;
      li.append(from, wt);
      list.append(li);
    }
  }

  _renderSuggestions() {
    const list = this.$('.suggestions');
    const items = this._suggestions();
    // Keep the focused suggestion focused when the list is rebuilt.
    const focusedIndex = [...list.querySelectorAll('button')].indexOf(this.shadowRoot.activeElement);
    list.textContent = '';
    items.forEach((s, i) => {
      const li = document.createElement('li');
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'suggestion';
      b.dataset.step = s.step ?? '';
      b.setAttribute('aria-keyshortcuts', `Alt+${i + 1}`);
      const step = document.createElement('span');
      step.className = 'sugg-step';
      const hiddenLead = document.createElement('span');
      hiddenLead.className = 'visually-hidden';
      hiddenLead.textContent = `Insert suggestion ${i + 1}: `;
      step.append(hiddenLead, s.step ? stepLabel(s.step) : 'Reply');
      const key = document.createElement('span');
      key.className = 'key';
      key.setAttribute('aria-hidden', 'true');
      key.textContent = `Alt+${i + 1}`;
      step.append(key);
      const text = document.createElement('span');
      text.className = 'sugg-text';
      text.dir = 'auto';
      text.textContent = s.text;
      b.append(step, text);
      b.addEventListener('click', () => this.insertSuggestion(i));
      li.append(b);
      list.append(li);
    });
    this.$('.sugg-empty').hidden = items.length > 0;
    if (focusedIndex >= 0) {
      const buttons = list.querySelectorAll('button');
      (buttons[Math.min(focusedIndex, buttons.length - 1)] ?? null)?.focus();
    }
  }

  _renderChecklist() {
    const list = this.$('.checklist');
    const items = this.state.coach?.checklist ?? [];
    list.textContent = '';
    let nextShown = false;
    for (const item of items) {
      const li = document.createElement('li');
      const status = ['missing', 'done', 'spoiled'].includes(item.status) ? item.status : 'missing';
      li.className = `st-${status}`;
      li.dataset.step = item.step;
      li.dataset.status = status;
      const icon = document.createElement('span');
      icon.className = 'icon';
      icon.setAttribute('aria-hidden', 'true');
      icon.textContent = { missing: '', done: '✓', spoiled: '✕' }[status];
      const head = document.createElement('span');
      const step = document.createElement('span');
      step.className = 'step';
      step.textContent = stepLabel(item.step);
      const state = document.createElement('span');
      state.className = 'state';
      state.textContent = status;
      head.append(step, state);
      li.append(icon, head);
      if (status === 'missing' && !nextShown) {
        nextShown = true;
        const next = document.createElement('span');
        next.className = 'next';
        next.textContent = 'next';
        head.append(next);
        li.classList.add('is-next');
      }
      if (item.why) {
        // The why of the next step and of spoiled ones is shown; the others' is for screen readers.
        const why = document.createElement('span');
        why.className = status === 'spoiled' || li.classList.contains('is-next') ? 'why' : 'why visually-hidden';
        why.textContent = item.why;
        li.append(why);
        li.title = item.why;
      }
      list.append(li);
    }
    this.$('.play-empty').hidden = items.length > 0;
  }

  // --- the learning loop (issue 22) --------------------------------------------------------

  _disputeView(messageId, f) {
    const key = flagKey(messageId, f.rule);
    const set = (d) => {
      this.disputes.set(key, d);
      this._renderLast({ open: 'reason', sending: 'done', done: 'done' }[d.state] ?? 'open', key, true);
    };
    return disputeView(this.disputes.get(key), kindLabel(f.kind), {
      open: () => set({ state: 'open', reason: this.disputes.get(key)?.reason ?? '' }),
      reason: (text) => (this.disputes.get(key).reason = text),
      cancel: () => {
        this.disputes.delete(key);
        this._renderLast('open', key, true);
      },
      send: (reason) => {
        const frame = disputeFrame({ conversation: this.conversationId, messageId, rule: f.rule, reason });
        if (!this.socket?.send(frame)) return set({ state: 'failed', reason, why: 'the server cannot be reached' });
        this._feedbackQueue.push(key);
        set({ state: 'sending', reason });
      },
    });
  }

  _feedbackNoted(f) {
    const key = f.kind === 'dispute' ? flagKey(f.message_id, f.rule) : null;
    const i = this._feedbackQueue.indexOf(key);
    if (i >= 0) this._feedbackQueue.splice(i, 1);
    if (key && this.disputes.has(key)) {
      this.disputes.set(key, { state: 'done' });
      this._renderLast('done', key);
    }
  }

  // The server answers in order: the refusal is the oldest frame's still waiting.
  _feedbackRefused(f) {
    const key = this._feedbackQueue.shift();
    if (!key || !this.disputes.has(key)) return;
    this.disputes.set(key, { ...this.disputes.get(key), state: 'failed', why: feedbackErrorText(f) });
    this._renderLast('open', key);
  }

  _renderLessons() {
    const box = this.$('.lesson-box');
    const cause = this.state.closed ? null : this.state.coach?.cause;
    const id = this.conversationId;
    if (!cause?.id || !id) {
      box.hidden = true;
      return;
    }
    const key = `${id}\n${cause.id}`;
    const got = this.lessonCache.get(key);
    if (got === undefined && this.socket) this._fetchLessons(key, cause.id, id);
    renderLessons(box, cause, Array.isArray(got) ? lessonsFor(got, cause.id) : []);
  }

  // Once per cause per conversation (a failure too: the panel works without lessons).
  async _fetchLessons(key, causeId, conversation) {
    this.lessonCache.set(key, 'loading');
    let lessons = [];
    try {
      lessons = (await this.socket.get(`/api/lessons?cause=${encodeURIComponent(causeId)}`)).lessons ?? [];
    } catch {
      lessons = [];
    }
    this.lessonCache.set(key, Array.isArray(lessons) ? lessons : []);
    if (this.conversationId === conversation) this._renderLessons();
  }

  // Rebuilds the last message's box. focus: the data-focus of the element of flag `focusKey` to
  // focus afterwards: always after the agent's own action (`force`), else only when the focus
  // was on that flag already (a server's answer never steals it). Without them, whatever had the
  // focus in the box keeps it.
  _renderLast(focus = null, focusKey = null, force = false) {
    const active = this.shadowRoot.activeElement;
    const had = active && this.$('.last').contains(active)
      ? { focus: active.dataset.focus, key: active.closest('[data-flag]')?.dataset.flag, caret: active.selectionStart ?? null } : null;
    this._buildLast();
    const want = focus && focusKey && (force || had?.key === focusKey) ? { focus, key: focusKey } : had;
    if (!want?.focus || !want.key) return;
    const item = [...this.$('.last').querySelectorAll('[data-flag]')].find((li) => li.dataset.flag === want.key);
    const target = item?.querySelector(`[data-focus="${want.focus}"]`);
    target?.focus();
    if (target?.tagName === 'INPUT') {
      const at = want === had && had.caret !== null ? had.caret : target.value.length; // typing goes on where it was
      target.setSelectionRange(at, at);
    }
  }

  _buildLast() {
    const el = this.$('.last');
    const last = this.state.lastAgent;
    el.textContent = '';
    this.$('.last-box').hidden = !last;
    if (!last) {
      const p = document.createElement('p');
      p.className = 'empty';
      p.textContent = 'Nothing sent yet.';
      el.append(p);
      return;
    }
    const flags = last.flags ?? [];
    if (!flags.length) {
      const quote = document.createElement('p');
      quote.className = 'quote clean';
      quote.dir = 'auto';
      quote.textContent = last.text;
      const ok = document.createElement('p');
      ok.className = 'ok';
      ok.textContent = last.flags ? '✓ No problem found.' : 'Checking…';
      el.append(quote, ok);
      return;
    }
    el.append(this._flagView(last.text, flags, 'last message', last.id));
  }
}

if (!customElements.get('tact-coach')) customElements.define('tact-coach', TactCoach);
