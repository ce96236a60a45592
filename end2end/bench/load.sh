#!/usr/bin/env bash
# Pages under load (issue «Hardening», point 10): 50 signed-in clients at once against a
# running server with the demo company, one page after another; prints requests per second,
# mean and p95 latency and the answers that were not 200.
#   end2end/bench/load.sh [URL=http://127.0.0.1:3000] [CLIENTS=50] [SECONDS=20]
set -euo pipefail
URL="${1:-${UCHET_URL:-http://127.0.0.1:3000}}"
CLIENTS="${2:-50}"
SECONDS_EACH="${3:-20}"
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
cookie=$(curl -s -o /dev/null -D - -X POST "$URL/api/sign_in" \
  -H 'content-type: application/x-www-form-urlencoded' -H 'accept: application/json' \
  --data 'login=dispatcher&password=uchet-demo' | sed -n 's/^[Ss]et-[Cc]ookie: \(uchet_session=[^;]*\).*/\1/p' | head -1)
[ -n "$cookie" ] || { echo "could not sign in at $URL" >&2; exit 1; }
lua=$(mktemp --suffix=.lua)
cat >"$lua" <<'LUA'
wrk.headers["Cookie"] = os.getenv("UCHET_COOKIE")
done = function(summary, latency, requests)
  local non2xx = summary.errors.status
  io.write(string.format("%.1f req/s, mean %.0f ms, p95 %.0f ms, max %.0f ms, not 200: %d, timeouts: %d\n",
    summary.requests / (summary.duration / 1e6), latency.mean / 1000, latency:percentile(95) / 1000,
    latency.max / 1000, non2xx, summary.errors.timeout))
end
LUA
for page in / /readings /subscribers /monitoring/not-polled /monitoring/polling /objects; do
  printf '%-26s ' "$page"
  UCHET_COOKIE="$cookie" wrk -t2 -c"$CLIENTS" -d"${SECONDS_EACH}s" --timeout 10s -s "$lua" "$URL$page" | tail -1
done
rm -f "$lua"
