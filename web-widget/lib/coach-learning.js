// The coach panel's learning-loop views (issue 22), built with textContent only: a flag's
// "Not right" control (button, then an optional reason with Send / Skip, then "Disputed —
// thanks") and the box of the team's lessons for the complaint's cause. tact-coach.js keeps the
// state and sends the frames.
import { el } from './dom.js';
import { MAX_REASON_BYTES } from './feedback.js';
import { lessonByline, lessonHeading } from './lessons.js';

// d: the dispute's state (undefined: none yet, or {state, reason, why}); kind: the flag's kind in
// words. on: {open(), send(reason), cancel(), reason(text)}. Elements that can hold the focus
// carry data-focus ('open', 'reason', 'done') so the panel can give it back after a re-render.
export function disputeView(d, kind, on) {
  const box = el('div', { class: 'dispute' });
  if (d?.state === 'done') {
    box.append(el('span', { class: 'disputed', tabindex: '-1', 'data-focus': 'done', text: 'Disputed — thanks' }));
    return box;
  }
  if (d?.state === 'sending') {
    box.append(el('span', { class: 'sending', tabindex: '-1', 'data-focus': 'done', text: 'Sending…' }));
    return box;
  }
  if (d?.state === 'open') {
    const input = el('input', { type: 'text', class: 'reason', value: d.reason ?? '', maxLength: MAX_REASON_BYTES, 'data-focus': 'reason',
      placeholder: 'e.g. it was advice, not blame', autocomplete: 'off', dir: 'auto' });
    input.addEventListener('input', () => on.reason(input.value));
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        on.cancel();
      }
    });
    const label = el('label', { class: 'reason-label' }, el('span', { text: `Why is this ${kind} flag not right? (optional)` }), input);
    const send = el('button', { type: 'submit', class: 'mini primary', text: 'Send' });
    const skip = el('button', { type: 'button', class: 'mini', text: 'Skip', 'aria-label': 'Skip: send without a reason' });
    skip.addEventListener('click', () => on.send(''));
    const form = el('form', { class: 'dispute-form', 'aria-label': `Dispute the ${kind} flag` }, label, el('div', { class: 'dispute-buttons' }, send, skip));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      on.send(input.value);
    });
    box.append(form);
    return box;
  }
  if (d?.state === 'failed') box.append(el('span', { class: 'dispute-error', text: `Not sent: ${d.why}` }), ' ');
  const button = el('button', { type: 'button', class: 'mini not-right', text: 'Not right', 'data-focus': 'open',
    'aria-label': `Not right: dispute the ${kind} flag` });
  button.addEventListener('click', () => on.open());
  box.append(button);
  return box;
}

// Fills the lesson box (its heading and list) with `lessons` (already chosen: lessonsFor);
// hides it when there is none.
export function renderLessons(box, cause, lessons) {
  box.hidden = !lessons.length;
  const label = cause?.label || lessons[0]?.cause_label || cause?.id;
  box.querySelector('h3').textContent = lessonHeading({ id: cause?.id, label }, lessons.length);
  box.querySelector('ul').replaceChildren(...lessons.map((l) => el('li', {},
    el('p', { class: 'lesson-text', dir: 'auto', text: l.text }),
    el('p', { class: 'lesson-by', text: `— ${lessonByline(l)}` }))));
}
