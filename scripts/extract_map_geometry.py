"""Extract the SVG outlines of the 101 French départements from the State's chart components.

The source is the npm package @gouvfr/dsfr-chart (MIT licence, © DINUM). Its file
dist/MapChart/MapChart.js is a compiled Vue component holding one <svg> with the 96
metropolitan départements (classes "FR-01" … "FR-95", "FR-2A", "FR-2B") and one small <svg>
per overseas département (971, 972, 973, 974, 976), each with its own viewBox. Only those
geometry literals are read (path strings and viewBoxes, unchanged); no code is copied.

The result is pacte/observation/data/departements_map.json, written with sorted keys so that
regenerating from the same package gives the same bytes:

    python scripts/extract_map_geometry.py                  # runs `npm pack` in a temporary folder
    python scripts/extract_map_geometry.py /tmp/dsfr-chart/package   # an extracted package
    python scripts/extract_map_geometry.py /tmp/gouvfr-dsfr-chart-2.0.4.tgz

(the archive comes from `npm pack @gouvfr/dsfr-chart@2.0.4`). After a new extraction, update
the date and the SHA-256 in pacte/observation/data/PROVENANCE.md. Standard library only (and
npm when no source is given).
"""

import argparse
import hashlib
import json
import re
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

SCRIPTS_DIR = str(Path(__file__).resolve().parent)
if SCRIPTS_DIR not in sys.path:  # also when a test loads this file by its path
    sys.path.insert(0, SCRIPTS_DIR)

import npm_package  # noqa: E402
from npm_package import NpmPackageError, tarball_member  # noqa: E402

PACKAGE = "@gouvfr/dsfr-chart"
VERSION = "2.0.4"
SOURCE_FILE = "dist/MapChart/MapChart.js"
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO_ROOT / "pacte" / "observation" / "data" / "departements_map.json"

INSETS = ("971", "972", "973", "974", "976")
METROPOLITAN = tuple([f"{n:02d}" for n in range(1, 20)] + ["2A", "2B"] + [f"{n:02d}" for n in range(21, 96)])

# A path of the map: `w("path", { class: "FR-01", [style: …,] d: "…"` (the d literal is the
# first one after the class, before any other element).
PATH_RE = re.compile(
    r'w\("path",\s*\{\s*class:\s*"FR-(?P<code>\d{2}|2[AB]|97\d)",'
    r'(?P<between>(?:(?!w\().)*?)\bd:\s*"(?P<d>[^"\\]*)"',
    re.DOTALL,
)
VIEWBOX_RE = re.compile(r'viewBox:\s*"(?P<box>[^"\\]*)"')
FRANCE_VIEWBOX_RE = re.compile(r'FranceProps:\s*\{\s*viewBox:\s*"(?P<box>[^"\\]*)"')
PATH_DATA_RE = re.compile(r"[MmLlHhVvCcSsQqTtAaZz0-9.,\s-]+")
NUMBERS_RE = re.compile(r"-?\d+(?:\.\d+)?(?: -?\d+(?:\.\d+)?){3}")


class ExtractError(NpmPackageError):
    """A problem with the source package; the message is shown as is to the user (French)."""


@dataclass
class Source:
    description: str
    version: str
    script: str
    copyright: str


def read_package_dir(path: Path) -> Source:
    if not (path / "dist").is_dir() and (path / "package" / "dist").is_dir():
        path = path / "package"
    files = {}
    for name in ("package.json", "LICENSE", SOURCE_FILE):
        file = path / name
        if not file.is_file():
            raise ExtractError(f"Fichier introuvable : {file}")
        files[name] = file.read_bytes()
    return make_source(str(path), files)


def read_tarball(path: Path) -> Source:
    with tarfile.open(path, "r:gz") as archive:
        files = {
            name: tarball_member(archive, path, name) for name in ("package.json", "LICENSE", SOURCE_FILE)
        }
    return make_source(path.name, files)


