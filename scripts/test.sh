#!/usr/bin/env bash
# Set up everything the tests need and run them: a virtual environment with the
# pinned packages, plus Debian's chromium and PostgreSQL for the browser and
# storage tests, nginx for the reverse-proxy test and wrk for the benchmark's smoke run (installed when missing
# and the machine allows it; without wrk the benchmark uses its own Python load).
#
# bash scripts/test.sh --fast runs the development lane instead: no system
# packages, none of the tests marked slow, browser, postgres or bench, and one
# test process per core (pytest-xdist; add -n 0 to run in one process).
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m venv .venv
.venv/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt

if [ "${1:-}" = "--fast" ]; then
  shift
  # The model's property tests check 500 generated profiles each in the full run; 50 in the fast lane.
  export ADVISOR_PROPERTY_EXAMPLES="${ADVISOR_PROPERTY_EXAMPLES:-50}"
  exec .venv/bin/python -m pytest -n auto -m "not slow and not browser and not postgres and not bench" "$@"
fi

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing ${need[*]} from Debian's packages"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "note: ${need[*]} missing and cannot be installed here; the tests that need them will be skipped" >&2
  fi
fi

# The tests run the core as the service does: compiled (the run fails if it cannot be; the fast lane runs
# whichever build matches the sources, compiled or not).
.venv/bin/python scripts/build_core.py
export ADVISOR_REQUIRE_COMPILED=1
exec .venv/bin/python -m pytest "$@"
