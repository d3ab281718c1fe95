#!/usr/bin/env bash
# Fault drill: PostgreSQL stops during a contract save (issue 15; docs/deploiement.md, « Pannes »). Starts a
# throw-away cluster (scripts/drill_lib.sh), migrates it, then runs scripts/drill_database.py with the production
# settings and the middleware of pacte/core/unavailable.py. The cluster is removed on exit.
#
# Usage: scripts/drill_database.sh
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
# shellcheck source=scripts/drill_lib.sh
. "$ROOT/scripts/drill_lib.sh"
WORK=$(mktemp -d /tmp/pacte-drill-db.XXXXXX)
DRILL_CLEANUPS+=("rm -rf '$WORK'")
trap 'status=$?; drill_cleanup; exit $status' EXIT

drill_pg_start
"$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres pacte
export PACTE_VAR_DIR="$WORK/var" PG_BIN PG_DIR
mkdir -p "$PACTE_VAR_DIR/static"  # whitenoise warns about a missing STATIC_ROOT
drill_production_env "$(drill_url_for "$DRILL_ADMIN_URL" pacte)"
started=$SECONDS
"$ROOT/.venv/bin/pacte" migrate --noinput >"$WORK/migrate.log" 2>&1 || { tail -n 30 "$WORK/migrate.log" >&2; exit 1; }
echo "pacte migrate : $((SECONDS - started)) s"
"$ROOT/.venv/bin/python" "$ROOT/scripts/drill_database.py"
