#!/usr/bin/env bash
# Deployment drill (issue 16; docs/deploiement.md, « Exercice de déploiement »): follows docs/deploiement.md on
# this machine, as root, with the files it ships (deploy/), everything on 127.0.0.1 and under one temporary
# directory:
#   1. Debian packages (apt-get installs only what is missing), the `pacte` system user (created if absent,
#      removed at the end if the drill created it);
#   2. the code (a clone of this repository at its commit, as the docs' `git clone`), a runtime-only virtualenv from
#      requirements-runtime.lock (hashes checked), the environment file;
#   3. PostgreSQL: a throw-away cluster on a free port (scripts/drill_lib.sh), the `pacte` role and a database with
#      the ICU French collation (no OS locale), as the docs create it;
#   4. `pacte setup`, `pacte collectstatic`, `pacte check --deploy`, `pacte compte creer` (the first national
#      account), then `pacte load_demo` (drill only: a signed contract for the PDF check);
#   5. gunicorn and the worker: PID 1 is not systemd here, so the ExecStart lines of deploy/systemd/pacte.service
#      and pacte-worker.service run in the background as the `pacte` user, with the environment file
#      (`systemd-analyze verify` checks the unit files when it is available);
#   6. nginx on 127.0.0.1 with deploy/nginx/pacte.conf (its workers as www-data, a self-signed certificate);
#   7. one run of every scheduled job (the ExecStart lines of deploy/systemd/pacte-*.service), the backup with
#      cron's bare PATH, and a backup that fails;
#   8. checks: a static CSS file through nginx, home page, a territory page, the API, a convention PDF, /sante/,
#      a sign-in through nginx on a non-default port (Host with the port, CSRF), the 413 page, a worker job,
#      then a restore of the backup into a fresh ICU database and reads against it.
# Prints the time of each step; exits non-zero on any failed check. Stops and removes everything it started
# (trap): gunicorn, worker, nginx, the cluster, the temporary directory, the user if it created it.
#
# Usage: scripts/deploy_drill.sh   (root; about 4 minutes on a quiet 2-core machine)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
case "${1:-}" in
    -h | --help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    "") ;;
    *) echo "Option inconnue : $1 (voir --help)." >&2; exit 2 ;;
esac
if [ "$(id -u)" -ne 0 ]; then
    echo "ERREUR : l'exercice de déploiement se lance en root (il crée un compte système et lance nginx)." >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# What an operator's root shell has on Debian: the code and the virtualenv readable by the `pacte` user.
umask 022
APT_PACKAGES=(postgresql nginx python3-venv openssl curl libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
    fonts-dejavu-core)
RUNTIME_LOCK="$ROOT/requirements-runtime.lock"
SERVICE_USER=pacte
DRILL_PASSWORD="exercice-deploiement-$$-$RANDOM$RANDOM"

# shellcheck source=scripts/drill_lib.sh
. "$ROOT/scripts/drill_lib.sh"
WORK=$(mktemp -d /tmp/pacte-deploy-drill.XXXXXX)
chmod 0755 "$WORK"  # nginx's workers (www-data) traverse it to reach the static files, as /var/lib does
OPT="$WORK/opt/pacte"          # /opt/pacte
VAR="$WORK/var/lib/pacte"      # /var/lib/pacte (PACTE_VAR_DIR)
ETC="$WORK/etc/pacte"          # /etc/pacte
SBIN="$WORK/usr/local/sbin"    # /usr/local/sbin
BACKUPS="$WORK/var/backups/pacte"
NGX="$WORK/nginx"
LOGS="$WORK/journaux"
ENV_FILE="$ETC/pacte.env"
mkdir -p "$WORK/opt" "$ETC" "$SBIN" "$NGX/tmp" "$LOGS" "$WORK/tls" "$WORK/systemd"

USER_CREATED=0
SERVICE_PIDS=()
NGINX_STARTED=0
stop_services() {
    local pid
    if [ "$NGINX_STARTED" -eq 1 ]; then
        nginx -c "$NGX/nginx.conf" -p "$NGX/" -s stop 2>/dev/null || true
    fi
    for pid in "${SERVICE_PIDS[@]}"; do
        kill -TERM -- "-$pid" 2>/dev/null || true
    done
    for pid in "${SERVICE_PIDS[@]}"; do
        for _ in $(seq 1 30); do
            kill -0 -- "-$pid" 2>/dev/null || break
            sleep 0.5
        done
        kill -KILL -- "-$pid" 2>/dev/null || true
    done
    SERVICE_PIDS=()
}
remove_user() {
    if [ "$USER_CREATED" -eq 1 ]; then
        userdel "$SERVICE_USER" 2>/dev/null || true
        groupdel "$SERVICE_USER" 2>/dev/null || true
    fi
}
DRILL_CLEANUPS+=("stop_services")
# Stops the cluster before the user and the directory go (drill_cleanup runs these first, then the cluster).
trap 'status=$?; stop_services; drill_cleanup; remove_user; rm -rf "$WORK"; exit $status' EXIT

