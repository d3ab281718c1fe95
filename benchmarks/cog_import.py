"""Time the COG import (pacte.territories.services.import_cog) on the shipped 2026 extract.

    .venv/bin/python benchmarks/cog_import.py [--tours 5]
    DATABASE_URL=postgres://user@host/pacte .venv/bin/python benchmarks/cog_import.py

Each round empties the territory table, times a first import, a re-import (which should write
nothing), then a re-import under another year (which updates every row). The baseline, measured in the same process, only reads and parses the four CSV
files with the csv module; the ratios say how much the validation and database work cost on top.
SQLite runs in a temporary file; with a PostgreSQL DATABASE_URL, Django's test database
(test_<name>) is created and dropped, so the database named in the URL is never touched.
"""

import argparse
import csv
import os
import resource
import statistics
import sys
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

from benchmarks.harness import print_database, seconds, throwaway_database, timed  # noqa: E402
from pacte.formatting import plural  # noqa: E402


def read_csv_files(source_dir: Path) -> int:
    """The baseline: read and parse the four CSV files, nothing else."""
    rows = 0
    for name in ("regions.csv", "departements.csv", "epci.csv", "communes.csv"):
        with (source_dir / name).open(encoding="utf-8", newline="") as handle:
            rows += len(list(csv.reader(handle)))
    return rows


def empty_territories() -> None:
    from django.db import connection, transaction

    from pacte.territories.models import Territory

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Territory._meta.db_table}")


def report_line(label: str, values: list[float], baseline: float) -> None:
    median = statistics.median(values)
    print(
        f"{label:<40} médiane {median:7.3f} s  ({median / baseline:5.1f} × la lecture seule)  [{seconds(values, 3)}]"
    )


def run(rounds: int) -> None:
    from pacte.territories.models import Territory
    from pacte.territories.services import COG_DATA_DIR, DEFAULT_YEAR, import_cog, read_cog

    source_dir = COG_DATA_DIR / f"cog{DEFAULT_YEAR}"
    print_database()
    print(f"Source : {source_dir} ({read_csv_files(source_dir) - 4} lignes de données)")

    baseline = [timed(lambda: read_csv_files(source_dir)) for _ in range(rounds)]
    validation = [timed(lambda: read_cog(source_dir)) for _ in range(rounds)]
    first, again, new_year = [], [], []
    for _ in range(rounds):
        empty_territories()
        first.append(timed(import_cog))
        again.append(timed(import_cog))
        new_year.append(timed(lambda: import_cog(source_dir, year=DEFAULT_YEAR + 1)))
    count = Territory.objects.count()

    empty_territories()
    tracemalloc.start()
    import_cog()
    peak_traced = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()

    base = statistics.median(baseline)
    print(
        f"\n{plural(rounds, 'tour')}, {plural(count, 'territoire importé', 'territoires importés')} par tour."
    )
    print(f"{'Lecture des 4 CSV (référence)':<40} médiane {base:7.3f} s  [{seconds(baseline, 3)}]")
    report_line("Lecture et contrôle (read_cog)", validation, base)
    report_line("Premier import (base vide)", first, base)
    report_line("Réimport (aucun changement)", again, base)
    report_line("Réimport, autre millésime (tout change)", new_year, base)
    peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nMémoire : pic du processus {peak_rss:.0f} Mio (ru_maxrss), ", end="")
    print(
        f"pic des allocations Python pendant un premier import {peak_traced / 2**20:.0f} Mio (tracemalloc)."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="Mesure la durée de l'import du COG.")
    parser.add_argument(
        "--tours", "--rounds", dest="rounds", type=int, default=5, help="nombre de tours (défaut : 5)"
    )
    args = parser.parse_args()

    with throwaway_database():
        run(args.rounds)


if __name__ == "__main__":
    main()
