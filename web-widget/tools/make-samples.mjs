#!/usr/bin/env node
// Builds web-widget/demo/samples.json: ~20 short real conversations for the demo's
// "Replay a real conversation" button, from the Twitter customer-care data set
// (Ganhotra et al., EMNLP 2020, IBM Research; Apache License 2.0).
//
//   node web-widget/tools/make-samples.mjs [path/to/test.json] [out.json]
//
// The output is committed: the demo never reads ../shared at run time.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const input = process.argv[2] ?? resolve(here, '../../../shared/data/twitter-customer-care/test.json');
const output = process.argv[3] ?? resolve(here, '../demo/samples.json');
const WANT = 20;

// Tweets carry HTML entities ("&amp;"): the samples hold the characters.
function decodeEntities(text) {
  const named = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/giu, (all, e) => {
    if (e[0] === '#') {
      const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(cp) && cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : all;
    }
    return named[e.toLowerCase()] ?? all;
  });
}

// "@HP @Tesco your software..." -> "your software..."; trailing "^Ganesh" signatures go too.
function clean(text) {
  return decodeEntities(text)
    .replace(/^(\s*@\w+)+\s*/u, '')
    .replace(/\s+(\^|-|–)\s?[A-Z]{1,3}[a-z]*\s*$/u, '')
    .replace(/\s+/gu, ' ')
    .trim();
}

const data = JSON.parse(readFileSync(input, 'utf8'));
const samples = [];
for (const conv of data) {
  const turns = [];
  for (const t of conv.dialogContent ?? []) {
    const role = 'client' in t ? 'customer' : 'agent' in t ? 'agent' : null;
    if (role) turns.push({ role, text: clean(t.message ?? '') });
  }
  const last = conv.agentURL?.url_utterance;
  if (last) turns.push({ role: 'agent', text: clean(last) });
  if (turns.length < 3 || turns.length > 6) continue;
  if (turns[0].role !== 'customer') continue;
  if (!turns.some((t) => t.role === 'agent') || turns.filter((t) => t.role === 'customer').length < 2) continue;
  if (turns.some((t) => t.text.length < 2 || t.text.length > 280)) continue;
  samples.push({
    id: conv.dialogHeader?.sessionID ?? String(samples.length),
    company: conv.dialogHeader?.company ?? '',
    turns,
  });
  if (samples.length === WANT) break;
}

const out = {
  source: 'Twitter customer-care conversations (Ganhotra et al., EMNLP 2020, IBM Research), test split; Apache License 2.0',
  generated_by: 'web-widget/tools/make-samples.mjs',
  samples,
};
writeFileSync(output, JSON.stringify(out, null, 1) + '\n');
console.log(`make-samples: ${samples.length} conversations -> ${output}`);