START=$SECONDS
STEP_START=$SECONDS
STEP_NAME=""
TIMINGS=()
FAILED=()
step() {
    if [ -n "$STEP_NAME" ]; then
        TIMINGS+=("$(printf '%-58s %4d s' "$STEP_NAME" $((SECONDS - STEP_START)))")
    fi
    STEP_NAME=$*
    STEP_START=$SECONDS
    printf '\n== %s\n' "$*"
}
ok() { printf '  ok     %s\n' "$*"; }
ko() { printf '  ÉCHEC  %s\n' "$*"; FAILED+=("$*"); }
skip() { printf '  --     %s\n' "$*"; }
# Runs "$@", its output in $LOGS/$1.log (the first word names the log); prints the log's end on failure.
quiet() {
    local log="$LOGS/$1.log"
    shift
    "$@" >"$log" 2>&1 || { tail -n 30 "$log" | sed 's/^/  | /' >&2; return 1; }
}

# The ExecStart lines of a unit file (continuations joined), with the drill's paths in place of the real ones.
unit_commands() {
    python3 - "$1" <<'PY' | sed -e "s#/opt/pacte#$OPT#g" -e "s#/usr/local/sbin/#$SBIN/#g" \
        -e "s#127.0.0.1:8000#127.0.0.1:$APP_PORT#g"
import sys

text = open(sys.argv[1], encoding="utf-8").read().replace("\\\n", " ")
for line in text.splitlines():
    if line.startswith("ExecStart="):
        print(" ".join(line[len("ExecStart="):].split()))
PY
}
unit_user() { sed -n 's/^User=//p' "$1" | head -n 1; }

# As systemd would run a service: the unit's user, EnvironmentFile, WorkingDirectory, UMask.
as_service() {
    local user=$1 umask=$2
    shift 2
    runuser -u "$user" -- /bin/sh -c "set -a; . '$ENV_FILE'; set +a; cd '$OPT'; umask $umask; exec $*"
}
# The documented /usr/local/sbin/pacte (deploy/bin/pacte), pointed at the drill's files.
pacte() { PACTE_ENV_FILE="$ENV_FILE" PACTE_HOME="$OPT" "$SBIN/pacte" "$@"; }

# ---------------------------------------------------------------------------------------------------------
step "1. Paquets Debian et compte système"
missing=()
for package in "${APT_PACKAGES[@]}"; do
    if [ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)" != "install ok installed" ]; then
        missing+=("$package")
    fi
done
if [ "${#missing[@]}" -eq 0 ]; then
    ok "paquets déjà installés : ${APT_PACKAGES[*]}"
else
    echo "  À installer : ${missing[*]}"
    quiet apt-update apt-get update -q
    quiet apt-install apt-get install -y -q --no-install-recommends "${missing[@]}"
    ok "installés : ${missing[*]}"
fi
# Debian starts nginx on installation: the drill's own nginx listens elsewhere, the packaged one is left alone.
if id "$SERVICE_USER" >/dev/null 2>&1; then
    ok "compte système « $SERVICE_USER » déjà présent (gardé à la fin)"
else
    useradd --system --user-group --home-dir "$VAR" --no-create-home --shell /usr/sbin/nologin "$SERVICE_USER"
    USER_CREATED=1
    ok "compte système « $SERVICE_USER » créé (supprimé à la fin)"
fi
# deploiement.md: /var/lib/pacte 0755 (nginx traverses it), static/ 0755, media/ 0700 (private uploads).
install -d -o "$SERVICE_USER" -g "$SERVICE_USER" -m 0755 "$VAR" "$VAR/static"
install -d -o "$SERVICE_USER" -g "$SERVICE_USER" -m 0700 "$VAR/media"
install -d -o "$SERVICE_USER" -g "$SERVICE_USER" -m 0700 "$WORK/essais"

# ---------------------------------------------------------------------------------------------------------
step "2. Code, environnement Python d'exécution, fichier d'environnement"
# As the docs do (`git clone … /opt/pacte && git checkout vX.Y.Z`): a clone of this repository at its current
# commit, so that a file the release needs but git does not hold fails here. Changes not committed are not in it
# (said below). Outside a git repository (an unpacked archive), a copy of the tree without its local state.
if git -C "$ROOT" rev-parse --verify --quiet HEAD >/dev/null; then
    COMMIT=$(git -C "$ROOT" rev-parse HEAD)
    git -c safe.directory="$ROOT" clone --quiet --no-hardlinks --no-checkout "$ROOT" "$OPT"
    git -C "$OPT" -c advice.detachedHead=false checkout --quiet "$COMMIT"
    git -C "$OPT" rev-parse --short HEAD >"$OPT/REVISION"  # deploiement.md, after each checkout
    chmod 0755 "$OPT"
    ok "code : clone de ce dépôt au commit $(cat "$OPT/REVISION")"
    if [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no)" ]; then
        echo "  Des modifications non commitées de ce dossier ne sont pas dans le clone : l'exercice vérifie le commit."
    fi
else
    tar -C "$ROOT" --exclude=./.git --exclude=./.venv --exclude=./var --exclude=./build --exclude='*.egg-info' \
        --exclude=./node_modules --exclude=__pycache__ --exclude=./.ruff_cache --exclude=./.hypothesis \
        --exclude=./.pytest_cache -cf - . | { install -d -m 0755 "$OPT" && tar -C "$OPT" -xf -; }
    ok "code : copie de ce dossier (pas un dépôt git)"
