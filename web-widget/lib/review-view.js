// The agent's own review of a conversation they closed (GET /api/conversations/{id}/review,
// docs/protocol.md "After the close"): what went well and what to try next time, in the
// playbook's words, with the agent's messages quoted. reviewNotes() is pure (tested in
// tests/browser/insights-lib.test.mjs); ReviewList shows the reviews in the agent console.
import { clock, el } from './dom.js';
import { formatDuration, kindLabel } from './client.js';

const QUOTE_CHARS = 90;

function quoted(text) {
  if (!text) return '';
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > QUOTE_CHARS ? `${one.slice(0, QUOTE_CHARS - 1)}…` : one;
}

// review: the API's review; textOf(message_id) -> the message's text ('' when unknown).
// Returns {wentWell: [{text, quote}], tryNext: [{text, quote}], summary: [words]}.
export function reviewNotes(review, textOf = () => '') {
  const wentWell = [];
  const tryNext = [];
  for (const s of review.steps ?? []) {
    if (s.status === 'done') wentWell.push({ text: `${s.label}${s.at ? ` at ${clock(s.at)}` : ''}`, quote: quoted(textOf(s.message_id)) });
    else if (s.status === 'spoiled') tryNext.push({ text: `${s.label}: ${s.why}`, quote: '' }); // the why quotes it
    else if (s.status === 'missed') tryNext.push({ text: `${s.label}: ${s.why}`, quote: '' });
  }
  for (const f of review.flags ?? []) {
    if (f.kind === 'deadline' || f.kind === 'order') continue; // already said by the steps
    tryNext.push({ text: `${kindLabel(f.kind)}: ${f.why}`, quote: quoted(textOf(f.message_id)) });
  }
  const o = review.outcome ?? {};
  if (o.resolved) wentWell.push({ text: 'The customer said it is solved.', quote: '' });
  else if (o.thanked) wentWell.push({ text: 'The customer thanked you.', quote: '' });
  if (o.abandoned) tryNext.push({ text: "The customer's last message was left unanswered at the close.", quote: '' });
  const summary = [];
  if (review.root_cause?.label) summary.push(`Cause: ${review.root_cause.label}`);
  if (typeof review.first_response_ms === 'number') summary.push(`First reply after ${formatDuration(review.first_response_ms)}`);
  if (typeof review.health?.final === 'number') summary.push(`Health at the close: ${review.health.final}`);
  summary.push(review.rating ? `Rated ${review.rating.score} of 5${review.rating.comment ? `: “${quoted(review.rating.comment)}”` : ''}` : 'Not rated yet');
  return { wentWell, tryNext, summary };
}

function noteList(title, notes, cls) {
  return el('section', { class: `review-notes ${cls}` }, el('h4', { text: title }),
    notes.length
      ? el('ul', {}, ...notes.map((n) => el('li', {}, el('span', { text: n.text }), n.quote ? el('q', { dir: 'auto', text: n.quote }) : '')))
      : el('p', { class: 'muted', text: cls === 'well' ? 'Nothing yet: see below.' : 'Nothing: well done.' }));
}

// A review's summary line and its two lists (texts: message id -> text, for the quotes); the
// agent console's dialog and the insights page's show the same.
export function reviewBody(review, texts = new Map()) {
  const notes = reviewNotes(review, (mid) => texts.get(mid) ?? '');
  return [
    el('p', { class: 'review-summary', text: notes.summary.join(' · ') }),
    noteList('What went well', notes.wentWell, 'well'),
    noteList('Try next time', notes.tryNext, 'next'),
  ];
}

// The reviews of the conversations the agent closed in this session, newest first; each opens in
// a dialog. fetchJson(path) reads the API with the agent's token.
export class ReviewList {
  constructor(fetchJson) {
    this.fetchJson = fetchJson;
    this.list = el('ol', { class: 'reviews', 'aria-label': 'Reviews of your closed conversations' });
    this.view = el('section', { class: 'reviews-box', hidden: true }, el('h3', { text: 'Your reviews' }), this.list);
    this.dialog = el('dialog', { class: 'review', 'aria-labelledby': 'review-title' });
    document.body.append(this.dialog);
  }

  // The conversation `id` (customer `name`) was closed: its review is stored by then.
  async closed(id, name) {
    let review;
    let transcript = null;
    try {
      review = await this.fetchJson(`/api/conversations/${encodeURIComponent(id)}/review`);
      transcript = await this.fetchJson(`/api/conversations/${encodeURIComponent(id)}`).catch(() => null);
    } catch {
      return; // not stored (yet): nothing to show
    }
    const texts = new Map((transcript?.messages ?? []).map((m) => [m.id, m.text]));
    const item = el('button', { type: 'button', class: 'review-item', 'data-review': id },
      el('span', { class: 'who', dir: 'auto', text: name || review.customer || 'Customer' }),
      el('span', { class: 'muted', text: `health ${review.health?.final ?? '—'}${review.rating ? ` · ${review.rating.score}★` : ''}` }));
    item.addEventListener('click', async () => {
      // Read again: the customer may have rated it since.
      const latest = await this.fetchJson(`/api/conversations/${encodeURIComponent(id)}/review`).catch(() => review);
      this.show(latest, texts, name);
    });
    this.list.prepend(el('li', {}, item));
    this.view.hidden = false;
  }

  show(review, texts, name) {
    const close = el('button', { type: 'button', class: 'btn secondary', text: 'Close' });
    close.addEventListener('click', () => this.dialog.close());
    this.dialog.replaceChildren(
      el('h3', { id: 'review-title', dir: 'auto', text: `Your review: ${name || review.customer || 'Customer'}` }),
      ...reviewBody(review, texts),
      close);
    this.dialog.showModal();
  }
}
