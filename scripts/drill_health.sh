#!/usr/bin/env bash
# Health drill (issue 16; docs/deploiement.md): gunicorn and the rights worker on a throw-away PostgreSQL cluster
# (scripts/drill_lib.sh) with the production settings, then PostgreSQL stopped and started again:
#   1. `/sante/` answers 200 {"base": "ok", "worker": "ok"} once the worker said « prêt »;
#   2. PostgreSQL stopped: `/sante/` answers 503 in JSON (« injoignable »), the worker logs that the database is
#      gone and waits, it does not stop;
#   3. PostgreSQL started again: the worker logs « base de nouveau joignable », `/sante/` answers 200 again;
#   4. the worker stops cleanly on SIGTERM (systemctl stop).
# Every line of both logs carries its time in Paris, level, logger and request id. Everything it started is
# stopped and removed on exit. Usage: scripts/drill_health.sh
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
# shellcheck source=scripts/drill_lib.sh
. "$ROOT/scripts/drill_lib.sh"
WORK=$(mktemp -d /tmp/pacte-drill-health.XXXXXX)
DRILL_CLEANUPS+=("rm -rf '$WORK'")
WEB_PID=""
WORKER_PID=""
stop_processes() {
    for pid in $WORKER_PID $WEB_PID; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in $WORKER_PID $WEB_PID; do
        wait "$pid" 2>/dev/null || true
    done
}
trap 'status=$?; stop_processes; drill_cleanup; exit $status' EXIT

check() {  # check CONDITION-STATUS TEXT
    if [ "$1" -eq 0 ]; then
        echo "  ok     $2"
    else
        echo "  ÉCHEC  $2"
        echo "--- journal de gunicorn" && tail -n 20 "$WORK/web.log" || true
        echo "--- journal du worker" && tail -n 20 "$WORK/worker.log" || true
        exit 1
    fi
}

# `/sante/` as nginx asks it (HTTPS already ended by the proxy): prints the status, then the body.
health() {
    curl -s -o "$WORK/health.json" -w '%{http_code}' -H 'X-Forwarded-Proto: https' \
        -H "X-Request-ID: exercice-sante-$1" "http://127.0.0.1:$WEB_PORT/sante/" || true
}

wait_for() {  # wait_for SECONDS COMMAND...: true as soon as COMMAND is
    local deadline=$((SECONDS + $1))
    shift
    until "$@"; do
        [ "$SECONDS" -ge "$deadline" ] && return 1
        sleep 0.5
    done
}

drill_pg_start
"$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres pacte
export PACTE_VAR_DIR="$WORK/var"
mkdir -p "$PACTE_VAR_DIR/static"  # whitenoise warns about a missing STATIC_ROOT
drill_production_env "$(drill_url_for "$DRILL_ADMIN_URL" pacte)?connect_timeout=3"
export LOG_LEVEL=INFO
started=$SECONDS
"$ROOT/.venv/bin/pacte" migrate --noinput >"$WORK/migrate.log" 2>&1 || { tail -n 30 "$WORK/migrate.log" >&2; exit 1; }
echo "pacte migrate : $((SECONDS - started)) s"

WEB_PORT=$(drill_free_port)
"$ROOT/.venv/bin/gunicorn" config.wsgi --bind "127.0.0.1:$WEB_PORT" --workers 1 --timeout 60 \
    --logger-class pacte.core.gunicorn_logger.ParisTimeLogger >"$WORK/web.log" 2>&1 &
WEB_PID=$!
"$ROOT/.venv/bin/pacte" rights traiter --intervalle 1 >"$WORK/worker.log" 2>&1 &
WORKER_PID=$!

echo "1. tout fonctionne"
wait_for 60 grep -q "traitement par lot prêt" "$WORK/worker.log"
check $? "le worker dit « prêt » : $(grep -o 'traitement par lot prêt.*' "$WORK/worker.log")"
wait_for 60 test "$(health 1)" = 200
check $? "/sante/ : 200 $(cat "$WORK/health.json")"

echo "2. PostgreSQL arrêté"
drill_pg_ctl stop
before=$SECONDS
status=$(health 2)
[ "$status" = 503 ] && grep -q '"base": "injoignable"' "$WORK/health.json"
check $? "/sante/ : $status $(cat "$WORK/health.json") en $((SECONDS - before)) s"
wait_for 30 grep -q "base de données injoignable" "$WORK/worker.log"
check $? "le worker attend : $(grep -o 'base de données injoignable.*' "$WORK/worker.log" | head -n 1)"
sleep 5
kill -0 "$WORKER_PID" 2>/dev/null
check $? "le worker tourne toujours"

echo "3. PostgreSQL redémarré"
drill_pg_ctl start
wait_for 90 grep -q "base de nouveau joignable" "$WORK/worker.log"
check $? "le worker : « base de nouveau joignable »"
wait_for 30 test "$(health 3)" = 200
check $? "/sante/ : 200 $(cat "$WORK/health.json")"

echo "4. arrêt du worker (SIGTERM)"
kill -TERM "$WORKER_PID"
wait "$WORKER_PID"
check $? "le worker s'arrête proprement (code 0)"
WORKER_PID=""

echo "--- journal du worker"
cat "$WORK/worker.log"
echo "--- journal de gunicorn (extrait)"
grep -E "exercice-sante|gunicorn.error" "$WORK/web.log" | head -n 8
