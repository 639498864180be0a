#!/usr/bin/env bash
# Measures the dashboard with Lighthouse, as docs/dashboard.md reports it: a dagscope jar serves two days of demo
# logs (dagscope generate --seed 7 --start 2025-10-20T00:00:00Z --days 2, "now" at their end), and Lighthouse audits
# http://127.0.0.1:PORT/ in headless Chromium, as a phone (its default: a mid-range phone on a slow 4G, simulated) and
# as a desktop (--preset=desktop), RUNS times each; it prints each run and the medians.
#
#   scripts/dashboard-lighthouse.sh [JAR] [RUNS]     # default: server/target/dagscope.jar, 5 runs
#
# Needs Java 17, Node.js 20 with npm (Lighthouse 13.5.0 is installed into a temporary folder, not into the project),
# and /usr/bin/chromium (or CHROME_PATH). The reports (JSON) are kept in target/lighthouse/.
# Performance figures depend on the machine and on what else runs on it: compare builds on the same machine, one
# after the other, and look at the medians.
set -euo pipefail
cd "$(dirname "$0")/.."
jar="${1:-server/target/dagscope.jar}"
runs="${2:-5}"
port="${PORT:-18080}"
out="$PWD/target/lighthouse"
work="$(mktemp -d)"
server=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$out"
rm -f "$out"/*.json

(cd "$work" && npm install --silent --no-audit --no-fund --ignore-scripts lighthouse@13.5.0 >/dev/null)
java -jar "$jar" generate --out "$work/logs" --seed 7 --start 2025-10-20T00:00:00Z --days 2 >/dev/null
java -jar "$jar" serve --port "$port" --events "$work/logs/orchestrator_events.jsonl" \
  --state "$work/logs/orchestrator_state.jsonl" --schedules "$work/logs/configs/schedules" \
  --end 2025-10-22T00:00:00Z 2>"$out/server.log" &
server=$!
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/health/ready" >/dev/null && break
  sleep 1
done

for i in $(seq 1 "$runs"); do
  for form in mobile desktop; do
    preset=()
    if [ "$form" = desktop ]; then preset=(--preset=desktop); fi
    CHROME_PATH="${CHROME_PATH:-/usr/bin/chromium}" "$work/node_modules/.bin/lighthouse" "http://127.0.0.1:$port/" \
      "${preset[@]}" --quiet --output=json --output-path="$out/$form-$i.json" \
      --only-categories=performance,accessibility,best-practices \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking"
  done
done

node - "$out" <<'EOF'
const fs = require('fs');
const dir = process.argv[2];
const median = xs => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
for (const form of ['mobile', 'desktop']) {
  const runs = fs.readdirSync(dir).filter(f => f.startsWith(form + '-')).map(f => {
    const r = JSON.parse(fs.readFileSync(dir + '/' + f, 'utf8'));
    const a = r.audits;
    return {performance: r.categories.performance.score * 100, accessibility: r.categories.accessibility.score * 100,
      bestPractices: r.categories['best-practices'].score * 100, fcpMs: a['first-contentful-paint'].numericValue,
      lcpMs: a['largest-contentful-paint'].numericValue, tbtMs: a['total-blocking-time'].numericValue,
      cls: a['cumulative-layout-shift'].numericValue, speedIndexMs: a['speed-index'].numericValue,
      kib: a['total-byte-weight'].numericValue / 1024,
      unusedJsKib: (a['unused-javascript'].details || {}).overallSavingsBytes / 1024 || 0};
  });
  runs.forEach((r, i) => console.log(form, i + 1, JSON.stringify(r, (k, v) => typeof v === 'number' ? +v.toFixed(3) : v)));
  const m = {};
  for (const key of Object.keys(runs[0])) m[key] = +median(runs.map(r => r[key])).toFixed(3);
  console.log(form, 'median', JSON.stringify(m));
}
EOF
