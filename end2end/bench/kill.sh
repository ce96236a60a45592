#!/usr/bin/env bash
# The server killed (SIGKILL) in the middle of a poll and started again (issue «Hardening»,
# point 8): a demo server on SQLite with its collector and the demo's simulated buses; a
# dispatcher polls the first building; when some meters have answered the process is killed
# with no chance to clean up, then started again on the same data. Prints how far the poll
# had got, how long after the restart it finished, and how many readings are stored twice
# (must be 0); exits non-zero if the poll did not finish or a reading is doubled.
#   end2end/bench/kill.sh      (the release server of scripts/test or scripts/start)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../../scripts/env.sh"
cd "$ROOT"
port="${UCHET_KILL_PORT:-3290}"
data="$(mktemp -d)"
db="$data/uchet.sqlite"
pid=
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$data"' EXIT

start() {
  LEPTOS_SITE_ADDR="127.0.0.1:$port" UCHET_DATA_DIR="$data" UCHET_DEMO=true UCHET_COLLECTOR_JOBS=4 \
    "$SERVER_BIN" serve --config Leptos.toml >>"$data/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do
    curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || { tail -30 "$data/server.log"; echo "the server did not start" >&2; exit 1; }
    sleep 0.5
  done
  echo "the server did not answer" >&2; exit 1
}

# one SQL answer from the server's database (read beside the running server, as WAL allows)
sql() { python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1], timeout=30); r=c.execute(sys.argv[2]).fetchone(); print("" if r is None or r[0] is None else r[0])' "$db" "$1"; }

start
cookie=$(curl -s -o /dev/null -D - -X POST "http://127.0.0.1:$port/api/sign_in" \
  -H 'content-type: application/x-www-form-urlencoded' -H 'accept: application/json' \
  --data 'login=dispatcher&password=uchet-demo' | sed -n 's/^[Ss]et-[Cc]ookie: \(uchet_session=[^;]*\).*/\1/p' | head -1)
[ -n "$cookie" ] || { echo "could not sign in" >&2; exit 1; }
object=$(sql "SELECT MIN(object_id) FROM meters WHERE communicator_id IS NOT NULL")
job=$(curl -fsS -X POST "http://127.0.0.1:$port/api/poll_now" -H "Cookie: $cookie" \
  -H 'content-type: application/x-www-form-urlencoded' -H 'accept: application/json' --data "object=$object")
echo "poll job $job of building $object queued"

# wait until some meters answered, then kill the process as a power cut would
for _ in $(seq 1 600); do
  done_before=$(sql "SELECT COUNT(*) FROM poll_results WHERE job_id = $job")
  [ "${done_before:-0}" -ge 5 ] && break
  sleep 0.1
done
finished=$(sql "SELECT finished_at FROM poll_jobs WHERE id = $job")
[ -z "$finished" ] || { echo "the poll finished before it could be killed; nothing was tested" >&2; exit 1; }
kill -9 "$pid"; wait "$pid" 2>/dev/null || true
readings_at_kill=$(sql "SELECT COUNT(*) FROM readings")
echo "killed with $done_before meters of the job polled, $readings_at_kill readings stored"

restarted=$(date +%s%N)
start
for _ in $(seq 1 1200); do
  finished=$(sql "SELECT finished_at FROM poll_jobs WHERE id = $job")
  [ -n "$finished" ] && break
  sleep 0.25
done
after=$(awk -v a="$restarted" -v b="$(date +%s%N)" 'BEGIN { printf "%.1f", (b - a) / 1e9 }')
[ -n "$finished" ] || { tail -30 "$data/server.log"; echo "FAILED: the poll did not resume within 5 minutes" >&2; exit 1; }
total=$(sql "SELECT meters_total FROM poll_jobs WHERE id = $job")
ok=$(sql "SELECT meters_ok FROM poll_jobs WHERE id = $job")
doubled=$(sql "SELECT COUNT(*) FROM (SELECT 1 FROM readings GROUP BY channel_id, period, ts HAVING COUNT(*) > 1)")
taken=$(grep -c "taken back" "$data/server.log" || true)
printf 'after the restart the poll finished in %s s: %s of %s meters answered; readings stored twice: %s; "taken back" logged %s time(s)\n' \
  "$after" "$ok" "$total" "$doubled" "$taken"
failed=$(sql "SELECT COUNT(*) FROM poll_results WHERE job_id = $job AND ok = 0")
echo "meters without an answer: $failed; their most common reasons:"
python3 -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); [print("  ", n, m) for m, n in c.execute("SELECT message, COUNT(*) FROM poll_results WHERE job_id = ? AND ok = 0 GROUP BY message ORDER BY 2 DESC LIMIT 5", (int(sys.argv[2]),))]' "$db" "$job"
[ "$doubled" = 0 ] || { echo "FAILED: readings stored twice" >&2; exit 1; }
