"""Time the import of an INSEE-format file of every commune with ten indicators (pacte.observation.importers).

    .venv/bin/python benchmarks/observation_import.py [--tours 3] [--indicateurs 10]
    DATABASE_URL=postgres://user@host/pacte .venv/bin/python benchmarks/observation_import.py

A temporary database is built and the 2026 COG loaded (about 35,000 communes). Ten indicators are declared
with Filosofi codes (TP60, MED, D1, D9…), and a CSV is written the way INSEE publishes it: `;`, decimal comma,
spaces between thousands, a few `s` and `nd` secret markers, one column per indicator (TP6021, MED21…).
Each round empties the values, then times a first import (every value created), a re-import of the same
file (nothing changes: the ratio to the first import says what the comparison costs), and the import of a
file where every value changed (every value updated). The baseline, measured in the same process, only
reads and splits the CSV with the csv module. Medians, values per second, query counts and ratios are
printed. SQLite runs in a temporary file; with a PostgreSQL DATABASE_URL, Django's test database
(test_<name>) is created and dropped, so the database named in the URL is never touched.

    .venv/bin/python benchmarks/observation_import.py --bombe [--tours 3] [--lignes 2000000]

The decompression bomb of issue 15: a small XLSX (a few hundred KB) whose only sheet holds `--lignes`
identical rows (about 60 bytes of XML each once decompressed), imported as a dry run ("Essai") as the upload
page would. Each round runs in a fresh process (a throwaway SQLite database with one indicator and one
département), so that the peak memory of the process (ru_maxrss, read with os.wait4) is that of one import;
a process that sets up the same database and imports nothing gives the reference. Medians of the import's
duration and of the peak memory are printed, and what the import answered.
"""

import argparse
import csv
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

from benchmarks.harness import print_database, seconds, throwaway_database, timed  # noqa: E402
from pacte.formatting import number, plural  # noqa: E402

# Filosofi variables: code, label, kind, typical value.
VARIABLES = [
    ("TP60", "Taux de pauvreté", "taux", 14.0),
    ("MED", "Médiane du niveau de vie", "montant", 22000.0),
    ("D1", "1er décile du niveau de vie", "montant", 11500.0),
    ("D9", "9e décile du niveau de vie", "montant", 40000.0),
    ("RD", "Rapport interdécile", "ratio", 3.2),
    ("PACT", "Part des revenus d'activité", "taux", 70.0),
    ("PPEN", "Part des pensions", "taux", 28.0),
    ("PPAT", "Part des revenus du patrimoine", "taux", 10.0),
    ("PPSOC", "Part des prestations sociales", "taux", 6.0),
    ("PIMP", "Part des ménages imposés", "taux", 50.0),
]


