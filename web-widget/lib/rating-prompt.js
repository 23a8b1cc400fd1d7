// After the agent closes the chat, the customer is asked for a one-tap rating (1-5) and an
// optional comment: the `rating` frame (docs/protocol.md). Tapping another star later replaces it.
import { el } from './dom.js';

const WORDS = { 1: 'Very bad', 2: 'Bad', 3: 'OK', 4: 'Good', 5: 'Great' };
export const MAX_COMMENT_BYTES = 1000;

export class RatingPrompt {
  // send(frame) -> false when it could not be sent.
  constructor(conversation, send) {
    this.conversation = conversation;
    this.send = send;
    this.score = 0;
    this.stars = [1, 2, 3, 4, 5].map((n) => {
      const b = el('button', { type: 'button', class: 'star', 'aria-pressed': 'false', 'data-score': String(n), 'aria-label': `${n} of 5: ${WORDS[n]}`, text: '★' });
      b.addEventListener('click', () => this.pick(n));
      return b;
    });
    this.comment = el('textarea', { rows: 2, dir: 'auto', maxLength: MAX_COMMENT_BYTES, placeholder: 'Anything to add? (optional)', 'aria-label': 'Comment (optional)' });
    this.submit = el('button', { type: 'submit', class: 'btn', text: 'Send rating', disabled: true });
    this.said = el('p', { class: 'rating-said', role: 'status', 'aria-live': 'polite' });
    this.view = el('form', { class: 'rating', 'aria-label': 'Rate this conversation' },
      el('p', { class: 'rating-ask', text: 'How did we do?' }),
      el('div', { class: 'stars', role: 'group', 'aria-label': 'Your rating' }, ...this.stars),
      this.comment, this.submit, this.said);
    this.view.addEventListener('submit', (e) => {
      e.preventDefault();
      this.post();
    });
  }

  pick(n) {
    this.score = n;
    this.stars.forEach((b, i) => {
      b.setAttribute('aria-pressed', String(i + 1 === n));
      b.classList.toggle('on', i < n);
    });
    this.submit.disabled = false;
  }

  post() {
    if (!this.score) return;
    const frame = { type: 'rating', conversation: this.conversation, score: this.score };
    const comment = this.comment.value.trim();
    if (comment) frame.comment = comment;
    if (this.send(frame) === false) this.said.textContent = 'Not sent: the comment is too long.';
    else this.said.textContent = 'Sending…';
  }

  // The server's `rated` answer.
  rated(f) {
    this.said.textContent = `Thank you: you rated ${f.score} of 5${f.replaced ? ' (changed)' : ''}. You can still change it.`;
    this.submit.textContent = 'Change rating';
  }

  refused(f) {
    this.said.textContent = `Not sent: ${f.message ?? f.code}`;
  }
}