fi
if [ -f "$RUNTIME_LOCK" ]; then
    LOCK=requirements-runtime.lock
else
    LOCK=requirements.lock
    echo "  requirements-runtime.lock absent : installation depuis requirements.lock (outils de test compris)."
fi
started=$SECONDS
quiet venv /usr/bin/python3 -m venv "$OPT/.venv"  # Debian's Python 3.11, as the docs install it
quiet pip-lock "$OPT/.venv/bin/python" -m pip install --quiet --require-hashes --no-deps -r "$OPT/$LOCK"
quiet pip-pacte sh -c "cd '$OPT' && .venv/bin/python -m pip install --quiet --no-deps --no-build-isolation -e ."
ok "$LOCK installé en $((SECONDS - started)) s : $(du -sh "$OPT/.venv" | cut -f1) ($("$OPT/.venv/bin/python" -m pip list 2>/dev/null | tail -n +3 | wc -l) paquets)"
for tool in ruff playwright hypothesis factory; do
    if "$OPT/.venv/bin/python" -c "import $tool" 2>/dev/null; then
        ko "outil de test présent dans l'environnement d'exécution : $tool"
    fi
done
install -m 0755 "$ROOT/deploy/bin/pacte" "$ROOT/deploy/bin/pacte-tache" "$SBIN/"
install -m 0750 "$ROOT/deploy/bin/pacte-sauvegarde" "$SBIN/"

drill_pg_start >/dev/null
APP_PORT=$(drill_free_port)
HTTP_PORT=$(drill_free_port)
HTTPS_PORT=$(drill_free_port)
DATABASE="postgres://$SERVICE_USER@127.0.0.1:$PG_PORT/pacte"
install -d -m 0750 -g "$SERVICE_USER" "$ETC"
install -m 0640 -g "$SERVICE_USER" /dev/null "$ENV_FILE"
cat >"$ENV_FILE" <<EOF
SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')
ALLOWED_HOSTS=127.0.0.1,localhost
DATABASE_URL=$DATABASE
PACTE_VAR_DIR=$VAR
DEFAULT_FROM_EMAIL=pacte@localhost
EMAIL_BACKEND=django.core.mail.backends.console.EmailBackend
SECURE_HSTS_SECONDS=3600
LOG_LEVEL=INFO
PACTE_TRUSTED_PROXY=1
EOF
ok "fichier d'environnement $ENV_FILE (0640 root:$SERVICE_USER)"

# ---------------------------------------------------------------------------------------------------------
step "3. PostgreSQL : rôle pacte, base en collation ICU française"
echo "  $("$PG_BIN/postgres" --version), 127.0.0.1:$PG_PORT (cluster jetable, initdb --locale=C.UTF-8)"
ADMIN=(-h 127.0.0.1 -p "$PG_PORT" -U postgres)
"$PG_BIN/createuser" "${ADMIN[@]}" "$SERVICE_USER"
# deploiement.md, section 2: the same command, no OS locale needed.
"$PG_BIN/createdb" "${ADMIN[@]}" --owner="$SERVICE_USER" --template=template0 --encoding=UTF8 \
    --locale-provider=icu --icu-locale=fr-FR --locale=C.UTF-8 pacte
collation=$("$PG_BIN/psql" "${ADMIN[@]}" -XAtc \
    "select datlocprovider::text || ' ' || coalesce(daticulocale, '') || ' ' || datcollate from pg_database where datname = 'pacte'")
if [ "$collation" = "i fr-FR C.UTF-8" ]; then
    ok "base « pacte » : fournisseur ICU, fr-FR (datcollate C.UTF-8)"
else
    ko "base « pacte » : collation inattendue « $collation »"
fi

# ---------------------------------------------------------------------------------------------------------
step "4. pacte setup, collectstatic, check --deploy, premier compte national"
started=$SECONDS
if pacte help setup >/dev/null 2>&1; then
    quiet setup pacte setup
    sed 's/^/  | /' "$LOGS/setup.log" | tail -n 12
    ok "pacte setup en $((SECONDS - started)) s"
    started=$SECONDS
    quiet setup-2 pacte setup
    ok "pacte setup relancé en $((SECONDS - started)) s (idempotent)"
else
    echo "  pacte setup non disponible dans cette version : migrate et chargements un à un."
    for command in "migrate --noinput" load_cog load_referentiel load_observation load_concertation; do
        # shellcheck disable=SC2086
        quiet "${command%% *}" pacte $command
    done
    ok "migrate, load_cog, load_referentiel, load_observation, load_concertation en $((SECONDS - started)) s"
fi
started=$SECONDS
quiet collectstatic pacte collectstatic --noinput
ok "collectstatic en $((SECONDS - started)) s : $(tail -n 1 "$LOGS/collectstatic.log")"
quiet check pacte check --deploy || true
unexpected=$(grep -oE '\(?[a-z_.]+\.[EW][0-9]{3}\)?' "$LOGS/check.log" | tr -d '()' | grep -vx 'security.W021' || true)
if [ -z "$unexpected" ] && grep -q 'identified' "$LOGS/check.log"; then
    ok "pacte check --deploy : rien d'autre que security.W021"
