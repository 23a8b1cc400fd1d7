// The coach reports spans as byte offsets into the UTF-8 text; JavaScript strings are indexed
// in UTF-16 code units. These helpers convert between the two, and cut a text into highlighted
// segments. Pure functions: tested with node --test in tests/browser/utf8.test.mjs.

function utf8Length(cp) {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

// Returns toIndex(byte, roundUp): the UTF-16 index of a byte offset. An offset inside a
// code point goes to that code point's start (or, with roundUp, its end); offsets past the
// end go to text.length.
export function byteIndexer(text) {
  const bytes = [0];   // byte offset of each code point boundary
  const indices = [0]; // the matching UTF-16 index
  let b = 0;
  let i = 0;
  for (const ch of text) {
    b += utf8Length(ch.codePointAt(0));
    i += ch.length;
    bytes.push(b);
    indices.push(i);
  }
  return function toIndex(byte, roundUp = false) {
    if (!(byte > 0)) return 0;
    if (byte >= b) return text.length;
    // binary search: the last boundary <= byte
    let lo = 0;
    let hi = bytes.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (bytes[mid] <= byte) lo = mid;
      else hi = mid - 1;
    }
    if (roundUp && bytes[lo] < byte) return indices[lo + 1];
    return indices[lo];
  };
}

// Byte length of a string in UTF-8.
export function utf8ByteLength(text) {
  let n = 0;
  for (const ch of text) n += utf8Length(ch.codePointAt(0));
  return n;
}

// spans: [{begin, end, ...}] in UTF-8 bytes (entries without numeric begin/end are ignored).
// Returns [{text, start, end, spans: [...]}] covering the whole text in order, in UTF-16
// indices; `spans` lists the spans that cover each segment (empty for plain text).
export function segments(text, spans) {
  const toIndex = byteIndexer(text);
  const ranges = [];
  for (const s of spans ?? []) {
    if (typeof s?.begin !== 'number' || typeof s?.end !== 'number') continue;
    const start = toIndex(s.begin);
    const end = toIndex(s.end, true);
    if (end > start) ranges.push({ start, end, span: s });
  }
  const cuts = new Set([0, text.length]);
  for (const r of ranges) {
    cuts.add(r.start);
    cuts.add(r.end);
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out = [];
  for (let k = 0; k + 1 < points.length; ++k) {
    const start = points[k];
    const end = points[k + 1];
    if (end <= start) continue;
    const covering = ranges.filter((r) => r.start <= start && r.end >= end).map((r) => r.span);
    out.push({ text: text.slice(start, end), start, end, spans: covering });
  }
  return out;
}
