// The byte-offset conversion the panel relies on (spans are UTF-8 byte offsets).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { byteIndexer, segments, utf8ByteLength } from '../../web-widget/lib/utf8.js';

function bytesOf(text, sub) {
  const i = text.indexOf(sub);
  return [utf8ByteLength(text.slice(0, i)), utf8ByteLength(text.slice(0, i + sub.length))];
}

test('ASCII offsets are indices', () => {
  const toIndex = byteIndexer('calm down');
  assert.equal(toIndex(0), 0);
  assert.equal(toIndex(4), 4);
  assert.equal(toIndex(9), 9);
  assert.equal(toIndex(99), 9);
});

test('two-, three- and four-byte characters before a span', () => {
  const text = 'Désolé 😀 — you should have checked';
  const [b, e] = bytesOf(text, 'you should have');
  assert.deepEqual([b, e], [18, 33]);
  const toIndex = byteIndexer(text);
  assert.equal(text.slice(toIndex(b), toIndex(e, true)), 'you should have');
});

test('offsets inside a code point round outwards', () => {
  const text = 'a😀b';
  const toIndex = byteIndexer(text);
  assert.equal(toIndex(2), 1); // inside the emoji: its start
  assert.equal(toIndex(2, true), 3); // rounded up: its end
  assert.equal(toIndex(5), 3);
});

test('segments cut a text at overlapping spans', () => {
  const text = 'Ça va — calm down, it’s not a big deal';
  const s1 = bytesOf(text, 'calm down');
  const s2 = bytesOf(text, 'not a big deal');
  const segs = segments(text, [
    { begin: s1[0], end: s1[1], kind: 'dismissive' },
    { begin: s2[0], end: s2[1], kind: 'dismissive' },
    { kind: 'curt' }, // no span: ignored
  ]);
  assert.equal(segs.map((s) => s.text).join(''), text);
  assert.deepEqual(segs.filter((s) => s.spans.length).map((s) => s.text), ['calm down', 'not a big deal']);
  const over = segments('abcdef', [{ begin: 0, end: 4 }, { begin: 2, end: 6 }]);
  assert.deepEqual(over.map((s) => [s.text, s.spans.length]), [['ab', 1], ['cd', 2], ['ef', 1]]);
});
