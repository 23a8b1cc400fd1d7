// The team's lessons (issue 22, GET /api/lessons): which to show beside a complaint, the cause
// choices for a new one, and the browser's own check of a lesson's text. Pure (tested in
// tests/browser/lessons-lib.test.mjs).
import { utf8ByteLength } from './utf8.js';

export const MAX_LESSON_BYTES = 1000;
export const LESSONS_SHOWN = 2;

// The newest lessons (at most `n`) for `causeId`, newest first.
export function lessonsFor(lessons, causeId, n = LESSONS_SHOWN) {
  if (!causeId) return [];
  return (lessons ?? [])
    .filter((l) => l && l.cause === causeId && typeof l.text === 'string' && l.text.trim())
    .sort((a, b) => (b.at ?? 0) - (a.at ?? 0) || String(b.id ?? '').localeCompare(String(a.id ?? '')))
    .slice(0, n);
}

// "Lesson from your team · Delivery" ("Lessons …" for more than one).
export function lessonHeading(cause, count = 1) {
  const label = cause?.label || cause?.id || '';
  return `${count > 1 ? 'Lessons' : 'Lesson'} from your team${label ? ` · ${label}` : ''}`;
}

// "Sam · 1 Dec 2026" (the reader's locale for the date).
export function lessonByline(lesson) {
  const who = lesson.author || 'A supervisor';
  if (typeof lesson.at !== 'number') return who;
  return `${who} · ${new Date(lesson.at).toLocaleDateString([], { day: 'numeric', month: 'short', year: 'numeric' })}`;
}

// The causes seen (objects {id, label}, or lessons' {cause, cause_label}), once each, by label.
export function causeChoices(...sources) {
  const byId = new Map();
  for (const list of sources) {
    for (const c of list ?? []) {
      const id = typeof c?.cause === 'string' ? c.cause : c?.id; // a lesson's id is its number
      if (typeof id !== 'string' || !id) continue;
      const label = c.label ?? c.cause_label ?? id;
      if (!byId.has(id) || byId.get(id) === id) byId.set(id, label);
    }
  }
  return [...byId].map(([id, label]) => ({ id, label })).sort((a, b) => a.label.localeCompare(b.label));
}

// '' when `text` can be sent as a lesson, else what is wrong, in words.
export function lessonProblem(text) {
  const t = String(text ?? '').trim();
  if (!t) return 'Write the lesson first.';
  const bytes = utf8ByteLength(t);
  if (bytes > MAX_LESSON_BYTES) return `Too long: ${bytes.toLocaleString('en-US')} bytes, at most ${MAX_LESSON_BYTES.toLocaleString('en-US')}. Shorten it.`;
  return '';
}
