#!/usr/bin/env bash
# /metrics is valid Prometheus text: `promtool check metrics` (Debian's prometheus package) reads
# it from a real `tact serve` that has handled a message. Usage: metrics_test.sh path/to/tact
set -euo pipefail
tact=$1
if ! command -v promtool >/dev/null; then
  echo "metrics test: promtool missing (scripts/setup installs prometheus); skipped"
  exit 77
fi
dir=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$dir"' EXIT
TACT_SECRET=metrics-test-secret-0123456789abcdef0123 "$tact" serve --listen 127.0.0.1:0 --data "$dir" --threads 1 \
  >"$dir/out" 2>"$dir/log" &
pid=$!
for _ in $(seq 100); do
  grep -q "listening on" "$dir/out" && break
  sleep 0.1
done
base=$(sed -n 's/.*listening on \(http:[^ ]*\).*/\1/p' "$dir/out")
[ -n "$base" ] || { echo "tact serve did not start"; cat "$dir/log"; exit 1; }
agent=$(TACT_SECRET=metrics-test-secret-0123456789abcdef0123 "$tact" token --role agent --sub alice --name Alice)
curl -fsS -X POST -H "Authorization: Bearer $agent" -d '{"role":"customer","text":"my order is late"}' \
  "$base/api/conversations/m-1/events" >/dev/null
curl -fsS "$base/metrics" >"$dir/metrics"
grep -q '^tact_messages_total{role="customer"} 1$' "$dir/metrics"
promtool check metrics <"$dir/metrics"
echo "metrics test: promtool check metrics passed ($(grep -c '^tact_' "$dir/metrics") samples)"
