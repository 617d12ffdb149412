#!/usr/bin/env bash
# Fuzzes the REST API against its own OpenAPI schema with schemathesis (CI step "API fuzzing").
#
#   scripts/ci/api-fuzz.sh                   at most three minutes, seed 1
#   TIDTAM_FUZZ_SECONDS=60 scripts/ci/api-fuzz.sh
#   TIDTAM_FUZZ_SEED=7 TIDTAM_FUZZ_EXAMPLES=50 scripts/ci/api-fuzz.sh
#
# The app runs as `tidtam runserver` on 127.0.0.1 only, on a throwaway SQLite loaded with the
# seeds and the demo cast, "today" pinned inside round 6 of FY 2567 (which is opened), DEBUG off.
# A superuser's write token (made through the token service, as the person's page makes it)
# reaches every object and every write, so every endpoint's services see the generated input.
# Checks: no 500 (not_a_server_error) and every response matches its schema
# (response_schema_conformance), for valid and invalid input alike. Exits non-zero when
# schemathesis finds a failure; the server's log and the JUnit report stay in $TIDTAM_FUZZ_OUT
# (default test-artifacts/api-fuzz).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
BIN=$ROOT/.venv/bin
SECONDS_BUDGET=${TIDTAM_FUZZ_SECONDS:-120}
SEED=${TIDTAM_FUZZ_SEED:-1}
EXAMPLES=${TIDTAM_FUZZ_EXAMPLES:-25}
OUT=${TIDTAM_FUZZ_OUT:-$ROOT/test-artifacts/api-fuzz}

say() { echo "api-fuzz: $*" >&2; }