def make_source(description: str, files: dict[str, bytes]) -> Source:
    version = str(json.loads(files["package.json"]).get("version", ""))
    licence = files["LICENSE"].decode("utf-8")
    copyright_lines = [line.strip() for line in licence.splitlines() if line.strip().startswith("Copyright")]
    if "MIT License" not in licence or not copyright_lines:
        raise ExtractError("Le fichier LICENSE du paquet n'est plus la licence MIT attendue.")
    return Source(description, version, files[SOURCE_FILE].decode("utf-8"), copyright_lines[0])


def read_source(path: Path | None) -> Source:
    return npm_package.read_source(
        path, package=PACKAGE, version=VERSION, read_tarball=read_tarball, read_package_dir=read_package_dir
    )


def check_viewbox(box: str, what: str) -> str:
    if not NUMBERS_RE.fullmatch(box):
        raise ExtractError(f"viewBox inattendu pour {what} : {box!r}")
    return box


def find_paths(script: str) -> dict[str, tuple[int, str]]:
    """Code → (position in the script, path data) for every département path."""
    paths: dict[str, tuple[int, str]] = {}
    for match in PATH_RE.finditer(script):
        code, d = match["code"], match["d"]
        if code in paths:
            raise ExtractError(f"Le département {code} apparaît deux fois dans {SOURCE_FILE}.")
        if not PATH_DATA_RE.fullmatch(d):
            raise ExtractError(f"Tracé inattendu pour le département {code}.")
        paths[code] = (match.start(), d)
    expected = set(METROPOLITAN) | set(INSETS)
    if set(paths) != expected:
        missing = ", ".join(sorted(expected - set(paths))) or "aucun"
        extra = ", ".join(sorted(set(paths) - expected)) or "aucun"
        raise ExtractError(f"Départements manquants : {missing} ; inattendus : {extra}.")
    return paths


def inset_viewbox(script: str, code: str, position: int) -> str:
    """The viewBox of the small <svg> holding only the path of this overseas département."""
    boxes = list(VIEWBOX_RE.finditer(script, 0, position))
    if not boxes:
        raise ExtractError(f"Pas de viewBox avant le département {code}.")
    box = boxes[-1]
    if 'class: "FR-' in script[box.end() : position]:
        raise ExtractError(f"Le département {code} ne tient pas seul dans son <svg>.")
    return check_viewbox(box["box"], code)


def build_map(source: Source) -> dict:
    paths = find_paths(source.script)
    france = FRANCE_VIEWBOX_RE.search(source.script)
    if france is None:
        raise ExtractError("viewBox de la carte de métropole introuvable (FranceProps).")
    return {
        "source": {
            "package": PACKAGE,
            "version": source.version,
            "file": SOURCE_FILE,
            "url": f"https://www.npmjs.com/package/{PACKAGE}/v/{source.version}",
            "sha256": hashlib.sha256(source.script.encode("utf-8")).hexdigest(),
            "copyright": source.copyright,
        },
        "licence": "MIT",
        "viewBox": check_viewbox(france["box"], "la métropole"),
        "departements": {
            code: {"d": d, "inset": code if code in INSETS else None} for code, (_, d) in paths.items()
        },
        "insets": {code: {"viewBox": inset_viewbox(source.script, code, paths[code][0])} for code in INSETS},
    }


def dump(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=f"Extrait les contours des départements de {PACKAGE}@{VERSION} en JSON."
    )
    npm_package.add_source_argument(parser)
    parser.add_argument(
        "--sortie",
        "--output",
        dest="output",
        type=Path,
        default=DEFAULT_OUTPUT,
        help="fichier JSON de destination",
    )
    args = parser.parse_args(argv)
    try:
        source = read_source(args.source)
        if source.version != VERSION:
            raise ExtractError(f"Version {source.version!r} du paquet lue, {VERSION} attendue.")
        data = build_map(source)
    except NpmPackageError as error:  # ExtractError included
        print(f"Erreur : {error}", file=sys.stderr)
        return 1
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(dump(data), encoding="utf-8")
    print(f"{args.output} : {len(data['departements'])} départements, dont {len(INSETS)} en encart")
    print(f"SHA-256 de {SOURCE_FILE} : {data['source']['sha256']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
