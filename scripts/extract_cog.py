"""Extract the part of the official geographic code (COG) that Pacte uses into small CSV files.

The source is the npm package @etalab/decoupage-administratif (data: Licence Ouverte 2.0). The
script reads its regions.json, departements.json, epci.json and communes.json and writes
regions.csv, departements.csv, epci.csv, communes.csv and PROVENANCE.md into
pacte/territories/data/cog<year>/, sorted by code so that a new edition gives a readable diff.

    python scripts/extract_cog.py                       # runs `npm pack` in a temporary folder
    python scripts/extract_cog.py /tmp/cog/package      # an extracted package
    python scripts/extract_cog.py /tmp/etalab-decoupage-administratif-6.0.0.tgz

It needs only the standard library (and npm when no source is given).
"""

import argparse
import csv
import datetime
import hashlib
import json
import sys
import tarfile
from dataclasses import dataclass
from pathlib import Path

SCRIPTS_DIR = str(Path(__file__).resolve().parent)
if SCRIPTS_DIR not in sys.path:  # also when a test loads this file by its path
    sys.path.insert(0, SCRIPTS_DIR)

import npm_package  # noqa: E402
from npm_package import NpmPackageError, tarball_member  # noqa: E402

PACKAGE = "@etalab/decoupage-administratif"
VERSION = "6.0.0"
YEAR = 2026
SOURCE_FILES = ("regions.json", "departements.json", "epci.json", "communes.json")
REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = REPO_ROOT / "pacte" / "territories" / "data" / f"cog{YEAR}"

HEADERS = {
    "regions.csv": ["code", "nom", "zone", "chef_lieu"],
    "departements.csv": ["code", "nom", "region", "zone", "chef_lieu"],
    "epci.csv": ["code", "nom", "type", "population"],
    "communes.csv": ["code", "nom", "departement", "epci", "population"],
}


class ExtractError(NpmPackageError):
    """A problem with the source package; the message is shown as is to the user (French)."""


@dataclass
class Source:
    description: str
    version: str
    files: dict[str, bytes]


def read_package_dir(path: Path) -> Source:
    if not (path / "data").is_dir() and (path / "package" / "data").is_dir():
        path = path / "package"
    files = {}
    for name in SOURCE_FILES:
        file = path / "data" / name
        if not file.is_file():
            raise ExtractError(f"Fichier introuvable : {file}")
        files[name] = file.read_bytes()
    return Source(
        description=str(path), version=read_version((path / "package.json").read_bytes()), files=files
    )


def read_tarball(path: Path) -> Source:
    with tarfile.open(path, "r:gz") as archive:
        files = {name: tarball_member(archive, path, f"data/{name}") for name in SOURCE_FILES}
        version = read_version(tarball_member(archive, path, "package.json"))
    return Source(description=path.name, version=version, files=files)


def read_version(package_json: bytes) -> str:
    return str(json.loads(package_json).get("version", ""))


def read_source(path: Path | None) -> Source:
    return npm_package.read_source(
        path, package=PACKAGE, version=VERSION, read_tarball=read_tarball, read_package_dir=read_package_dir
    )


