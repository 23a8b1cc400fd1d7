// The insights page's "Recent conversations" (issue 22, GET /api/insights `recent`): one row
// each; the customer's name opens the conversation's review in a dialog, with the "Write a
// lesson" form for supervisors and admins. call(method, path, body) -> {ok, status, json}.
import { el } from './dom.js';
import { healthText, outcomeText } from './insights-view.js';
import { causeChoices } from './lessons.js';
import { lessonForm } from './lessons-view.js';
import { reviewBody } from './review-view.js';

function when(at) {
  return typeof at === 'number' ? new Date(at).toLocaleString([], { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }) : '—';
}

export class RecentList {
  // lessons: the page's LessonList (its causes are choices; it reloads after a new lesson).
  constructor(call, { canWrite, lessons }) {
    this.call = call;
    this.canWrite = canWrite;
    this.lessons = lessons;
    this.rows = [];
    this.body = document.querySelector('#recent tbody');
    this.empty = document.getElementById('recent-empty');
    this.dialog = el('dialog', { class: 'review team-review', 'aria-labelledby': 'review-title' });
    document.body.append(this.dialog);
  }

  render(recent) {
    this.rows = Array.isArray(recent) ? recent : [];
    this.empty.hidden = this.rows.length > 0;
    this.body.replaceChildren(...this.rows.map((r) => {
      const open = el('button', { type: 'button', class: 'open-review', dir: 'auto' });
      this.name(open, r.customer);
      open.addEventListener('click', () => this.open(r));
      return el('tr', { 'data-conversation': r.conversation },
        el('th', { scope: 'row' }, open),
        el('td', { dir: 'auto', text: r.agent || '—' }),
        el('td', { text: r.cause?.label || '—' }),
        el('td', { text: outcomeText(r.outcome) }),
        el('td', { text: healthText(r.final_health) }),
        el('td', { text: typeof r.rating === 'number' ? `${r.rating}★` : '—' }),
        el('td', { text: when(r.closed_at) }));
    }));
  }

  name(button, customer) {
    button.textContent = customer || 'Customer';
    button.setAttribute('aria-label', `Open the review of the conversation with ${customer || 'the customer'}`);
  }

  async open(row) {
    const id = row.conversation;
    const [r, t] = await Promise.all([
      this.call('GET', `/api/conversations/${encodeURIComponent(id)}/review`),
      this.call('GET', `/api/conversations/${encodeURIComponent(id)}`),
    ]);
    const close = el('button', { type: 'button', class: 'btn secondary', text: 'Close' });
    close.addEventListener('click', () => this.dialog.close());
    const title = el('h3', { id: 'review-title', dir: 'auto', text: `Review: ${row.customer || 'Customer'}${row.agent ? ` · agent ${row.agent}` : ''}` });
    if (!r.ok) {
      this.dialog.replaceChildren(title, el('p', { class: 'error', text: `No review to show: ${r.json?.message ?? r.status}` }), close);
      this.dialog.showModal();
      return;
    }
    const review = r.json;
    const texts = new Map((t.ok ? t.json?.messages ?? [] : []).map((m) => [m.id, m.text]));
    const parts = [title, ...reviewBody(review, texts)];
    if (this.canWrite) {
      const choices = causeChoices([review.root_cause], this.rows.map((x) => x.cause), this.lessons.lessons);
      parts.push(lessonForm(this.call, id, choices, review.root_cause?.id ?? row.cause?.id ?? '', () => this.lessons.load()));
    }
    this.dialog.replaceChildren(...parts, close);
    this.dialog.showModal();
  }
}
