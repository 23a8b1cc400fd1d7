#!/usr/bin/env bash
# tact annotate, end to end: one line out per line in, in order, bad lines answered, stream goes on.
set -euo pipefail
tact=$1
fail() { echo "FAIL: $*" >&2; exit 1; }

out=$(printf '%s\n' \
  '{"id":"1","role":"agent","text":"I am so sorry your order #4411 is late. I will fix this myself right now."}' \
  'this is not json' \
  '{"id":"3","role":"robot","text":"hi"}' \
  '{"id":4,"role":"customer"}' \
  '[1,2]' \
  '{"id":"6","role":"customer","text":"my order never arrived and this is ridiculous"}' | "$tact" annotate)
[ "$(printf '%s\n' "$out" | wc -l)" -eq 6 ] || fail "expected 6 lines, got: $out"
line() { printf '%s\n' "$out" | sed -n "$1p"; }
for act in apology acknowledge ownership; do
  line 1 | grep -q "\"$act\"" || fail "line 1 lacks $act: $(line 1)"
done
line 1 | grep -q '"id":"1"' || fail "line 1 id: $(line 1)"
line 2 | grep -q '"id":null,"error":"not valid JSON' || line 2 | grep -q '"error":"not valid JSON' || fail "line 2: $(line 2)"
line 2 | grep -q '"id":null' || fail "line 2 id should be null: $(line 2)"
line 3 | grep -q 'unknown role \\"robot\\"' || fail "line 3: $(line 3)"
line 4 | grep -q '"id":4' || fail "line 4 id: $(line 4)"
line 4 | grep -q 'missing \\"text\\"' || fail "line 4: $(line 4)"
line 5 | grep -q 'expected a JSON object' || fail "line 5: $(line 5)"
line 6 | grep -q '"complaint"' || fail "line 6: $(line 6)"
line 6 | grep -q '"frustration"' || fail "line 6: $(line 6)"

# A bad rules file is refused with its reasons and a non-zero status.
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
echo '{"rules":[{"id":"x","act":"nope","role":"agent","patterns":["("]}]}' > "$tmp/bad.json"
if "$tact" annotate --rules "$tmp/bad.json" </dev/null 2>"$tmp/err"; then fail "bad rules accepted"; fi
grep -q 'rule "x": act' "$tmp/err" || fail "no act problem: $(cat "$tmp/err")"
grep -q 'rule "x": patterns\[0\]: invalid regular expression' "$tmp/err" || fail "no regex problem: $(cat "$tmp/err")"

# Output that cannot be written is an error.
if printf '%s\n' '{"id":"1","role":"agent","text":"sorry"}' | "$tact" annotate >/dev/full 2>/dev/null; then
  fail "writing to a full device should fail"
fi
echo "cli annotate: all checks passed"
