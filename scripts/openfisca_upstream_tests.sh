#!/usr/bin/env bash
# Tests YAML d'OpenFisca-France (distribution source) contre la version installée dans le virtualenv.
#
# Les tests YAML ne sont publiés que dans la distribution source (sdist) d'openfisca-france. Le script :
#   1. lit la version d'openfisca-france installée dans le virtualenv ;
#   2. télécharge sa sdist depuis PyPI (pip download --no-binary :all: --no-deps) dans un répertoire temporaire ;
#   3. vérifie son empreinte SHA-256, épinglée ci-dessous, et refuse de continuer si elle diffère ;
#   4. lance `openfisca test` depuis le répertoire tests/ de la sdist sur les dossiers qui concernent le
#      moteur d'accès aux droits (voir docs/dev/openfisca-notes.md, « Upstream YAML tests »).
#
# Usage : scripts/openfisca_upstream_tests.sh [--rapide] [--extension]
#   --rapide     sous-ensemble bon marché (pass_colo.yaml, cheque_energie, bourse.yaml, asf, aspa.yaml, cf.yaml,
#                aeeh.yaml ; ~30 s) au lieu de la liste complète (8 à 11 minutes et ~1,1 Go sur 2 cœurs).
#   --extension  charge aussi l'extension openfisca_pacte (--extensions openfisca_pacte) pendant les tests
#                d'OpenFisca-France, puis lance les tests YAML de l'extension (openfisca_pacte/tests).
#
# Variable d'environnement : VENV (défaut : .venv).
# Code de sortie : 0 si tous les tests passent (et qu'au moins un test a tourné), non nul sinon.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)

VENV=${VENV:-.venv}
PYTHON="$ROOT/$VENV/bin/python"
OPENFISCA="$ROOT/$VENV/bin/openfisca"

# Empreintes SHA-256 des sdist acceptées, par version (celle de PyPI, aussi présente dans requirements.lock).
declare -A SDIST_SHA256=(
    [176.1.8]=a21a9a30f2f6da503e78945221f61cf4a450fb1b6efbc18e8437c88e1513b806
)

# Chemins relatifs au répertoire tests/ de la sdist.
FULL_PATHS=(
    formulas/rsa
    formulas/rsa.yaml
    formulas/ppa
    formulas/aides_logement.yaml
    formulas/aides_logement_reforme_janvier_2021.yaml
    formulas/aide_logement_non_calculable.yaml
    formulas/asf
    formulas/af.yaml
    formulas/af_2020_04.yaml
    formulas/af_majoration_age_2026.yaml
    formulas/cs
    formulas/cheque_energie
    formulas/bourse.yaml
    formulas/pass_colo.yaml
    formulas/aah
    formulas/caah.yaml
    formulas/aspa.yaml
    formulas/asi.yaml
    formulas/asi_aspa.yaml
    formulas/cf.yaml
    formulas/cf_2018.yaml
    formulas/cf_2018_04.yaml
    formulas/aeeh.yaml
    formulas/aides_logement_etudiant.yaml
    formulas/csg/csg_remplacement.yaml
)
QUICK_PATHS=(
    formulas/pass_colo.yaml
    formulas/cheque_energie
    formulas/bourse.yaml
    formulas/asf
    formulas/aspa.yaml
    formulas/cf.yaml
    formulas/aeeh.yaml
)

usage() {
    awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"
}

RAPIDE=0
EXTENSION=0
for argument in "$@"; do
    case "$argument" in
        --rapide) RAPIDE=1 ;;
        --extension) EXTENSION=1 ;;
        -h | --help)
            usage
            exit 0
            ;;
        *)
            echo "ERREUR : option inconnue « $argument »." >&2
            usage >&2
            exit 2
            ;;
    esac
done

for executable in "$PYTHON" "$OPENFISCA"; do
    if [ ! -x "$executable" ]; then
        echo "ERREUR : $executable est absent ; lancez d'abord « make install »." >&2
        exit 1
    fi
done

VERSION=$("$PYTHON" -c 'from importlib.metadata import version; print(version("openfisca-france"))')
EXPECTED_SHA256=${SDIST_SHA256[$VERSION]:-}
if [ -z "$EXPECTED_SHA256" ]; then
    echo "ERREUR : aucune empreinte SHA-256 connue pour openfisca-france $VERSION." >&2
    echo "Ajoutez-la à SDIST_SHA256 dans $0 (elle figure dans requirements.lock)." >&2
    exit 1
fi

WORK_DIR=$(mktemp -d /tmp/pacte-openfisca-upstream.XXXXXX)
LOG="$WORK_DIR/openfisca-test.log"
cleanup() {
    local status=$?
    rm -rf "$WORK_DIR"
    exit "$status"
}
trap cleanup EXIT

echo "openfisca-france installé : $VERSION ($("$PYTHON" -c 'from importlib.metadata import version; print("openfisca-core", version("openfisca-core"), "- pytest", version("pytest"))'))"
echo "Téléchargement de la distribution source dans $WORK_DIR…"
start=$SECONDS
"$PYTHON" -m pip download --quiet --no-binary :all: --no-deps --dest "$WORK_DIR/sdist" \
    "openfisca-france==$VERSION"
