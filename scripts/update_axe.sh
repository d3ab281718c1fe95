#!/usr/bin/env bash
# Regenerates tests/vendor/axe-core/ (issue 17): the accessibility engine that the browser tests inject into the
# pages they check (tests/core/test_browser_accessibility.py). Downloads the npm package axe-core with `npm pack`
# (npm checks the registry's integrity hash) into a temporary folder, copies axe.min.js, LICENSE (MPL-2.0) and
# LICENSE-3RD-PARTY.txt, and rewrites README.md with the version, the source address and the sha256 of each file.
# Nothing downloads axe-core at run time: the tests read the committed copy.
#
# Usage: scripts/update_axe.sh [VERSION]   (default: the version below; e.g. scripts/update_axe.sh 4.14.1)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
VERSION=${1:-4.14.1}
case "$VERSION" in
    -h | --help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
esac
if ! [[ "$VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]]; then
    echo "Version invalide : « $VERSION » (attendu : trois nombres, par exemple 4.14.1)." >&2
    exit 2
fi
command -v npm >/dev/null || { echo "npm est introuvable : installer le paquet Debian « npm »." >&2; exit 1; }

TARGET=tests/vendor/axe-core
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

(cd "$WORK" && npm pack --silent "axe-core@$VERSION" >/dev/null)
TARBALL="$WORK/axe-core-$VERSION.tgz"
[ -f "$TARBALL" ] || { echo "npm pack n'a pas produit $TARBALL." >&2; exit 1; }
tar -xzf "$TARBALL" -C "$WORK"
PACKAGE_VERSION=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$WORK/package/package.json" | head -1)
if [ "$PACKAGE_VERSION" != "$VERSION" ]; then
    echo "Le paquet téléchargé est en version « $PACKAGE_VERSION », pas « $VERSION »." >&2
    exit 1
fi

mkdir -p "$TARGET"
cp "$WORK/package/axe.min.js" "$WORK/package/LICENSE" "$WORK/package/LICENSE-3RD-PARTY.txt" "$TARGET/"

sum() { sha256sum "$1" | cut -d' ' -f1; }
cat >"$TARGET/README.md" <<EOF
# axe-core $VERSION

Le moteur de tests d'accessibilité de Deque Systems, injecté par les tests navigateur dans les pages qu'ils
vérifient (\`tests/core/test_browser_accessibility.py\`). Il ne sert qu'aux tests : aucune page de Pacte ne le charge.

- Source : le paquet npm \`axe-core@$VERSION\`, https://registry.npmjs.org/axe-core/-/axe-core-$VERSION.tgz
  (sources : https://github.com/dequelabs/axe-core/tree/v$VERSION)
- Licence : Mozilla Public License 2.0 (\`LICENSE\`) ; les bibliothèques incluses dans \`axe.min.js\` sous licence MIT
  sont listées dans \`LICENSE-3RD-PARTY.txt\`. Les fichiers sont copiés sans modification.
- Empreintes SHA-256 :
  - \`axe.min.js\` : \`$(sum "$TARGET/axe.min.js")\`
  - \`LICENSE\` : \`$(sum "$TARGET/LICENSE")\`
  - \`LICENSE-3RD-PARTY.txt\` : \`$(sum "$TARGET/LICENSE-3RD-PARTY.txt")\`
- Archive npm : sha256 \`$(sum "$TARBALL")\`

Mise à jour : \`scripts/update_axe.sh [VERSION]\` retélécharge le paquet (npm vérifie son empreinte d'intégrité) et
réécrit ce dossier ; relancer ensuite \`.venv/bin/pytest -m browser tests/core/test_browser_accessibility.py\`.
EOF
echo "axe-core $VERSION copié dans $TARGET ($(wc -c <"$TARGET/axe.min.js") octets)."