def build_tables(files: dict[str, bytes]) -> dict[str, list[list[str]]]:
    """Turn the four JSON files into the rows of the four CSV files (without headers)."""
    regions = json.loads(files["regions.json"])
    departements = json.loads(files["departements.json"])
    epcis = json.loads(files["epci.json"])
    communes = [c for c in json.loads(files["communes.json"]) if c["type"] == "commune-actuelle"]

    com_codes = {r["code"] for r in regions if r["zone"] == "com"}
    region_rows = [[r["code"], r["nom"], r["zone"], r.get("chefLieu", "")] for r in regions]
    # departements.json repeats the COM (code = region = COM code): they live in regions.csv only.
    departement_rows = [
        [d["code"], d["nom"], d["region"], d["zone"], d.get("chefLieu", "")]
        for d in departements
        if d["code"] not in com_codes
    ]

    commune_codes = {c["code"] for c in communes}
    epci_of: dict[str, str] = {}
    for epci in epcis:
        for member in epci["membres"]:
            if member["code"] not in commune_codes:
                raise ExtractError(f"L'EPCI {epci['code']} compte la commune {member['code']}, inconnue.")
            if member["code"] in epci_of:
                raise ExtractError(f"La commune {member['code']} appartient à deux EPCI.")
            epci_of[member["code"]] = epci["code"]
    epci_rows = [[e["code"], e["nom"], e["type"], str(e["populationMunicipale"])] for e in epcis]

    parent_codes = {d[0] for d in departement_rows} | com_codes
    commune_rows = []
    for commune in communes:
        if commune["departement"] not in parent_codes:
            raise ExtractError(f"La commune {commune['code']} a un département inconnu.")
        population = commune.get("population")
        commune_rows.append(
            [
                commune["code"],
                commune["nom"],
                commune["departement"],
                epci_of.get(commune["code"], ""),
                "" if population is None else str(population),
            ]
        )
    return {
        "regions.csv": sorted(region_rows),
        "departements.csv": sorted(departement_rows),
        "epci.csv": sorted(epci_rows),
        "communes.csv": sorted(commune_rows),
    }


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def provenance(source: Source, tables: dict[str, list[list[str]]], today: datetime.date) -> str:
    hashes = "\n".join(
        f"| `{name}` | `{hashlib.sha256(source.files[name]).hexdigest()}` |" for name in SOURCE_FILES
    )
    regions = tables["regions.csv"]
    com_count = sum(1 for row in regions if row[2] == "com")
    without_epci = sum(1 for row in tables["communes.csv"] if not row[3])
    without_population = sum(1 for row in tables["communes.csv"] if not row[4])
    epci_types: dict[str, int] = {}
    for row in tables["epci.csv"]:
        epci_types[row[2]] = epci_types.get(row[2], 0) + 1
    types = ", ".join(f"{count} {kind}" for kind, count in sorted(epci_types.items()))
    return f"""# Code officiel géographique {YEAR} — provenance de l'extrait

Ces fichiers sont un extrait du paquet npm **`{PACKAGE}` version {source.version}**
(<https://github.com/etalab/decoupage-administratif>), millésime {YEAR} du découpage
administratif français. Ils sont chargés par la commande `pacte load_cog`.

## Sources amont (selon le README du paquet)

- **Code officiel géographique (COG)** de l'INSEE : régions, départements, collectivités
  d'outre-mer, communes (<https://insee.fr/fr/information/2560452>).
- **Liste et composition des EPCI à fiscalité propre** de la DGCL (fichier `epcicom{YEAR}.xlsx`) :
  EPCI, leur nature juridique, leurs communes membres et leur population municipale.
- **Populations légales** de l'INSEE (populations municipales des communes, dont Mayotte et
  les collectivités d'outre-mer).

## Licence

Données : Licence Ouverte 2.0 (Etalab), <https://www.etalab.gouv.fr/licence-ouverte-open-licence>.
Code du paquet : MIT. La réutilisation impose de mentionner la source (« INSEE, DGCL, via
{PACKAGE} ») et la date de dernière mise à jour.

## Extraction

- Date d'extraction : {today.isoformat()}
- Source lue : `{source.description}`
- Commande pour régénérer (depuis la racine du dépôt, npm requis) :

  ```sh
  .venv/bin/python scripts/extract_cog.py
  ```

  Ou, à partir d'un paquet déjà téléchargé (`npm pack {PACKAGE}@{VERSION}`) :
  `.venv/bin/python scripts/extract_cog.py chemin/vers/etalab-decoupage-administratif-{VERSION}.tgz`.

### Empreintes SHA-256 des fichiers sources

| fichier | SHA-256 |
|---|---|
{hashes}

## Contenu

| fichier | lignes (hors en-tête) | colonnes |
|---|---:|---|
| `regions.csv` | {len(regions)} ({len(regions) - com_count} régions, {com_count} collectivités d'outre-mer) | {", ".join(HEADERS["regions.csv"])} |
| `departements.csv` | {len(tables["departements.csv"])} | {", ".join(HEADERS["departements.csv"])} |
| `epci.csv` | {len(tables["epci.csv"])} ({types}) | {", ".join(HEADERS["epci.csv"])} |
| `communes.csv` | {len(tables["communes.csv"])} | {", ".join(HEADERS["communes.csv"])} |

- Fichiers en UTF-8, séparateur virgule, une ligne d'en-tête, triés par code.
- `regions.csv` contient aussi les collectivités d'outre-mer (`zone` = `com`, code à 3 chiffres) ;
  elles ne sont pas répétées dans `departements.csv`.
- `communes.csv` ne garde que les communes de type « commune-actuelle » (ni communes
  déléguées ou associées, ni arrondissements municipaux). Sa colonne `departement` donne le
  code de la collectivité d'outre-mer pour les communes de celles-ci ; sa colonne `epci` est le
  SIREN de l'EPCI dont la commune est membre d'après `epci.json` (vide pour {without_epci}
  communes, îles et collectivités d'outre-mer) ; `population` est la population municipale
  (vide pour {without_population} communes sans population légale : TAAF, Clipperton).
- La `population` de `epci.csv` est la population municipale donnée par la DGCL. Les
  populations que la DGCL donne aux communes membres diffèrent de celles de `communes.csv`
  (populations légales de l'INSEE) : la population d'un EPCI n'est donc pas exactement la somme
  de celles de ses communes.
"""


def extract(source: Source, output: Path, today: datetime.date) -> dict[str, int]:
    if source.version != VERSION:
        raise ExtractError(
            f"Version {source.version!r} du paquet lue, {VERSION} attendue pour le COG {YEAR}."
        )
    tables = build_tables(source.files)
    output.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        write_csv(output / name, HEADERS[name], rows)
    (output / "PROVENANCE.md").write_text(provenance(source, tables, today), encoding="utf-8")
    return {name: len(rows) for name, rows in tables.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=f"Extrait le COG {YEAR} de {PACKAGE}@{VERSION} en CSV.")
    npm_package.add_source_argument(parser)
    parser.add_argument(
        "--sortie",
        "--output",
        dest="output",
        type=Path,
        default=DEFAULT_OUTPUT,
        help="dossier de destination",
    )
    args = parser.parse_args(argv)
    try:
        counts = extract(read_source(args.source), args.output, datetime.date.today())
    except NpmPackageError as error:  # ExtractError included
        print(f"Erreur : {error}", file=sys.stderr)
        return 1
    for name, count in counts.items():
        print(f"{args.output / name} : {count} lignes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