def french(value: float, decimals: int) -> str:
    """A cell as INSEE files write it (no-break space between thousands, decimal comma): the input format of
    the import, not a display."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u00a0").replace(".", ",")


def write_file(path: Path, codes: list[str], indicators: int, seed: int, shift: float = 0.0) -> int:
    """An INSEE-style CSV of `codes` with `indicators` columns; returns the number of value cells."""
    rng = random.Random(seed)
    variables = VARIABLES[:indicators]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\n")
        writer.writerow(["CODGEO", "LIBGEO", *(f"{code}21" for code, *_ in variables)])
        for code in codes:
            row = [code, f"Commune {code}"]
            for _, _, kind, typical in variables:
                draw = rng.random()
                if draw < 0.03:
                    row.append("s")
                elif draw < 0.05:
                    row.append("nd")
                else:
                    value = typical * rng.uniform(0.6, 1.4) + shift
                    row.append(french(value, 0 if kind == "montant" else 1))
            writer.writerow(row)
    return len(codes) * len(variables)


def read_only(path: Path) -> int:
    """The baseline: read and split the CSV, nothing else."""
    with path.open(encoding="utf-8", newline="") as handle:
        return len(list(csv.reader(handle, delimiter=";")))


def report_line(label: str, values: list[float], cells: int, baseline: float, queries: int | None) -> None:
    median = statistics.median(values)
    extra = f"  {queries:4d} requêtes" if queries is not None else ""
    rate = f"{number(round(cells / median)):>9}"
    print(
        f"{label:<44} médiane {median:6.2f} s  {rate} valeurs/s  "
        f"({median / baseline:6.1f} × la lecture seule){extra}  [{seconds(values, 2)}]"
    )


def run(rounds: int, indicators: int) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pacte.observation.importers import import_file
    from pacte.observation.models import Indicator, Observation
    from pacte.territories.enums import Level
    from pacte.territories.models import Territory
    from pacte.territories.services import import_cog

    print_database()
    print(f"COG importé en {timed(import_cog):.1f} s")
    for order, (code, label, kind, _) in enumerate(VARIABLES[:indicators]):
        Indicator.objects.update_or_create(
            code=code,
            defaults={
                "label": label,
                "kind": kind,
                "unit": "%",
                "source": "INSEE – Filosofi",
                "order": order,
            },
        )
    codes = list(
        Territory.objects.filter(level=Level.COMMUNE, is_active=True)
        .order_by("code")
        .values_list("code", flat=True)
    )
    with tempfile.TemporaryDirectory() as folder:
        first_file, changed_file = Path(folder) / "filosofi.csv", Path(folder) / "filosofi_v2.csv"
        cells = write_file(first_file, codes, indicators, seed=2021)
        write_file(changed_file, codes, indicators, seed=2021, shift=0.5)
        size = first_file.stat().st_size / 1024 / 1024
        print(
            f"Fichier : {plural(len(codes), 'commune')} × {plural(indicators, 'indicateur')} = "
            f"{plural(cells, 'valeur')}, {number(size, 1)} Mo"
        )

        baseline = [timed(lambda: read_only(first_file)) for _ in range(rounds)]
        first, again, changed = [], [], []
        queries: dict[str, int] = {}
        results = {}

        def measure(label: str, path: Path, times: list[float]) -> None:
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                results[label] = import_file(path, file_name=path.name)
                times.append(time.perf_counter() - start)
            queries[label] = len(captured)

        for _ in range(rounds):
            Observation.objects.all().delete()
            measure("first", first_file, first)
            measure("again", first_file, again)
            measure("changed", changed_file, changed)
        stored = Observation.objects.count()

    base = statistics.median(baseline)
    counts = {
        label: (result.created, result.updated, result.unchanged, result.skipped, result.rejected)
        for label, result in results.items()
    }
    print(f"\n{plural(rounds, 'tour')} ; {plural(stored, 'valeur')} en base après le dernier tour.")
    print("(créées, modifiées, inchangées, ignorées, lignes rejetées) : " + str(counts))
    print(f"{'Lecture seule du CSV (référence)':<44} médiane {base:6.2f} s  [{seconds(baseline, 2)}]")
    report_line("Premier import (toutes les valeurs créées)", first, cells, base, queries["first"])
    report_line("Réimport du même fichier (rien ne change)", again, cells, base, queries["again"])
    report_line("Import d'un fichier modifié (tout change)", changed, cells, base, queries["changed"])
    ratio = statistics.median(again) / statistics.median(first)
    print(f"\nRéimport sans changement / premier import : {ratio:.2f}")


BOMB_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="COM" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        'Target="worksheets/sheet1.xml"/></Relationships>'
    ),
}


def write_bomb(path: Path, rows: int) -> None:
    """A valid XLSX whose sheet has a header (CODGEO, TP6021) and `rows` identical data rows."""
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        '<row><c t="inlineStr"><is><t>CODGEO</t></is></c><c t="inlineStr"><is><t>TP6021</t></is></c></row>'
    )
    row = '<row><c t="inlineStr"><is><t>44</t></is></c><c><v>10.9</v></c></row>'
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in BOMB_PARTS.items():
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(head.encode())
            block = (row * 10_000).encode()
            for _ in range(rows // 10_000):
                sheet.write(block)
            sheet.write((row * (rows % 10_000)).encode())
            sheet.write(b"</sheetData></worksheet>")


def bomb_child(path: str | None) -> None:
    """One round, in its own process: the dry-run import of `path` (nothing when None: the reference)."""
    from pacte.observation.importers import UnusableFileError, import_file
    from pacte.observation.models import Indicator
    from pacte.territories.enums import Level
    from pacte.territories.models import Territory

    Indicator.objects.create(code="TP60", label="Taux de pauvreté", kind="taux", unit="%", source="INSEE")
    Territory.objects.create(level=Level.DEPARTEMENT, code="44", name="Loire-Atlantique")
    if path is None:
        print("0\tréférence")
        return
    start = time.perf_counter()
    try:
        result = import_file(path, file_name="bombe.xlsx", dry_run=True)
        answer = f"accepté : {result.rows} lignes lues, {len(result.rejects)} rejets"
    except UnusableFileError as error:
        answer = f"refusé : {error.message}"
    print(f"{time.perf_counter() - start:.3f}\t{answer}")


def run_child(arguments: list[str]) -> tuple[float, float, str]:
    """(duration of the import in s, peak memory of the process in MB, what it answered)."""
    process = subprocess.Popen(
        [sys.executable, __file__, *arguments], stdout=subprocess.PIPE, text=True, env=os.environ.copy()
    )
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"le processus de mesure a échoué ({process.returncode}) : {output}")
    duration, _, answer = output.strip().splitlines()[-1].partition("\t")
    return float(duration), usage.ru_maxrss / 1024, answer


def run_bomb(rounds: int, rows: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bombe.xlsx"
        write_bomb(path, rows)
        with zipfile.ZipFile(path) as archive:
            inflated = sum(info.file_size for info in archive.infolist())
        print(
            f"Bombe : {plural(rows, 'ligne')} identiques, {number(path.stat().st_size / 1024, 0)} Ko compressés, "
            f"{number(inflated / 1024 / 1024, 0)} Mo une fois décompressés",
            flush=True,
        )
        reference = [run_child(["--bombe-mesure", "-"])[1] for _ in range(rounds)]
        measures = []
        for turn in range(rounds):
            measures.append(run_child(["--bombe-mesure", str(path)]))
            duration, peak, _ = measures[-1]
            print(f"  tour {turn + 1} : {duration:.2f} s, {peak:.0f} Mo", flush=True)
    durations = [measure[0] for measure in measures]
    peaks = [measure[1] for measure in measures]
    print(f"Réponse : {measures[-1][2][:300]}")
    print(f"Import à blanc (essai) : médiane {statistics.median(durations):.2f} s  [{seconds(durations, 2)}]")
    print(
        f"Mémoire maximale du processus : médiane {statistics.median(peaks):.0f} Mo  "
        f"[{', '.join(f'{peak:.0f}' for peak in peaks)}] ; processus de référence (sans import) : "
        f"{statistics.median(reference):.0f} Mo"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Mesure la durée de l'import d'un fichier INSEE de communes."
    )
    parser.add_argument(
        "--tours", "--rounds", dest="rounds", type=int, default=3, help="nombre de tours (défaut : 3)"
    )
    parser.add_argument(
        "--indicateurs",
        "--indicators",
        dest="indicators",
        type=int,
        default=10,
        choices=range(1, 11),
        help="indicateurs (défaut : 10)",
    )
    parser.add_argument(
        "--bombe", action="store_true", help="mesure l'import à blanc d'une bombe de décompression XLSX"
    )
    parser.add_argument(
        "--lignes", type=int, default=2_000_000, help="lignes de la bombe (défaut : 2 000 000)"
    )
    parser.add_argument("--bombe-mesure", help=argparse.SUPPRESS)  # one round, in a child process
    args = parser.parse_args()

    if args.bombe:
        run_bomb(args.rounds, args.lignes)
        return
    with throwaway_database():
        if args.bombe_mesure:
            bomb_child(None if args.bombe_mesure == "-" else args.bombe_mesure)
        else:
            run(args.rounds, args.indicators)


if __name__ == "__main__":
    main()