[[ -x $BIN/schemathesis ]] || { say "no $BIN/schemathesis: run make .venv/.installed"; exit 1; }
WORK=$(mktemp -d "${TMPDIR:-/tmp}/tidtam-api-fuzz.XXXXXX")
SERVER_PID=
cleanup() {
    if [[ -n $SERVER_PID ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p "$OUT"

# Its own SQLite, whatever database the environment names.
unset DATABASE_URL
export DJANGO_SETTINGS_MODULE=config.settings
export TIDTAM_VAR_DIR=$WORK/var TIDTAM_DEMO_TODAY=2024-04-08 TIDTAM_DEBUG=false
export TIDTAM_DEMO_PASSWORD=tidtam-fuzz-password PYTHONUNBUFFERED=1
# The fuzzer sends thousands of requests a minute; the rate limit has its own test.
export TIDTAM_API_RATE_LIMIT=1000000000
mkdir -p "$TIDTAM_VAR_DIR"

say "preparing a seeded database in $WORK"
"$BIN/tidtam" migrate --no-input -v0
"$BIN/tidtam" load_seeds >/dev/null
"$BIN/tidtam" demo_user >/dev/null
# The token, and the seeded rows the fuzzer is to name often (the rest of the time it makes
# values up): without them nearly every path would be a 404 and no service would see the input.
"$BIN/tidtam" shell --no-imports -c '
import json
from django.contrib.auth import get_user_model
from tidtam.agreements.models import Agreement, Indicator, IndicatorResult
from tidtam.api.tokens import api_token_create
from tidtam.budgets.models import BudgetLine
from tidtam.orgs.models import Organization
from tidtam.periods.models import Round
from tidtam.periods.services import round_open
from tidtam.plans.models import OperatingPlan, WorkItem
from tidtam.progress.models import ProgressEntry

round_ = Round.objects.get(fiscal_year__year=2567, months=6)
for organization in Organization.objects.filter(parent__isnull=True):
    round_open(round_=round_, organization=organization)
user = get_user_model().objects.create_superuser("api-fuzz", password=None)
def ids(rows, n=6):
    return list(rows.order_by("pk").values_list("pk", flat=True)[:n])
print(json.dumps({
    "token": api_token_create(user=user, name="schemathesis", scope="write", days=1).secret,
    "item_id": ids(WorkItem.objects.all()),
    "plan_id": ids(OperatingPlan.objects.all()),
    "entry_id": ids(ProgressEntry.objects.all()),
    "round_id": ids(Round.objects.filter(fiscal_year__year__in=[2564, 2567]), 8),
    "indicator_id": ids(Indicator.objects.all()),
    "result_id": ids(IndicatorResult.objects.all()),
    "line_id": ids(BudgetLine.objects.all()),
    "agreement_id": ids(Agreement.objects.all()),
    "org": list(Organization.objects.order_by("pk").values_list("code", flat=True)[:4]),
}))
' | tail -n 1 >"$WORK/seeded.json"
TOKEN=$("$BIN/python" -c 'import json, sys; print(json.load(open(sys.argv[1]))["token"])' "$WORK/seeded.json")
"$BIN/python" - "$WORK/seeded.json" "$WORK/schemathesis.toml" <<'PY'
import json
import sys

seeded = json.load(open(sys.argv[1]))
lines = []
names = [name for name in seeded if name != "token"]
for name in names:
    values = ", ".join(json.dumps(v) for v in seeded[name])
    lines += [f"[dictionaries.{name}]", f"values = [{values}]", ""]
lines += ["[dictionaries.fy]", "values = [2567, 2564]", ""]
lines += ["[dictionaries.round]", "values = [6, 12, 3, 9]", ""]
# The versions a first or second save carries, so that some writes go through.
lines += ["[dictionaries.version]", "values = [0, 1, 2]", "", "[parameters]"]
for name in names:
    where = "query" if name == "org" else "path"
    lines.append(f'"{where}.{name}" = {{ dictionary = "{name}", probability = 0.7 }}')
lines.append('"query.fy" = { dictionary = "fy", probability = 0.7 }')
lines.append('"query.round" = { dictionary = "round", probability = 0.7 }')
lines.append('"body.version" = { dictionary = "version", probability = 0.7 }')
open(sys.argv[2], "w").write("\n".join(lines) + "\n")
PY
[[ $TOKEN == tidtam_* ]] || { say "could not make a token: $TOKEN"; exit 1; }

PORT=$("$BIN/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL=http://127.0.0.1:$PORT
"$BIN/tidtam" runserver --noreload "127.0.0.1:$PORT" >"$OUT/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 150); do
    if "$BIN/python" -c "import urllib.request, sys; urllib.request.urlopen(sys.argv[1], timeout=2)" \
        "$URL/api/v1/openapi.json" 2>/dev/null; then
        break
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || { say "the server stopped:"; cat "$OUT/server.log" >&2; exit 1; }
    sleep 0.2
done
say "server up at $URL; fuzzing for at most ${SECONDS_BUDGET}s (seed $SEED, $EXAMPLES examples per operation)"

rc=0
"$BIN/schemathesis" --config-file "$WORK/schemathesis.toml" run "$URL/api/v1/openapi.json" \
    --checks not_a_server_error,response_schema_conformance \
    --header "Authorization: Bearer $TOKEN" \
    --max-time "$SECONDS_BUDGET" \
    --max-examples "$EXAMPLES" \
    --seed "$SEED" \
    --workers 1 \
    --request-timeout 30 \
    --generation-database none \
    --suppress-health-check all \
    --no-color \
    --report junit --report-junit-path "$OUT/junit.xml" || rc=$?

if grep -q "Internal Server Error\|Traceback" "$OUT/server.log"; then
    say "the server logged errors (see $OUT/server.log):"
    grep -B2 -A25 "Traceback" "$OUT/server.log" | head -80 >&2 || true
    [[ $rc -ne 0 ]] || rc=1
fi
if [[ $rc -ne 0 ]]; then
    say "FAIL (exit status $rc): schemathesis found failures; report in $OUT"
else
    say "PASS: no server error, every response matched its schema"
fi
exit "$rc"
