// The insights page's lessons (issue 22): the team's list, newest first, with Delete for
// supervisors and admins; and the "Write a lesson" form of a review. call(method, path, body)
// reads the API with the page's token and returns {ok, status, json} (status 0: offline).
import { el } from './dom.js';
import { MAX_LESSON_BYTES, lessonByline, lessonProblem } from './lessons.js';
import { utf8ByteLength } from './utf8.js';

function refusal(r) {
  if (r.status === 0) return 'The server cannot be reached; try again in a moment.';
  return r.json?.message || r.json?.error || `refused (HTTP ${r.status})`;
}

export class LessonList extends EventTarget {
  constructor(call, canDelete) {
    super();
    this.call = call;
    this.canDelete = canDelete;
    this.lessons = [];
    this.list = el('ol', { class: 'lesson-list', 'aria-labelledby': 'lessons-title' });
    this.empty = el('p', { class: 'empty', text: 'No lesson yet: open a recent conversation to write one.' });
    this.said = el('p', { class: 'lesson-said', role: 'status' });
  }

  // Reads GET /api/lessons again; fires 'loaded'.
  async load() {
    const r = await this.call('GET', '/api/lessons');
    if (!r.ok) {
      this.said.textContent = `Lessons not loaded: ${refusal(r)}`;
      return;
    }
    this.lessons = r.json?.lessons ?? [];
    this.render();
    this.dispatchEvent(new Event('loaded'));
  }

  render() {
    this.empty.hidden = this.lessons.length > 0;
    this.list.replaceChildren(...this.lessons.map((l) => {
      const li = el('li', { class: 'lesson', 'data-lesson': String(l.id) },
        el('p', { class: 'lesson-text', dir: 'auto', text: l.text }),
        el('p', { class: 'lesson-meta', text: [l.cause_label || l.cause, lessonByline(l), l.conversation ? `from ${l.conversation}` : ''].filter(Boolean).join(' · ') }));
      if (this.canDelete) {
        const del = el('button', { type: 'button', class: 'btn secondary', text: 'Delete', 'aria-label': `Delete the lesson “${l.text.slice(0, 40)}”` });
        del.addEventListener('click', () => this.remove(l));
        li.append(del);
      }
      return li;
    }));
  }

  async remove(lesson) {
    if (!window.confirm(`Delete this lesson for the whole team?\n\n“${lesson.text}”`)) return;
    const r = await this.call('DELETE', `/api/lessons/${encodeURIComponent(lesson.id)}`);
    this.said.textContent = r.ok || r.status === 404 ? 'Lesson deleted.' : `Not deleted: ${refusal(r)}`;
    await this.load();
  }
}

// The form under a review: the lesson's text and its cause (choices: [{id, label}], `selected`
// first). onSaved(lesson) after a 201.
export function lessonForm(call, conversation, choices, selected, onSaved) {
  const text = el('textarea', { id: 'lesson-text', rows: 3, dir: 'auto', 'aria-describedby': 'lesson-said' });
  const cause = el('select', { id: 'lesson-cause' });
  if (!choices.length) cause.append(el('option', { value: '', text: 'The review’s cause' }));
  for (const c of choices) cause.append(el('option', { value: c.id, text: c.label }));
  if (selected) cause.value = selected;
  const said = el('p', { id: 'lesson-said', class: 'lesson-said', role: 'status' });
  const submit = el('button', { type: 'submit', class: 'btn', text: 'Share with the team' });
  const count = () => {
    const bytes = utf8ByteLength(text.value.trim());
    said.classList.toggle('over', bytes > MAX_LESSON_BYTES);
    said.textContent = bytes > MAX_LESSON_BYTES * 0.8 ? lessonProblem(text.value) || `${MAX_LESSON_BYTES - bytes} bytes left` : '';
  };
  text.addEventListener('input', count);
  const form = el('form', { class: 'lesson-form', 'aria-labelledby': 'lesson-form-title' },
    el('h4', { id: 'lesson-form-title', text: 'Write a lesson' }),
    el('label', { for: 'lesson-text', text: 'What should the team do next time?' }), text,
    el('label', { for: 'lesson-cause', text: 'Cause' }), cause,
    said, submit);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const problem = lessonProblem(text.value);
    said.classList.toggle('over', Boolean(problem));
    if (problem) {
      said.textContent = problem;
      text.focus();
      return;
    }
    submit.disabled = true;
    const body = { text: text.value.trim() };
    if (cause.value) body.cause = cause.value;
    const r = await call('POST', `/api/conversations/${encodeURIComponent(conversation)}/lessons`, body);
    submit.disabled = false;
    if (!r.ok) {
      said.classList.add('over');
      said.textContent = `Not shared: ${refusal(r)}`;
      return;
    }
    said.classList.remove('over');
    said.textContent = 'Shared: the team’s coach shows it on the next complaint with this cause.';
    text.value = '';
    onSaved(r.json);
  });
  return form;
}
