#!/usr/bin/env bash
# Send every kind of hostile input with curl to a running server and check each gets the 4xx it should, as a
# problem document, and that no assessment was stored. Read-only for the server apart from the refused requests.
#
#   bash ops/hostile.sh                          # against http://127.0.0.1:8000
#   bash ops/hostile.sh https://advisor.example.org
#
# Where the server has ADVISOR_API_TOKENS, give a token with the read and write scopes in ADVISOR_TOKEN, and a
# second client's in ADVISOR_TOKEN_2 for the per-client idempotency check: the script then also checks that
# nothing saved can be read without a token.
set -uo pipefail
BASE=${1:-http://127.0.0.1:8000}
URL="$BASE/api/v1/assessments"
AUTH=()
[ -n "${ADVISOR_TOKEN:-}" ] && AUTH=(-H "Authorization: Bearer $ADVISOR_TOKEN")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
P='{"security_hours_per_month": 20, "patching_staff": 0, "customisation": "low", "isolation": "standard"'

python3 - "$work" <<'PY'
import json, sys
w = sys.argv[1]
open(f"{w}/deep.json", "w").write("[" * 100_000 + "]" * 100_000)
open(f"{w}/big.json", "w").write(json.dumps({"name": "x" * 20_000_000}))
PY
printf '%s, "name": "\xff\xfe"}' "$P" >"$work/utf8.json"

total() { curl -fsS "${AUTH[@]}" "$URL?per_page=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total"])'; }
before=$(total)
failed=0

