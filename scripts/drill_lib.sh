# Shared by the fault and backup drills (scripts/backup_drill.sh, scripts/drill_*.sh): a throw-away
# PostgreSQL cluster on a free port of 127.0.0.1, in a temporary directory removed on exit, run as the
# postgres user when root (as .ci/run does). Source it, then call `drill_pg_start`; `drill_cleanup` runs on
# exit (the caller's trap) and stops the cluster whatever happened.
#
# Sets: PG_BIN, PG_PORT, PG_DIR, DRILL_ADMIN_URL (postgres://postgres@127.0.0.1:PORT/postgres).

PG_BIN=${PG_BIN:-$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -type d -name bin 2>/dev/null | sort -V | tail -n 1)}
PG_DIR=""
PG_PORT=""
DRILL_PG_STARTED=0
DRILL_CLEANUPS=()

drill_as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

drill_free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# The address of database $2 on the server of address $1 (a postgres:// URL; its query string is kept).
drill_url_for() {
    python3 - "$1" "$2" <<'PY'
import sys
from urllib.parse import urlsplit, urlunsplit

parts = urlsplit(sys.argv[1])
print(urlunsplit(parts._replace(path="/" + sys.argv[2])))
PY
}

drill_pg_start() {
    if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
        echo "ERREUR : initdb introuvable sous /usr/lib/postgresql/*/bin." >&2
        return 1
    fi
    PG_PORT=$(drill_free_port)
    PG_DIR=$(mktemp -d /tmp/pacte-drill-pg.XXXXXX)
    mkdir "$PG_DIR/socket"
    if [ "$(id -u)" -eq 0 ]; then
        chown -R postgres:postgres "$PG_DIR"
    fi
    chmod 700 "$PG_DIR"
    drill_as_postgres "$PG_BIN/initdb" --pgdata="$PG_DIR/data" --username=postgres --auth=trust \
        --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$PG_DIR/initdb.log" 2>&1 \
        || { cat "$PG_DIR/initdb.log" >&2; return 1; }
    DRILL_PG_STARTED=1
    drill_pg_ctl start
    DRILL_ADMIN_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
    echo "PostgreSQL jetable : $("$PG_BIN/postgres" --version), 127.0.0.1:$PG_PORT, $PG_DIR"
}

# drill_pg_ctl start|stop: the drills stop the server on purpose (immediate: as a crash would).
drill_pg_ctl() {
    if [ "$1" = start ]; then
        drill_as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 start \
            -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DIR/socket -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
            >/dev/null || { cat "$PG_DIR/server.log" >&2; return 1; }
    else
        drill_as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null
    fi
}

drill_cleanup() {
    local command
    for command in "${DRILL_CLEANUPS[@]}"; do
        eval "$command" >/dev/null 2>&1 || true
    done
    if [ "$DRILL_PG_STARTED" -eq 1 ]; then
        drill_as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    if [ -n "$PG_DIR" ]; then
        rm -rf "$PG_DIR"
    fi
}

# The production settings a drill runs `pacte` with (docs/deploiement.md, section 4), on database $1.
drill_production_env() {
    export DJANGO_SETTINGS_MODULE=config.settings.base
    export DATABASE_URL=$1
    export SECRET_KEY=${DRILL_SECRET_KEY:-$(python3 -c 'import secrets; print(secrets.token_urlsafe(64))')}
    export ALLOWED_HOSTS=127.0.0.1,localhost,testserver
    export DJANGO_DEBUG=0
    export LOG_LEVEL=${LOG_LEVEL:-WARNING}
}
