"""Time the PDFs an anonymous visitor may ask for: the first render, then the stored file served again, of a
signed convention and of a territorial diagnostic, against the home page, in one process (issue 15).

    .venv/bin/python benchmarks/pdfs.py [--tours 5] [--premiers 3] [--indicateurs 10] [--annees 5]
    .venv/bin/python benchmarks/pdfs.py --fichier-sqlite var/bench-pdfs.sqlite3   # keep and reuse the base
    DATABASE_URL=postgres://user@host/pacte .venv/bin/python benchmarks/pdfs.py

The database is the one of benchmarks/observation_pages.py (its `load_data`): the 2026 COG, the référentiel,
`--indicateurs` indicators with a value for every région, département, EPCI and commune for `--annees` years
(about 1.8 million values with the defaults), and the signed solidarités contract and France Travail convention of
Loire-Atlantique (20 fiches-actions, benchmarks/synthetic_contracts.py). The stored PDFs go to a temporary
MEDIA_ROOT, removed at the end; the throttle on anonymous renders is lifted for the measure.

Through Django's test client, as an anonymous visitor (server times: the client calls the WSGI handler):

- the home page: `--tours` GETs after one warm-up (the baseline);
- each PDF's first render: `--premiers` GETs, the stored file deleted before each (what the first visitor after a
  signature or a data change waits for);
- each PDF served again from storage: `--tours` GETs (the data version, or the convention's version, is
  computed, the file read);
- the same with If-None-Match (a browser that has it already): 304, `--tours` GETs.

Medians, ratios to the home page and query counts are printed. SQLite runs in a temporary file (or
`--fichier-sqlite`); with a PostgreSQL DATABASE_URL, Django's test database (test_<name>) is created and dropped.
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

from benchmarks.harness import milliseconds, print_database, throwaway_database, timed  # noqa: E402
from pacte.formatting import plural  # noqa: E402


def _get(client, url: str, headers: dict | None = None):
    """One GET, read to the end."""
    response = client.get(url, headers=headers or {})
    if response.streaming:
        b"".join(response.streaming_content)
    response.close()
    return response


def _queries(client, url: str, headers: dict | None = None) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        _get(client, url, headers)
    return len(captured)


def _measure(
    client, url: str, rounds: int, status: int = 200, headers: dict | None = None
) -> tuple[list[float], int]:
    """`rounds` timed GETs after one warm-up (which checks the status), and the query count of one more."""
    response = _get(client, url, headers)
    assert response.status_code == status, (url, response.status_code)
    times = [timed(lambda: _get(client, url, headers)) for _ in range(rounds)]
    return times, _queries(client, url, headers)


def _first_renders(client, url: str, media: Path, count: int) -> tuple[list[float], int]:
    """`count` renders, the stored PDFs deleted before each; the query count of one more."""
    times = []
    for _ in range(count + 1):
        shutil.rmtree(media / "pdf", ignore_errors=True)
        if len(times) == count:
            return times, _queries(client, url)
        times.append(timed(lambda: _get(client, url)))
        assert (media / "pdf").exists(), f"{url} n'a rien conservé"
    return times, 0


def run(rounds: int, firsts: int, indicator_count: int, years: int, media: Path, *, load: bool) -> None:
    from django.test import Client
    from django.urls import reverse

    from benchmarks.observation_pages import load_data
    from pacte.contracts.enums import ContractKind, ContractStatus
    from pacte.contracts.models import Contract

    print_database()
    if load:
        load_data(indicator_count, years)
    else:
        print("Base existante réutilisée, sans rechargement.")
    contract = (
        Contract.objects.filter(
            territory__code="44", kind=ContractKind.DEPARTEMENT, status=ContractStatus.SIGNED
        )
        .order_by("pk")
        .first()
    )
    if contract is None:
        raise SystemExit(
            "Aucun contrat signé de la Loire-Atlantique dans la base : relancez sans base existante."
        )
    print(
        f"Contrat mesuré : {contract} ({plural(contract.actions.count(), 'fiche-action', 'fiches-actions')})"
    )

    client = Client()  # an anonymous visitor
    home = reverse("home")
    convention = reverse("contracts:pdf", args=[contract.pk])
    diagnostic = reverse("observation:diagnostic_pdf", args=["departement", "44"])
    home_times, home_queries = _measure(client, home, rounds)
    results = [("Accueil (référence)", home_times, home_queries)]
    for label, url in (
        ("Convention signée PDF", convention),
        ("Diagnostic PDF (Loire-Atlantique)", diagnostic),
    ):
        results.append((f"{label} : premier rendu", *_first_renders(client, url, media, firsts)))
        results.append((f"{label} : fichier conservé", *_measure(client, url, rounds)))
        etag = _get(client, url)["ETag"]
        results.append(
            (f"{label} : 304 (If-None-Match)", *_measure(client, url, rounds, 304, {"If-None-Match": etag}))
        )

    baseline = statistics.median(home_times)
    print(
        f"\nVisiteur non connecté, client de test de Django (temps serveur) : {plural(firsts, 'premier rendu')}, "
        f"{plural(rounds, 'tour')} pour le reste, en millisecondes :"
    )
    for label, times, queries in results:
        median = statistics.median(times)
        print(
            f"{label:<52} médiane {median * 1000:7.1f} ms  ({median / baseline:6.1f} × l'accueil)  "
            f"{queries:3d} requêtes  [{milliseconds(times)}]"
        )
    for label in ("Convention signée PDF", "Diagnostic PDF (Loire-Atlantique)"):
        first = statistics.median(
            next(times for name, times, _q in results if name == f"{label} : premier rendu")
        )
        served = statistics.median(
            next(times for name, times, _q in results if name == f"{label} : fichier conservé")
        )
        print(
            f"{label} : le fichier conservé est servi {first / served:.0f} fois plus vite que le premier rendu."
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description="Mesure les PDF publics : premier rendu et fichier conservé."
    )
    parser.add_argument(
        "--tours", "--rounds", dest="rounds", type=int, default=5, help="tours par mesure (5)"
    )
    parser.add_argument(
        "--premiers", "--firsts", dest="firsts", type=int, default=3, help="premiers rendus mesurés (3)"
    )
    parser.add_argument(
        "--indicateurs", "--indicators", dest="indicators", type=int, default=10, help="indicateurs (10)"
    )
    parser.add_argument(
        "--annees", "--years", dest="years", type=int, default=5, help="années de valeurs (5)"
    )
    parser.add_argument(
        "--fichier-sqlite",
        "--sqlite-file",
        dest="sqlite_file",
        type=Path,
        default=None,
        help="garder la base SQLite dans ce fichier et la réutiliser si elle existe (sans recharger)",
    )
    args = parser.parse_args()

    from django.conf import settings

    with tempfile.TemporaryDirectory(prefix="pacte-bench-pdf-") as folder:
        settings.MEDIA_ROOT = Path(folder)  # before the storage is first used
        settings.PACTE_PDF_RENDERS_PER_ADDRESS = settings.PACTE_PDF_RENDERS_ANONYMOUS = 1_000_000
        with throwaway_database(args.sqlite_file) as reused:
            run(args.rounds, args.firsts, args.indicators, args.years, Path(folder), load=not reused)


if __name__ == "__main__":
    main()
