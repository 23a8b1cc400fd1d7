// Turns plain phrases into one safe RE2 pattern: every character escaped, spaces matching any
// white space, word boundaries at the ends. ["I'm sorry", "my apologies"] ->
// \b(?:I'm\s+sorry|my\s+apologies)\b
const SPECIAL = /[\\^$.*+?()[\]{}|]/g;

export function escapeRe2(text) {
  return text.replace(SPECIAL, (c) => `\\${c}`);
}

export function phrasesToPattern(phrases) {
  const parts = [...new Set(phrases.map((p) => p.trim().replace(/\s+/g, ' ')).filter(Boolean))];
  if (!parts.length) return '';
  const alts = parts.map((p) => p.split(' ').map(escapeRe2).join('\\s+'));
  // \b only beside a word character: "$5 off" starts with a symbol.
  const word = /^[\p{L}\p{N}_]/u;
  const allWordStart = parts.every((p) => word.test(p));
  const allWordEnd = parts.every((p) => word.test([...p].at(-1)));
  return `${allWordStart ? '\\b' : ''}(?:${alts.join('|')})${allWordEnd ? '\\b' : ''}`;
}
