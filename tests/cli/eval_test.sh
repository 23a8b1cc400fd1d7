#!/usr/bin/env bash
# tact eval, end to end: per-act scores, --by-rule true and false positives, --compare two packs.
set -euo pipefail
tact=$1
fail() { echo "FAIL: $*" >&2; exit 1; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

cat > "$tmp/labeled.jsonl" <<'JSONL'
{"id":"1","role":"agent","text":"I am so sorry about that","labels":["apology"]}
{"id":"2","role":"agent","text":"Sorry if you feel that way","labels":["non_apology"]}
{"id":"3","role":"customer","text":"my order never arrived","labels":["complaint"]}
JSONL
# A pack whose only rule says "sorry" is an apology, whatever follows.
cat > "$tmp/naive.json" <<'JSON'
{"rules": [{"id": "apology.any-sorry", "act": "apology", "role": "agent", "patterns": ["\\bsorry\\b"],
            "examples": {"match": ["sorry", "so sorry", "Sorry!"], "no_match": ["hi", "ok", "thanks"]}}],
 "playbook": {"opens_round": ["complaint"], "steps": [{"step": "apology", "acts": ["apology"], "label": "Apologize", "why": "Say sorry."}]},
 "templates": [{"step": "apology", "variants": ["Sorry."]}]}
JSON

out=$("$tact" eval "$tmp/labeled.jsonl" --by-rule)
printf '%s\n' "$out" | grep -Eq '^apology +1 +1\.00 +1\.00 +1\.00$' || fail "apology scores: $out"
printf '%s\n' "$out" | grep -Eq '^apology\.sorry +apology +1 +0 +1\.00$' || fail "apology.sorry row: $out"
printf '%s\n' "$out" | grep -Eq '^non-apology\.hedged +non_apology +1 +0 +1\.00$' || fail "non-apology row: $out"

out=$("$tact" eval "$tmp/labeled.jsonl" --rules "$tmp/naive.json" --by-rule)
printf '%s\n' "$out" | grep -Eq '^apology\.any-sorry +apology +1 +1 +0\.50$' || fail "naive rule row: $out"

out=$("$tact" eval "$tmp/labeled.jsonl" --compare "$tmp/naive.json")
printf '%s\n' "$out" | grep -Eq '^apology +1 +1\.00 +0\.67 +\+0\.33$' || fail "compare apology: $out"
printf '%s\n' "$out" | grep -Eq '^complaint +1 +1\.00 +0\.00 +\+1\.00$' || fail "compare complaint: $out"

json=$("$tact" eval "$tmp/labeled.jsonl" --json --by-rule --compare "$tmp/naive.json")
printf '%s\n' "$json" | grep -q '"apology.sorry":{"act":"apology","fp":0,"tp":1}' || fail "json rules: $json"
printf '%s\n' "$json" | grep -q '"compare":{"acts":' || fail "json compare: $json"

if "$tact" eval "$tmp/labeled.jsonl" --compare "$tmp/missing.json" 2>/dev/null; then fail "missing pack accepted"; fi
echo "cli eval: all checks passed"
