#!/usr/bin/env bash
# Backup drill (issue 15; docs/deploiement.md, « Exercice de sauvegarde »): dumps a PostgreSQL database of Pacte
# as docs/sauvegarde.md does (pg_dump -Fc), restores it into a fresh database, then checks the copy:
#   1. `pacte check --deploy` (production settings; nothing but security.W021, HSTS preload) and
#      `pacte migrate --check` against the copy;
#   2. page and API reads (scripts/drill_reads.py) against the source and the copy, compared line by line;
#   3. the row counts of every table, compared table by table.
# Prints what it did; exits non-zero on any difference or failure. The restored database and the dump are
# removed on exit.
#
# The source: DATABASE_URL when it is a postgres:// address (CI: the cluster of the PostgreSQL pass), otherwise a
# throw-away cluster started here (scripts/drill_lib.sh). A source without Pacte's tables (or with
# --remplir) is first filled: migrate, COG, référentiel, observation, demo data.
#
# Usage: scripts/backup_drill.sh [--remplir]
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
PACTE="$ROOT/.venv/bin/pacte"
PYTHON="$ROOT/.venv/bin/python"
FILL=0
for argument in "$@"; do
    case "$argument" in
        --remplir) FILL=1 ;;
        -h | --help) sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "Option inconnue : $argument (voir --help)." >&2; exit 2 ;;
    esac
done

# shellcheck source=scripts/drill_lib.sh
. "$ROOT/scripts/drill_lib.sh"
WORK=$(mktemp -d /tmp/pacte-backup-drill.XXXXXX)
chmod 700 "$WORK"
RESTORED_URL=""
SOURCE_URL=""
drop_restored() {
    if [ -n "$RESTORED_URL" ]; then
        "$PG_BIN/psql" -q -X "$SOURCE_URL" -c "DROP DATABASE IF EXISTS \"$RESTORED_DB\"" >/dev/null 2>&1 || true
    fi
}
DRILL_CLEANUPS+=("drop_restored" "rm -rf '$WORK'")
trap 'status=$?; drill_cleanup; exit $status' EXIT

step() { printf '\n== %s\n' "$*"; }
START=$SECONDS

case "${DATABASE_URL:-}" in
    postgres://* | postgresql://* | pgsql://*) SOURCE_URL=$DATABASE_URL ;;
    *)
        step "Base source : cluster PostgreSQL jetable"
        drill_pg_start
        "$PG_BIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U postgres pacte
        SOURCE_URL=$(drill_url_for "$DRILL_ADMIN_URL" pacte)
        FILL=1
        ;;
esac
SOURCE_URL=${SOURCE_URL/#pgsql:/postgres:}
SOURCE_DB=$(python3 -c 'import sys; from urllib.parse import urlsplit; print(urlsplit(sys.argv[1]).path.lstrip("/"))' "$SOURCE_URL")
RESTORED_DB="${SOURCE_DB}_restauree_$$"
export PACTE_VAR_DIR="$WORK/var"
mkdir -p "$PACTE_VAR_DIR/static"  # whitenoise warns about a missing STATIC_ROOT

psql_at() { "$PG_BIN/psql" -X -q -At -v ON_ERROR_STOP=1 "$@"; }

if [ "$FILL" -eq 0 ] && [ "$(psql_at "$SOURCE_URL" -c "select to_regclass('public.django_migrations') is not null")" != t ]; then
    FILL=1
fi
if [ "$FILL" -eq 1 ]; then
    step "Remplissage de la base source ($SOURCE_DB) : migrate, COG, référentiel, observation, démonstration"
    (
        drill_production_env "$SOURCE_URL"
        for command in "migrate --noinput" load_cog load_referentiel load_observation load_demo; do
            started=$SECONDS
            demo=0
            if [ "$command" = load_demo ]; then
                demo=1  # the demo loader refuses to run outside the demo mode
            fi
            # shellcheck disable=SC2086
            PACTE_DEMO=$demo "$PACTE" $command >"$WORK/fill.log" 2>&1 || { tail -n 30 "$WORK/fill.log" >&2; exit 1; }
            echo "pacte $command : $((SECONDS - started)) s"
        done
    )
fi

COUNT_SQL="SELECT c.relname, (xpath('/row/n/text()', query_to_xml(format('SELECT count(*) AS n FROM %I.%I',
  n.nspname, c.relname), false, true, '')))[1]::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE c.relkind IN ('r', 'p') AND n.nspname = 'public' ORDER BY 1"