check() {  # check NAME EXPECTED-STATUS CURL-ARGS...
  local name=$1 expected=$2; shift 2
  local out status type
  out=$(curl -sS -o "$work/body" -w '%{http_code} %{content_type}' "$@" 2>&1)
  status=${out%% *}; type=${out#* }
  if [ "$status" = "$expected" ] && [[ "$type" == application/problem+json* ]]; then
    printf 'ok    %-34s %s  %s\n' "$name" "$status" "$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("detail", "")[:90])' "$work/body" 2>/dev/null)"
  else
    printf 'FAIL  %-34s got %s (%s), expected %s\n' "$name" "$status" "$type" "$expected"; failed=1
  fi
}

J=(-H 'Content-Type: application/json' "${AUTH[@]}")
check "deeply nested JSON"            400 "${J[@]}" --data-binary @"$work/deep.json" "$URL"
check "a 20 MB body"                  413 "${J[@]}" --data-binary @"$work/big.json" "$URL"
check "invalid UTF-8"                 400 "${J[@]}" --data-binary @"$work/utf8.json" "$URL"
check "duplicate keys"                400 "${J[@]}" -d "$P, \"patching_staff\": 3}" "$URL"
check "NaN"                           400 "${J[@]}" -d "$P, \"weights\": {\"burden\": NaN}}" "$URL"
check "Infinity"                      400 "${J[@]}" -d "$P, \"workload\": {\"memory_gb\": Infinity}}" "$URL"
check "a number beyond float range"   400 "${J[@]}" -d "$P, \"workload\": {\"vcpu\": 1e999}}" "$URL"
check "a NUL in the name"             422 "${J[@]}" -d "$P, \"name\": \"a\\u0000b\"}" "$URL"
check "an escape sequence in the name" 422 "${J[@]}" -d "$P, \"name\": \"\\u001b[31mred\"}" "$URL"
check "a wrong content type"          415 "${AUTH[@]}" -H 'Content-Type: text/plain' -d "$P}" "$URL"
check "a form post"                   415 "${AUTH[@]}" -d 'security_hours_per_month=20' "$URL"
check "a URL over 8 KB"               414 "$BASE/api/v1/services?q=$(head -c 9000 /dev/zero | tr '\0' a)"
check "a header over 8 KB"            431 -H "X-Long: $(head -c 9000 /dev/zero | tr '\0' a)" "$BASE/healthz"
check "SQL in an assessment id"       404 "${AUTH[@]}" "$URL/%27%20OR%20%271%27=%271"
check "a wrong method"                405 "${AUTH[@]}" -X DELETE "$URL"
check "a right-to-left override in the name" 422 "${J[@]}" -d "$P, \"name\": \"Payroll\u202egpj.exe\"}" "$URL"
check "a zero-width space in the name" 422 "${J[@]}" -d "$P, \"name\": \"Pay\u200bments\"}" "$URL"
python3 -c 'import sys; sys.stdout.write("{\"security_hours_per_month\": 20, \"patching_staff\": 0, \"customisation\": \"low\", \"isolation\": \"standard\"}" + " " * 2_000_000)' >"$work/padded.json"
check "a chunked body over the limit"  413 "${J[@]}" -H 'Transfer-Encoding: chunked' --data-binary @"$work/padded.json" "$BASE/api/v1/recommendations"

after=$(total)
if [ "$before" = "$after" ]; then echo "ok    nothing stored ($after assessments before and after)"; else
  echo "FAIL  assessments went from $before to $after"; failed=1; fi

name="Robert'); DROP TABLE assessments;-- <script>alert(1)</script>"
body=$(python3 -c 'import json,sys; print(json.dumps({"security_hours_per_month": 20, "patching_staff": 0, "customisation": "low", "isolation": "standard", "name": sys.argv[1]}))' "$name")
location=$(curl -sS -o /dev/null -w '%{redirect_url}%{header_json}' "${J[@]}" -d "$body" "$URL" | python3 -c 'import json,sys; t=sys.stdin.read(); print(json.loads(t[t.index("{"):])["location"][0])')
stored=$(curl -sS "${AUTH[@]}" "$BASE$location" | python3 -c 'import json,sys; print(json.load(sys.stdin)["name"])')
if [ "$stored" = "$name" ]; then echo "ok    script and SQL in a name are stored verbatim ($location)"; else
  echo "FAIL  the name came back as: $stored"; failed=1; fi
id=${location##*/}

if [ ${#AUTH[@]} -gt 0 ]; then  # the server keeps assessments private: nothing saved opens without a token
  for path in /api/v1/assessments "/api/v1/assessments/$id" /reports "/reports/$id" "/reports/$id.pdf" "/reports/$id.md" /metrics; do
    check "no token: GET $path" 401 -H 'Accept: application/json' "$BASE$path"
  done
  check "no token: the form" 401 -H 'Accept: application/json' -d 'security_hours_per_month=20' "$BASE/"
fi

# Links and the render cache never follow the Host header: a second Host serves the stored PDF at once.
curl -sS -o /dev/null "${AUTH[@]}" -H 'Host: localhost:1000' "$BASE/reports/$id.pdf"
took=$(curl -sS -o /dev/null -w '%{time_total}' "${AUTH[@]}" -H 'Host: localhost:1001' "$BASE/reports/$id.pdf")
if python3 -c 'import sys; sys.exit(float(sys.argv[1]) >= 1)' "$took"; then echo "ok    another Host header renders nothing anew (${took} s)"; else
  echo "FAIL  another Host header took ${took} s: the PDF was rendered again"; failed=1; fi
if curl -sS "${AUTH[@]}" -H 'Host: evil.example' -H 'X-Forwarded-Host: evil.example' "$BASE/reports/$id.md" | grep -q evil.example; then
  echo "FAIL  the Host header reached the decision record's link"; failed=1; else echo "ok    no Host header in the decision record's link"; fi

if [ -n "${ADVISOR_TOKEN_2:-}" ]; then  # idempotency keys belong to the client that sent them
  key="hostile-$RANDOM$RANDOM"
  one=$(curl -sS "${J[@]}" -H "Idempotency-Key: $key" -d "$P}" "$URL" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  two=$(curl -sS -H 'Content-Type: application/json' -H "Authorization: Bearer $ADVISOR_TOKEN_2" -H "Idempotency-Key: $key" -d "$P}" "$URL" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
  if [ "$one" != "$two" ]; then echo "ok    another client's equal idempotency key gets its own assessment"; else
    echo "FAIL  another client's idempotency key replayed $one"; failed=1; fi
fi
exit $failed