else
    ko "pacte check --deploy : $(echo "$unexpected" | tr '\n' ' ')"
    sed 's/^/  | /' "$LOGS/check.log"
fi
if pacte help compte >/dev/null 2>&1; then
    if printf '%s\n' "$DRILL_PASSWORD" | pacte compte creer --identifiant pilote.national \
        --courriel pilote.national@exemple.gouv.fr --prenom Camille --nom Martin --role national_steering \
        --organisation "Délégation interministérielle à la prévention et à la lutte contre la pauvreté" \
        --type-organisation diplp --mot-de-passe-stdin \
        >"$LOGS/compte.log" 2>&1; then
        ok "pacte compte creer : $(tail -n 1 "$LOGS/compte.log")"
        ACCOUNT=pilote.national
    else
        ko "pacte compte creer a échoué"
        sed 's/^/  | /' "$LOGS/compte.log"
        ACCOUNT=""
    fi
else
    skip "pacte compte creer non disponible dans cette version"
    ACCOUNT=""
fi
started=$SECONDS
PACTE_DEMO=1 quiet load_demo pacte load_demo
ok "pacte load_demo (exercice seulement : un contrat signé pour le PDF) en $((SECONDS - started)) s"

# ---------------------------------------------------------------------------------------------------------
step "5. gunicorn et le worker (commandes des unités systemd)"
for unit in "$ROOT"/deploy/systemd/*.service "$ROOT"/deploy/systemd/*.timer; do
    sed -e "s#/opt/pacte#$OPT#g" -e "s#/usr/local/sbin/#$SBIN/#g" -e "s#/etc/pacte/#$ETC/#g" \
        -e "s#/var/lib/pacte#$VAR#g" "$unit" >"$WORK/systemd/$(basename "$unit")"
done
if command -v systemd-analyze >/dev/null 2>&1; then
    systemd-analyze verify "$WORK"/systemd/*.service "$WORK"/systemd/*.timer >"$LOGS/verify.log" 2>&1 || true
    # Only the lines about Pacte's units count (without systemd as PID 1, verify may talk about the host).
    if grep -q 'pacte' "$LOGS/verify.log"; then
        grep 'pacte' "$LOGS/verify.log" | sed "s#$WORK##g; s/^/  | /"
        ko "systemd-analyze verify : remarques sur les unités de Pacte"
    else
        ok "systemd-analyze verify : $(find "$WORK/systemd" -type f | wc -l) unités, aucune remarque"
    fi
else
    skip "systemd-analyze absent : unités non vérifiées"
fi
if [ "$(cat /proc/1/comm 2>/dev/null)" = systemd ]; then
    echo "  (systemd tourne ici, mais l'exercice n'installe pas d'unités : mêmes commandes en arrière-plan)"
else
    echo "  PID 1 n'est pas systemd : les commandes ExecStart des unités tournent en arrière-plan sous « $SERVICE_USER »."
fi
start_service() {
    local unit=$1 name=$2 command
    command=$(unit_commands "$ROOT/deploy/systemd/$unit")
    setsid runuser -u "$SERVICE_USER" -- /bin/sh -c \
        "set -a; . '$ENV_FILE'; set +a; cd '$OPT'; umask $(sed -n 's/^UMask=//p' "$ROOT/deploy/systemd/$unit"); exec $command" \
        >"$LOGS/$name.log" 2>&1 &
    SERVICE_PIDS+=("$!")
    echo "  $unit : $(echo "$command" | sed "s#$WORK##g" | cut -c1-110)…"
}
started=$SECONDS
start_service pacte.service gunicorn
start_service pacte-worker.service worker
for _ in $(seq 1 120); do
    code=$(curl -s -o /dev/null -w '%{http_code}' -H 'X-Forwarded-Proto: https' "http://127.0.0.1:$APP_PORT/" || true)
    [ "$code" != 000 ] && break
    sleep 1
done
if [ "$code" = 200 ]; then
    ok "gunicorn répond sur 127.0.0.1:$APP_PORT en $((SECONDS - started)) s"
else
    ko "gunicorn ne répond pas (HTTP $code)"
    tail -n 30 "$LOGS/gunicorn.log" | sed 's/^/  | /'
fi
for _ in $(seq 1 60); do
    grep -qi 'prêt' "$LOGS/worker.log" && break
    sleep 1
done
if grep -qi 'prêt' "$LOGS/worker.log"; then
    ok "worker : « $(grep -i -m 1 'prêt' "$LOGS/worker.log" | cut -c1-160) »"
else
    skip "le worker n'écrit pas encore « prêt » dans cette version (tourne : $(kill -0 "${SERVICE_PIDS[1]}" 2>/dev/null && echo oui || echo non))"
fi

# ---------------------------------------------------------------------------------------------------------
step "6. nginx sur 127.0.0.1 avec deploy/nginx/pacte.conf"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
    -keyout "$WORK/tls/privkey.pem" -out "$WORK/tls/fullchain.pem" >/dev/null 2>&1
sed -e "s#listen 80;#listen 127.0.0.1:$HTTP_PORT;#" -e '/listen \[::\]/d' \
    -e "s#listen 443 ssl http2;#listen 127.0.0.1:$HTTPS_PORT ssl http2;#" \
    -e "s#server_name pacte.exemple.gouv.fr;#server_name 127.0.0.1 localhost;#" \
    -e "s#/etc/letsencrypt/live/pacte.exemple.gouv.fr/#$WORK/tls/#g" \
    -e "s#/var/lib/pacte/static/#$VAR/static/#" -e "s#/var/log/nginx/#$NGX/#g" \
    -e "s#server 127.0.0.1:8000#server 127.0.0.1:$APP_PORT#" "$ROOT/deploy/nginx/pacte.conf" >"$NGX/pacte.conf"
if grep -v '^ *#' "$NGX/pacte.conf" | grep -nE 'exemple\.gouv\.fr|(^|[[:space:]])/var/lib/pacte|:8000|/etc/letsencrypt|\[::\]'; then
    ko "deploy/nginx/pacte.conf : des chemins ou des noms n'ont pas été adaptés (lignes ci-dessus)"
fi
cat >"$NGX/nginx.conf" <<EOF
user www-data;
worker_processes 1;
pid $NGX/nginx.pid;
error_log $NGX/error.log;
events { worker_connections 64; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    gzip on;
    client_body_temp_path $NGX/tmp/body;
    proxy_temp_path $NGX/tmp/proxy;
    fastcgi_temp_path $NGX/tmp/fastcgi;
    uwsgi_temp_path $NGX/tmp/uwsgi;
    scgi_temp_path $NGX/tmp/scgi;
    include $NGX/pacte.conf;
}
EOF
if nginx -t -c "$NGX/nginx.conf" -p "$NGX/" >"$LOGS/nginx-t.log" 2>&1; then
    ok "nginx -t : $(grep -c . "$LOGS/nginx-t.log") lignes, configuration valide ($(nginx -v 2>&1 | sed 's/.*: //'))"
else
    sed 's/^/  | /' "$LOGS/nginx-t.log"
    ko "nginx -t"
fi
nginx -c "$NGX/nginx.conf" -p "$NGX/"
NGINX_STARTED=1
SITE="https://127.0.0.1:$HTTPS_PORT"
ok "nginx : $SITE (et http://127.0.0.1:$HTTP_PORT), gunicorn derrière sur 127.0.0.1:$APP_PORT"

# ---------------------------------------------------------------------------------------------------------
step "7. Tâches périodiques : une fois chacune, comme systemd les lance"
for unit in "$ROOT"/deploy/systemd/pacte-*.service; do
    name=$(basename "$unit" .service)
    [ "$name" = pacte-worker ] && continue
    [ -f "${unit%.service}.timer" ] || ko "$name.service sans minuteur ${name}.timer"
    user=$(unit_user "$unit")
    while IFS= read -r command; do
        if [ -z "$user" ]; then
            # Root jobs (the backup) read the environment file themselves; cron's bare PATH, as the issue saw.
            output=$(env -i PATH=/usr/bin:/bin PACTE_ENV_FILE="$ENV_FILE" PACTE_BACKUP_DIR="$BACKUPS" \
                /bin/sh -c "$command" 2>&1) && status=0 || status=$?
        else
            output=$(as_service "$user" 0077 "$command" 2>&1) && status=0 || status=$?
        fi
        summary=$(echo "$output" | grep -E '^(<[0-9]>)?tâche ' | tail -n 1 | sed 's/^<[0-9]>//')
        if [ "$status" -eq 0 ] && [ -n "$summary" ]; then
            ok "$name : $summary"
        elif echo "$output" | grep -q "Unknown command: 'courriels'"; then
            skip "$name : pacte courriels non disponible dans cette version ($summary)"
        else
            ko "$name : code $status, « ${summary:-aucune ligne de fin} »"
            echo "$output" | tail -n 8 | sed 's/^/  | /'
        fi
    done < <(unit_commands "$unit")
done
# The cron alternative sets PATH (deploy/cron/pacte) and every job goes through pacte-tache.
if grep -qx 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' "$ROOT/deploy/cron/pacte" \
    && ! grep -E '^[0-9*]' "$ROOT/deploy/cron/pacte" | grep -vq ' root  pacte-tache '; then
    ok "deploy/cron/pacte : PATH complet, chaque tâche passe par pacte-tache"
else
    ko "deploy/cron/pacte : PATH absent ou tâche sans pacte-tache"
fi
# A backup that fails (the database does not answer) leaves no .partiel, says so and exits non-zero.
sed "s#^DATABASE_URL=.*#DATABASE_URL=postgres://$SERVICE_USER@127.0.0.1:1/pacte#" "$ENV_FILE" >"$WORK/panne.env"
output=$(env -i PATH=/usr/bin:/bin PACTE_ENV_FILE="$WORK/panne.env" PACTE_BACKUP_DIR="$WORK/sauvegardes-panne" \
    "$SBIN/pacte-tache" sauvegarde "$SBIN/pacte-sauvegarde" 2>&1) && status=0 || status=$?
if [ "$status" -ne 0 ] && [ -z "$(find "$WORK/sauvegardes-panne" -type f 2>/dev/null)" ] \
    && echo "$output" | grep -q 'Sauvegarde échouée'; then
    ok "sauvegarde en panne (base injoignable) : code $status, aucun fichier laissé, « $(echo "$output" | grep -E '^tâche' | tail -n 1) »"
else
    ko "sauvegarde en panne : code $status, fichiers : $(find "$WORK/sauvegardes-panne" -type f 2>/dev/null | tr '\n' ' ')"
    echo "$output" | tail -n 5 | sed 's/^/  | /'
fi

# ---------------------------------------------------------------------------------------------------------
step "8. Vérifications au travers de nginx"
CURL=(curl -k -s --max-time 60)
code=$("${CURL[@]}" -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$HTTP_PORT/" || true)
[ "${code%% *}" = 301 ] && ok "HTTP → HTTPS : 301 vers ${code#* }" || ko "HTTP sur le port 80 : $code"
read -r code type < <("${CURL[@]}" -o "$WORK/accueil.html" -w '%{http_code} %{content_type}\n' "$SITE/")
title=$(grep -o '<title>[^<]*' "$WORK/accueil.html" | head -n 1 | sed 's/<title>//')
[ "$code" = 200 ] && ok "accueil : 200, « $title »" || ko "accueil : HTTP $code"
css=$(grep -oE 'href="/static/[^"]+\.css"' "$WORK/accueil.html" | head -n 1 | sed 's/^href="//; s/"$//')
if [ -n "$css" ]; then
    read -r code type size < <("${CURL[@]}" -o /dev/null -w '%{http_code} %{content_type} %{size_download}\n' "$SITE$css")
    if [ "$code" = 200 ] && [ "${type%%;*}" = text/css ]; then
        ok "feuille de style servie par nginx (www-data) : 200 $type, $size octets ($css)"
    else
        ko "feuille de style $css : HTTP $code $type (droits de $VAR/static ?)"
        tail -n 3 "$NGX/pacte.error.log" 2>/dev/null | sed 's/^/  | /'
    fi
else
    ko "aucune feuille de style dans la page d'accueil"
fi
read -r code type < <("${CURL[@]}" -o "$WORK/territoire.html" -w '%{http_code} %{content_type}\n' "$SITE/territoires/departement/44/")
[ "$code" = 200 ] && ok "territoire : 200, « $(grep -o '<title>[^<]*' "$WORK/territoire.html" | head -n 1 | sed 's/<title>//') »" \
    || ko "page du territoire 44 : HTTP $code"
read -r code type < <("${CURL[@]}" -o "$WORK/regions.json" -w '%{http_code} %{content_type}\n' "$SITE/api/v1/territories/?level=region")
count=$(python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(d.get("count", len(d.get("items", d))) if isinstance(d, dict) else len(d))' "$WORK/regions.json" 2>/dev/null || echo "?")
[ "$code" = 200 ] && ok "API des régions : 200 $type, $count régions" || ko "API des régions : HTTP $code"
contract=$("$PG_BIN/psql" "$DATABASE" -XAtc "select min(id) from contracts_contract where status = 'signe'" 2>/dev/null || true)
if [ -n "$contract" ]; then
    read -r code type size < <("${CURL[@]}" -o "$WORK/convention.pdf" -w '%{http_code} %{content_type} %{size_download}\n' "$SITE/contrats/$contract/convention.pdf")
    if [ "$code" = 200 ] && [ "$(head -c 5 "$WORK/convention.pdf")" = "%PDF-" ]; then
        ok "convention PDF du contrat signé n° $contract : 200 $type, $size octets"
    else
        ko "convention PDF du contrat n° $contract : HTTP $code $type"
    fi
else
    ko "aucun contrat signé dans la base (load_demo ?)"
fi
read -r code type < <("${CURL[@]}" -o "$WORK/sante.json" -w '%{http_code} %{content_type}\n' "$SITE/sante/")
if [ "$code" = 404 ]; then
    skip "/sante/ non disponible dans cette version (404)"
elif [ "$code" = 200 ] && grep -q '"base": *"ok"' "$WORK/sante.json"; then
    ok "/sante/ : 200 $(tr -d '\n' <"$WORK/sante.json" | cut -c1-150)"
else
    ko "/sante/ : HTTP $code $(tr -d '\n' <"$WORK/sante.json" | cut -c1-150)"
fi
# Sign-in through nginx on a port other than 443: the Host header keeps the port, so the CSRF origin check passes.
if [ -n "$ACCOUNT" ]; then
    jar="$WORK/cookies"
    "${CURL[@]}" -c "$jar" -o "$WORK/connexion.html" "$SITE/comptes/connexion/" || true
    token=$(grep -oE 'name="csrfmiddlewaretoken" value="[^"]+"' "$WORK/connexion.html" | head -n 1 | sed 's/.*value="//; s/"$//')
    code=$("${CURL[@]}" -b "$jar" -c "$jar" -o "$WORK/connexion-post.html" -w '%{http_code} %{redirect_url}' \
        -H "Origin: $SITE" -H "Referer: $SITE/comptes/connexion/" \
        --data-urlencode "csrfmiddlewaretoken=$token" --data-urlencode "username=$ACCOUNT" \
        --data-urlencode "password=$DRILL_PASSWORD" "$SITE/comptes/connexion/" || true)
    if [ "${code%% *}" = 302 ]; then
        ok "connexion du compte national au travers de nginx, port $HTTPS_PORT : 302 vers ${code#* }"
    else
        ko "connexion au travers de nginx (port $HTTPS_PORT) : HTTP $code (403 : Host sans le port ?)"
    fi
else
    skip "connexion au travers de nginx : pas de compte créé par pacte compte creer"
fi
# nginx's request id (X-Request-ID) is the one in Pacte's log lines.
"${CURL[@]}" -o /dev/null "$SITE/page-absente-exercice/" || true
sleep 1
request_id=$(grep 'page-absente-exercice' "$NGX/pacte.access.log" | tail -n 1 | awk '{print $(NF-1)}')
if [ -n "$request_id" ] && grep -q "$request_id" "$LOGS/gunicorn.log"; then
    ok "identifiant de requête de nginx ($request_id) dans le journal de Pacte : $(grep -m 1 "$request_id" "$LOGS/gunicorn.log" | cut -c1-110)"
else
    ko "identifiant de requête « $request_id » absent du journal de Pacte"
fi
# The secret key of a private calendar's address is masked in nginx's access log and in Pacte's.
"${CURL[@]}" -o /dev/null "$SITE/gouvernance/instances/1/calendrier/cle-secrete-exercice.ics" || true
sleep 1
if grep -q '/gouvernance/instances/1/calendrier/\[cle-masquee\]\.ics' "$NGX/pacte.access.log" \
    && ! grep -q 'cle-secrete-exercice' "$NGX/pacte.access.log" "$LOGS/gunicorn.log"; then
    ok "clé d'agenda masquée dans le journal de nginx ([cle-masquee]) et absente de celui de Pacte"
else
    ko "clé d'agenda en clair dans un journal"
    grep 'calendrier' "$NGX/pacte.access.log" "$LOGS/gunicorn.log" | tail -n 3 | sed 's/^/  | /'
fi
# An upload above nginx's cap answers nginx's French 413 page (the body is never sent: Content-Length decides).
code=$("${CURL[@]}" -o "$WORK/413.html" -w '%{http_code}' -X POST -H 'Content-Type: text/csv' \
    -H "Content-Length: $((300 * 1024 * 1024))" -H 'Expect:' --data-binary '' "$SITE/droits/" 2>/dev/null || true)
if [ "$code" = 413 ] && grep -q 'Fichier trop volumineux' "$WORK/413.html"; then
    ok "dépôt de plus de 201 Mo : 413 avec la page française de nginx"
else
    ko "dépôt trop gros : HTTP $code $(head -c 120 "$WORK/413.html" 2>/dev/null)"
fi

# ---------------------------------------------------------------------------------------------------------
step "9. Un traitement par le worker (fichier de 40 foyers fictifs de Loire-Atlantique)"
started=$SECONDS
as_service "$SERVICE_USER" 0077 "$OPT/.venv/bin/pacte rights generer --foyers 40 --departement 44 --sortie $WORK/essais/menages.csv" \
    >"$LOGS/generer.log" 2>&1
cat >"$WORK/essais/depot.py" <<EOF
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from pacte.screening import jobs
from pacte.territories.enums import Level
from pacte.territories.models import Territory

data = open("$WORK/essais/menages.csv", "rb").read()
user = get_user_model().objects.filter(is_active=True).order_by("pk").first()
territory = Territory.objects.get(level=Level.DEPARTEMENT, code="44")
job = jobs.submit(user=user, territory=territory, month="2026-05", upload=SimpleUploadedFile("menages.csv", data))
print(job.pk)
EOF
chmod 0644 "$WORK/essais/depot.py"
job=$(as_service "$SERVICE_USER" 0077 "$OPT/.venv/bin/pacte shell -c \"exec(open('$WORK/essais/depot.py').read())\"" 2>"$LOGS/depot.log" | tail -n 1)
if [ -z "$job" ]; then
    ko "dépôt du fichier de ménages"
    sed 's/^/  | /' "$LOGS/depot.log"
else
    state=""
    for _ in $(seq 1 180); do
        state=$("$PG_BIN/psql" "$DATABASE" -XAt -F ' ' -c "select status, households, rejected from screening_screeningjob where id = $job")
        case "$state" in termine* | echoue*) break ;; esac
        sleep 1
    done
    if [ "${state%% *}" = termine ]; then
        read -r _ households rejected <<<"$state"
        ok "traitement n° $job terminé par le worker en $((SECONDS - started)) s : $households foyers examinés, $rejected refusé(s)"
    else
        ko "traitement n° $job : « $state » après $((SECONDS - started)) s"
        tail -n 15 "$LOGS/worker.log" | sed 's/^/  | /'
    fi
fi

# ---------------------------------------------------------------------------------------------------------
step "10. Sauvegarde (pacte-sauvegarde), restauration dans une base ICU neuve, lectures"
started=$SECONDS
output=$(env -i PATH=/usr/bin:/bin PACTE_ENV_FILE="$ENV_FILE" PACTE_BACKUP_DIR="$BACKUPS" \
    "$SBIN/pacte-tache" sauvegarde "$SBIN/pacte-sauvegarde" 2>&1) || { ko "pacte-sauvegarde : $output"; }
DUMP=$(find "$BACKUPS" -name 'pacte-*.dump' -newer "$WORK/essais/menages.csv" | sort | tail -n 1)
MEDIA=$(find "$BACKUPS" -name 'media-*.tar.gz' -newer "$WORK/essais/menages.csv" | sort | tail -n 1)
if [[ "$(basename "$DUMP")" =~ ^pacte-[0-9]{4}-[0-9]{2}-[0-9]{2}_[0-9]{6}\.dump$ ]] && [ -n "$MEDIA" ]; then
    ok "$(basename "$DUMP") et $(basename "$MEDIA") en $((SECONDS - started)) s, PATH de cron"
    echo "$output" | sed "s#$WORK##g; s/^/  | /"
    [ "$(stat -c %a "$BACKUPS")" = 700 ] && ok "dossier des sauvegardes en 0700" || ko "dossier des sauvegardes en $(stat -c %a "$BACKUPS")"
else
    ko "sauvegarde introuvable ou mal nommée : « $DUMP » « $MEDIA »"
fi
RESTORED="postgres://$SERVICE_USER@127.0.0.1:$PG_PORT/pacte_restauree"
started=$SECONDS
# sauvegarde.md, « Restaurer »: a fresh database with the same ICU collation, the target named explicitly.
"$PG_BIN/createdb" "${ADMIN[@]}" --owner="$SERVICE_USER" --template=template0 --encoding=UTF8 \
    --locale-provider=icu --icu-locale=fr-FR --locale=C.UTF-8 pacte_restauree
if runuser -u "$SERVICE_USER" -- "$PG_BIN/pg_restore" --dbname="$RESTORED" --no-owner --single-transaction \
    --exit-on-error <"$DUMP" 2>"$LOGS/restore.log"; then
    ok "pg_restore --dbname=…/pacte_restauree en $((SECONDS - started)) s"
else
    ko "pg_restore"
    tail -n 10 "$LOGS/restore.log" | sed 's/^/  | /'
fi
REGIONS_SQL="select string_agg(name, ' | ' order by name) from territories_territory where level = 'region'"
live=$("$PG_BIN/psql" "$DATABASE" -XAtc "$REGIONS_SQL")
restored=$("$PG_BIN/psql" "$RESTORED" -XAtc "$REGIONS_SQL")
c_order=$("$PG_BIN/psql" "$RESTORED" -XAtc "select string_agg(name, ' | ' order by name collate \"C\") from territories_territory where level = 'region'")
if [ "$live" = "$restored" ] && [ "${restored##* | }" != "Île-de-France" ] && [ "${c_order##* | }" = "Île-de-France" ]; then
    ok "régions triées à la française, même ordre sur la copie : $(echo "$restored" | grep -o '[^|]*Hauts-de-France | Île-de-France | [^|]*' | sed 's/^ //; s/ $//')"
else
    ko "ordre des régions : en service « $live », copie « $restored »"
fi
counts_sql="select (select count(*) from territories_territory), (select count(*) from contracts_contract), (select count(*) from accounts_user), (select count(*) from screening_screeningjob)"
live=$("$PG_BIN/psql" "$DATABASE" -XAt -F ' ' -c "$counts_sql")
restored=$("$PG_BIN/psql" "$RESTORED" -XAt -F ' ' -c "$counts_sql")
[ "$live" = "$restored" ] && ok "territoires, contrats, comptes, traitements : $restored (les mêmes)" \
    || ko "nombres différents : en service $live, copie $restored"
if runuser -u "$SERVICE_USER" -- /bin/sh -c "set -a; . '$ENV_FILE'; DATABASE_URL='$RESTORED'; ALLOWED_HOSTS=127.0.0.1,localhost,testserver; PACTE_PAGE_CACHE_SECONDS=0; set +a; cd '$OPT'; \
    .venv/bin/pacte migrate --check && .venv/bin/python scripts/drill_reads.py" >"$LOGS/lectures.log" 2>&1; then
    ok "copie : migrate --check, puis $(grep -c $'\t200\t' "$LOGS/lectures.log") lectures de pages et de l'API en 200"
else
    ko "lectures sur la copie"
    tail -n 10 "$LOGS/lectures.log" | sed 's/^/  | /'
fi
mkdir -p "$WORK/media-restaure"
tar -C "$WORK/media-restaure" -xzf "$MEDIA"
files=$(find "$WORK/media-restaure" -type f | wc -l)
ok "fichiers déposés : archive relue, $files fichier(s) (résultats du traitement n° ${job:-?} compris)"

step "Arrêt de tout ce que l'exercice a lancé"
stop_services
NGINX_STARTED=0
ok "gunicorn, worker et nginx arrêtés ; le cluster, le dossier $WORK et le compte (s'il a été créé) suivent"

TIMINGS+=("$(printf '%-58s %4d s' "$STEP_NAME" $((SECONDS - STEP_START)))")
printf '\n== Durées\n'
printf '  %s\n' "${TIMINGS[@]}"
printf '\n== Bilan (%d s)\n' $((SECONDS - START))
if [ "${#FAILED[@]}" -ne 0 ]; then
    printf 'ÉCHEC : %s\n' "${FAILED[@]}"
    exit 1
fi
echo "OK : installation suivant docs/deploiement.md, site servi par nginx et gunicorn, worker, tâches périodiques, sauvegarde et restauration vérifiés."