psql_at "$SOURCE_URL" -F $'\t' -c "$COUNT_SQL" >"$WORK/counts-source.tsv"
echo "Source : base « $SOURCE_DB », $(wc -l <"$WORK/counts-source.tsv") tables," \
    "$(awk -F'\t' '{s += $2} END {print s}' "$WORK/counts-source.tsv") lignes."

step "1. Sauvegarde : pg_dump --format=custom"
started=$SECONDS
"$PG_BIN/pg_dump" --format=custom --dbname="$SOURCE_URL" --file="$WORK/pacte.dump"
entries=$("$PG_BIN/pg_restore" --list "$WORK/pacte.dump" | grep -vc '^;')
echo "Archive : $(du -h "$WORK/pacte.dump" | cut -f1), $entries entrées (pg_restore --list), $((SECONDS - started)) s."

step "2. Restauration dans une base neuve : « $RESTORED_DB »"
started=$SECONDS
psql_at "$SOURCE_URL" -c "CREATE DATABASE \"$RESTORED_DB\" TEMPLATE template0 ENCODING 'UTF8'"
RESTORED_URL=$(drill_url_for "$SOURCE_URL" "$RESTORED_DB")
"$PG_BIN/pg_restore" --no-owner --exit-on-error --dbname="$RESTORED_URL" "$WORK/pacte.dump"
echo "Restaurée en $((SECONDS - started)) s."
# Counted before the reads below, which sign a user in (a session, a line of the sign-in log).
psql_at "$RESTORED_URL" -F $'\t' -c "$COUNT_SQL" >"$WORK/counts-restored.tsv"

FAILED=()

step "3. pacte check --deploy et migrate --check sur la copie (réglages de production)"
# deploiement.md: `pacte check --deploy` reports security.W021 (HSTS preload, optional) and nothing else.
(
    drill_production_env "$RESTORED_URL"
    "$PACTE" check --deploy >"$WORK/check.log" 2>&1 || { cat "$WORK/check.log"; exit 1; }
    sed 's/^/  /' "$WORK/check.log"
    unexpected=$(grep -oE '\(?[a-z_.]+\.[EW][0-9]{3}\)?' "$WORK/check.log" | tr -d '()' | grep -vx 'security.W021' || true)
    if [ -n "$unexpected" ]; then
        echo "Avertissements inattendus : $unexpected"
        exit 1
    fi
    "$PACTE" migrate --check >/dev/null && echo "Aucune migration en attente."
) || FAILED+=("pacte check --deploy / migrate --check")

step "4. Lectures de pages et de l'API, source puis copie"
(drill_production_env "$SOURCE_URL"; "$PYTHON" scripts/drill_reads.py) >"$WORK/reads-source.tsv" \
    || FAILED+=("lectures sur la source")
(drill_production_env "$RESTORED_URL"; "$PYTHON" scripts/drill_reads.py) >"$WORK/reads-restored.tsv" \
    || FAILED+=("lectures sur la copie")
column -t -s $'\t' "$WORK/reads-restored.tsv" | sed 's/^/  /'
if diff -u --label source --label copie "$WORK/reads-source.tsv" "$WORK/reads-restored.tsv"; then
    echo "$(wc -l <"$WORK/reads-restored.tsv") lectures : mêmes réponses sur la source et la copie."
else
    FAILED+=("lectures différentes entre la source et la copie")
fi

step "5. Lignes par table, source (avant la sauvegarde) et copie (juste restaurée)"
if diff -u --label source --label copie "$WORK/counts-source.tsv" "$WORK/counts-restored.tsv"; then
    echo "$(wc -l <"$WORK/counts-restored.tsv") tables, $(awk -F'\t' '{s += $2} END {print s}' "$WORK/counts-restored.tsv")" \
        "lignes : mêmes nombres de lignes table par table."
    sort -t $'\t' -k2,2nr "$WORK/counts-restored.tsv" | head -n 5 | awk -F'\t' '{printf "  %-45s %s\n", $1, $2}'
else
    FAILED+=("nombres de lignes différents")
fi

step "Bilan ($((SECONDS - START)) s)"
if [ "${#FAILED[@]}" -ne 0 ]; then
    printf 'ÉCHEC : %s\n' "${FAILED[@]}"
    exit 1
fi
echo "OK : la sauvegarde se restaure, la copie passe check --deploy, répond aux lectures comme la source et compte les mêmes lignes."
