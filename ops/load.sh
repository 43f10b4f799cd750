#!/usr/bin/env bash
# Load run, loopback only: gunicorn with gunicorn.conf.py on a fresh instance folder (SQLite unless DATABASE_URL
# is set), then wrk at 64 connections against POST /api/v1/recommendations and POST /api/v1/assessments, each
# request a distinct valid profile. Prints one JSON line per endpoint; exits non-zero on any socket error or
# any answer that is not 2xx.
#
#   bash ops/load.sh            # 60 s per endpoint
#   DURATION=10s PATHS=/api/v1/assessments bash ops/load.sh
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-.venv/bin/python}
PORT=${PORT:-18480}
DURATION=${DURATION:-60s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 2; }

instance=$(mktemp -d)
ADVISOR_INSTANCE_PATH="$instance" ADVISOR_BIND="127.0.0.1:$PORT" ADVISOR_LOG_LEVEL=warning \
  setsid "$PYTHON" -m gunicorn -c gunicorn.conf.py >"$instance/gunicorn.log" 2>&1 &
server=$!
trap 'kill -TERM -- -$server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$instance"' EXIT
for _ in $(seq 100); do
  curl -fsS "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
  sleep 0.2
done

status=0
for path in ${PATHS:-/api/v1/recommendations /api/v1/assessments}; do
  line=$(wrk -t "$THREADS" -c "$CONNECTIONS" -d "$DURATION" --latency -s ops/profiles.lua \
    "http://127.0.0.1:$PORT" -- "$path" | grep '^{"requests"')
  echo "{\"path\": \"$path\", \"connections\": $CONNECTIONS, ${line#\{}"
  echo "$line" | grep -q '"non_2xx": 0, "connect_errors": 0, "read_errors": 0, "write_errors": 0, "timeouts": 0' \
    || status=1
done
saved=$(curl -fsS "http://127.0.0.1:$PORT/api/v1/assessments?per_page=1" | "$PYTHON" -c 'import json,sys; print(json.load(sys.stdin)["total"])')
echo "{\"assessments_saved\": $saved, \"workers\": ${WEB_CONCURRENCY:-$(( $(nproc) * 2 + 1 ))}, \"cpus\": $(nproc)}"
exit $status