SDIST=$(find "$WORK_DIR/sdist" -maxdepth 1 -type f -name '*.tar.gz' | head -n 1)
if [ -z "$SDIST" ]; then
    echo "ERREUR : pip n'a pas produit d'archive .tar.gz pour openfisca-france $VERSION." >&2
    exit 1
fi
ACTUAL_SHA256=$(sha256sum "$SDIST" | cut -d ' ' -f 1)
if [ "$ACTUAL_SHA256" != "$EXPECTED_SHA256" ]; then
    echo "ERREUR : empreinte SHA-256 inattendue pour $(basename "$SDIST")." >&2
    echo "  attendue : $EXPECTED_SHA256" >&2
    echo "  obtenue  : $ACTUAL_SHA256" >&2
    exit 1
fi
echo "Empreinte vérifiée : $(basename "$SDIST") sha256=$ACTUAL_SHA256 ($((SECONDS - start)) s)"

tar -xzf "$SDIST" -C "$WORK_DIR"
TESTS_DIR=$(find "$WORK_DIR" -mindepth 2 -maxdepth 2 -type d -name tests | head -n 1)
if [ -z "$TESTS_DIR" ]; then
    echo "ERREUR : la distribution source ne contient pas de répertoire tests/." >&2
    exit 1
fi

if [ "$RAPIDE" -eq 1 ]; then
    PATHS=("${QUICK_PATHS[@]}")
    LABEL="sous-ensemble rapide"
else
    PATHS=("${FULL_PATHS[@]}")
    LABEL="liste complète"
fi
missing=()
for path in "${PATHS[@]}"; do
    if [ ! -e "$TESTS_DIR/$path" ]; then
        missing+=("$path")
    fi
done
if [ "${#missing[@]}" -ne 0 ]; then
    echo "ERREUR : chemins absents de tests/ dans la sdist $VERSION : ${missing[*]}" >&2
    echo "Mettez à jour la liste dans $0 et dans docs/dev/openfisca-notes.md." >&2
    exit 1
fi

OPENFISCA_ARGS=(--country-package openfisca_france)
if [ "$EXTENSION" -eq 1 ]; then
    # The extension is imported by name: make the repository importable even without `make install`.
    export PYTHONPATH="$ROOT${PYTHONPATH:+:$PYTHONPATH}"
    OPENFISCA_ARGS+=(--extensions openfisca_pacte)
    LABEL="$LABEL, avec l'extension openfisca_pacte"
fi

# Prints the number of passed tests found in pytest's closing line of a log (0 when there is none).
passed_count() {
    grep -Eo '[0-9]+ passed' "$1" | tail -n 1 | cut -d ' ' -f 1 || true
}

# Runs `openfisca test` from a directory; sets RUN_STATUS and RUN_PASSED.
run_openfisca_test() {
    local directory=$1
    shift
    set +e
    (cd "$directory" && "$OPENFISCA" test "$@") 2>&1 | tee "$LOG"
    RUN_STATUS=${PIPESTATUS[0]}
    set -e
    RUN_PASSED=$(passed_count "$LOG")
    RUN_PASSED=${RUN_PASSED:-0}
    if [ "$RUN_STATUS" -eq 0 ] && [ "$RUN_PASSED" -eq 0 ]; then
        echo "ERREUR : openfisca test n'a exécuté aucun test." >&2
        RUN_STATUS=1
    fi
}

echo
echo "Tests YAML d'OpenFisca-France $VERSION ($LABEL) : ${PATHS[*]}"
start=$SECONDS
run_openfisca_test "$TESTS_DIR" "${PATHS[@]}" "${OPENFISCA_ARGS[@]}"
UPSTREAM_STATUS=$RUN_STATUS
UPSTREAM_PASSED=$RUN_PASSED
UPSTREAM_SECONDS=$((SECONDS - start))

EXTENSION_STATUS=0
if [ "$EXTENSION" -eq 1 ]; then
    echo
    echo "Tests YAML de l'extension openfisca_pacte"
    start=$SECONDS
    run_openfisca_test "$ROOT" openfisca_pacte/tests "${OPENFISCA_ARGS[@]}"
    EXTENSION_STATUS=$RUN_STATUS
    EXTENSION_PASSED=$RUN_PASSED
    EXTENSION_SECONDS=$((SECONDS - start))
fi

echo
printf 'OpenFisca-France %s (%s) : %s, %d tests réussis, %d s\n' "$VERSION" "$LABEL" \
    "$([ "$UPSTREAM_STATUS" -eq 0 ] && echo OK || echo ÉCHEC)" "$UPSTREAM_PASSED" "$UPSTREAM_SECONDS"
if [ "$EXTENSION" -eq 1 ]; then
    printf 'Extension openfisca_pacte : %s, %d tests réussis, %d s\n' \
        "$([ "$EXTENSION_STATUS" -eq 0 ] && echo OK || echo ÉCHEC)" "$EXTENSION_PASSED" "$EXTENSION_SECONDS"
fi
if [ "$UPSTREAM_STATUS" -ne 0 ] || [ "$EXTENSION_STATUS" -ne 0 ]; then
    exit 1
fi
