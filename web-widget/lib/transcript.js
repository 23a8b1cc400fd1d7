// A chat transcript (<ol role="log">) and a composer row, shared by the customer chat and the
// agent console.
import { clock, el } from './dom.js';

// add(message) keeps one bubble per key; a pending bubble (key: its client_id) is re-keyed to
// the stored message id once acknowledged.
export class Transcript {
  constructor(label) {
    this.list = el('div', { class: 'transcript', role: 'log', 'aria-label': label, 'aria-live': 'polite', tabindex: '0' });
    this.byKey = new Map();
  }

  clear() {
    this.list.textContent = '';
    this.byKey.clear();
  }

  has(key) {
    return this.byKey.has(key);
  }

  // state: undefined (stored), 'pending' (sending…) or 'failed' (with why).
  add({ key, pendingKey, text, from, at, mine, state, why }) {
    let item = (pendingKey && this.byKey.get(pendingKey)) || this.byKey.get(key);
    if (!item) {
      item = el('div');
      this.list.append(item);
    }
    if (pendingKey && pendingKey !== key) this.byKey.delete(pendingKey);
    this.byKey.set(key, item);
    item.className = `bubble ${mine ? 'mine' : 'theirs'}${state ? ` ${state}` : ''}`;
    item.dataset.key = key;
    item.textContent = '';
    const when = state === 'pending' ? 'sending…' : state === 'failed' ? `not sent: ${why ?? 'refused'}` : clock(at);
    item.append(el('span', { class: 'meta', text: `${from || (mine ? 'You' : '')} · ${when}` }), el('span', { class: 'text', dir: 'auto', text }));
    this.list.scrollTop = this.list.scrollHeight;
    return item;
  }

  // Moves a pending bubble to its stored id (when the stored one is shown already, drops it).
  rekey(oldKey, newKey) {
    const item = this.byKey.get(oldKey);
    if (!item) return;
    this.byKey.delete(oldKey);
    if (this.byKey.has(newKey)) item.remove();
    else {
      this.byKey.set(newKey, item);
      item.dataset.key = newKey;
    }
  }

  note(text) {
    this.list.append(el('div', { class: 'bubble system', text }));
    this.list.scrollTop = this.list.scrollHeight;
  }
}

// A textarea with a Send button. onSend(text) returns false to keep the text (not sent);
// overLimit(text) returns the bytes over the server's limit (> 0: refused before sending).
export function composerRow(id, label, onSend, overLimit = () => 0) {
  const area = el('textarea', { id, rows: 2, placeholder: label, 'aria-label': label, dir: 'auto' });
  const button = el('button', { class: 'btn', type: 'button', text: 'Send' });
  const msgId = `${id}-limit`;
  const limit = el('p', { class: 'limit', id: msgId, role: 'status', 'aria-live': 'polite' });
  area.setAttribute('aria-describedby', msgId);
  const check = () => {
    const over = overLimit(area.value);
    limit.hidden = over <= -1024;
    limit.classList.toggle('over', over > 0);
    limit.textContent = over > 0 ? `Too long to send: ${over.toLocaleString('en-US')} bytes over the limit. Shorten it or split it.`
      : over > -1024 ? `${(-over).toLocaleString('en-US')} bytes left` : '';
    button.disabled = over > 0;
    return over;
  };
  const send = () => {
    const text = area.value;
    if (!text.trim()) return;
    if (check() > 0) return;
    if (onSend(text) !== false) {
      area.value = '';
      area.dispatchEvent(new Event('input', { bubbles: true }));
    }
    area.focus();
  };
  button.addEventListener('click', send);
  area.addEventListener('input', check);
  area.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.altKey && !e.isComposing) {
      e.preventDefault();
      send();
    }
  });
  check();
  return { row: el('div', { class: 'composer-box' }, el('div', { class: 'composer' }, area, button), limit), area, button, check };
}
