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
"""

import argparse
import csv
import os
import random
import statistics
import sys
import tempfile
import time
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
    args = parser.parse_args()

    with throwaway_database():
        run(args.rounds, args.indicators)


if __name__ == "__main__":
    main()
