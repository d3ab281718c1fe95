"""Time the observation pages on a synthetic France: the map of départements, the table of communes, the
territorial diagnostic (page and PDF), the barometer, and the open-data downloads.

    .venv/bin/python benchmarks/observation_pages.py [--tours 5] [--indicateurs 10] [--annees 5]
    DATABASE_URL=postgres://user@host/pacte .venv/bin/python benchmarks/observation_pages.py

A temporary database is built: the 2026 COG (18 régions, 101 départements, about 1,250 EPCI and 35,000
communes) and the national référentiel are loaded, the indicators of pacte/observation/data/indicateurs.yaml
are completed to `--indicateurs` indicators, and every indicator gets a value for every région, département,
EPCI and commune for each of `--annees` years (about 1.8 million values with the defaults), written in bulk,
plus the signed solidarités contract and France Travail convention of Loire-Atlantique
(benchmarks/synthetic_contracts.py). Each round renders, through
Django's test client signed in as national steering, each page below and the home page (the baseline,
measured in the same process); the times are server times (the client calls the WSGI handler directly).
Medians, query counts and ratios to the baseline are printed. The barometer page (/observation/barometre/)
is skipped when its URL does not exist yet.
SQLite runs in a temporary file; with a PostgreSQL DATABASE_URL, Django's test database (test_<name>) is
created and dropped, so the database named in the URL is never touched.
"""

import argparse
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

from benchmarks.harness import (  # noqa: E402
    measure_page,
    print_database,
    print_page_report,
    steering_client,
    throwaway_database,
    timed,
)
from pacte.formatting import plural  # noqa: E402

LAST_YEAR = 2021
# Indicators added to those of indicateurs.yaml: (code, label, kind, unit, decimals, typical value, spread).
EXTRA_INDICATORS = [
    ("TP50", "Taux de pauvreté au seuil de 50 %", "taux", "%", 1, 8.0, 3.0),
    ("D9D1", "Rapport interdécile du niveau de vie", "ratio", "", 1, 3.2, 0.5),
    ("PART_MONO", "Part des familles monoparentales", "taux", "%", 1, 16.0, 4.0),
    ("TX_CHOM", "Taux de chômage localisé", "taux", "%", 1, 7.5, 2.0),
    ("NB_AL", "Foyers allocataires d'une aide au logement", "effectif", "foyers", 0, 2000, 1500),
    ("NB_PPA", "Foyers allocataires de la prime d'activité", "effectif", "foyers", 0, 2500, 1500),
    ("TX_AAH", "Part des allocataires de l'AAH", "taux", "%", 1, 3.0, 1.0),
    ("MED_UC", "Revenu disponible médian par unité de consommation", "montant", "€", 0, 22000, 2500),
]
TYPICAL = {"taux": (14.5, 4.0), "montant": (22000, 2500), "effectif": (2000, 1500), "ratio": (3.2, 0.5)}


def load_data(indicator_count: int, years: int) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from benchmarks.synthetic_contracts import generate
    from pacte.observation.enums import ValueKind, ValueStatus
    from pacte.observation.models import Indicator, Observation
    from pacte.observation.reference import load_reference
    from pacte.programme.services import load_referentiel
    from pacte.territories.enums import Level
    from pacte.territories.models import Territory
    from pacte.territories.services import import_cog

    print(f"COG importé en {timed(import_cog):.1f} s")
    print(f"Référentiel chargé en {timed(load_referentiel):.1f} s")
    print(f"Indicateurs de référence chargés en {timed(load_reference):.1f} s")
    for order, (code, label, kind, unit, decimals, _mean, _spread) in enumerate(EXTRA_INDICATORS, 50):
        if Indicator.objects.count() >= indicator_count:
            break
        Indicator.objects.create(
            code=code, label=label, kind=kind, unit=unit, decimals=decimals, source="Synthétique", order=order
        )
    indicators = list(Indicator.objects.order_by("order", "code")[:indicator_count])
    territories = list(
        Territory.objects.filter(
            level__in=[Level.REGION, Level.DEPARTEMENT, Level.EPCI, Level.COMMUNE], is_active=True
        ).values_list("pk", "level")
    )
    periods = list(range(LAST_YEAR - years + 1, LAST_YEAR + 1))
    extra = {code: (mean, spread) for code, _l, _k, _u, _d, mean, spread in EXTRA_INDICATORS}
    rng = random.Random(2024)
    start = time.perf_counter()
    total = 0
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    table = Observation._meta.db_table
    columns = "(indicator_id, territory_id, period, value, status, is_demo, source, updated_at)"
    per_statement = 1000  # rows of a multi-row INSERT (8 000 parameters: SQLite ≥ 3.32 accepts 32 766)
    for indicator in indicators:
        mean, spread = extra.get(indicator.code, TYPICAL[indicator.kind])
        quantum = Decimal(1).scaleb(-indicator.decimals)
        rows = []
        for territory_id, level in territories:
            base = max(0.0, rng.gauss(mean, spread))
            if indicator.kind == ValueKind.COUNT and level != Level.COMMUNE:
                base *= {Level.EPCI: 25, Level.DEPARTEMENT: 350, Level.REGION: 2000}[level]
            for offset, period in enumerate(periods):
                value = Decimal(str(base * (1 + 0.01 * (offset - years / 2)))).quantize(quantum)
                rows.append(
                    (
                        indicator.pk,
                        territory_id,
                        period,
                        connection.ops.adapt_decimalfield_value(value, 20, 4),
                        ValueStatus.AVAILABLE.value,
                        True,
                        "",
                        now,
                    )
                )
        # Multi-row INSERTs in one transaction: much faster than bulk_create (999 parameters a query on
        # SQLite) or executemany (one statement a row).
        with transaction.atomic(), connection.cursor() as cursor:
            for index in range(0, len(rows), per_statement):
                chunk = rows[index : index + per_statement]
                placeholders = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
                cursor.execute(
                    f"INSERT INTO {table} {columns} VALUES {placeholders}",
                    [cell for row in chunk for cell in row],
                )
        total += len(rows)
    duration = time.perf_counter() - start
    print(
        f"{plural(total, 'valeur territoriale', 'valeurs territoriales')} ({plural(len(indicators), 'indicateur')} "
        f"× {plural(len(territories), 'territoire')} × {plural(years, 'an')} — données fictives) écrites en "
        f"{duration:.1f} s"
    )
    loire_atlantique = Territory.objects.get(level=Level.DEPARTEMENT, code="44")
    report = generate(
        regions=[loire_atlantique.region],
        contracts_per_region=1,
        actions_per_contract=20,
        france_travail=True,
        seed=1,
    )
    print(f"Contrat synthétique : {report}")


def _exists(url: str) -> bool:
    from django.urls import Resolver404, resolve

    try:
        resolve(url)
    except Resolver404:
        return False
    return True


def run(rounds: int, indicator_count: int, years: int, *, load: bool = True) -> None:
    from django.urls import reverse

    from pacte.observation.models import Observation

    print_database()
    if load:
        load_data(indicator_count, years)
    else:
        print("Base existante réutilisée, sans rechargement.")
    print(f"Contrôle : {plural(Observation.objects.count(), 'valeur')} en base.")

    client = steering_client()
    pages = [
        ("Accueil (référence)", reverse("home")),
        ("Liste des indicateurs", reverse("observation:index")),
        ("Carte des 101 départements (TP60)", reverse("observation:indicator", args=["TP60"])),
        (
            "Carte + courbe de 3 départements",
            reverse("observation:indicator", args=["TP60"]) + "?territoire=44+85+93",
        ),
        (
            "Tableau des communes, trié par valeur",
            reverse("observation:indicator", args=["TP60"]) + "?niveau=commune&tri=-valeur",
        ),
        (
            "Tableau des communes, dernière page",
            reverse("observation:indicator", args=["TP60"]) + "?niveau=commune&page=700",
        ),
        ("Diagnostic de la Loire-Atlantique", reverse("observation:diagnostic", args=["departement", "44"])),
        (
            "Diagnostic de la région Pays de la Loire",
            reverse("observation:diagnostic", args=["region", "52"]),
        ),
        (
            "Diagnostic PDF de la Loire-Atlantique",
            reverse("observation:diagnostic_pdf", args=["departement", "44"]),
        ),
        (
            "CSV des départements (5 ans)",
            reverse("observation:opendata_csv", args=["TP60"]) + "?niveau=departement",
        ),
        (
            "CSV des communes, une année",
            reverse("observation:opendata_csv", args=["TP60"]) + f"?niveau=commune&periode={LAST_YEAR}",
        ),
        (
            "API : valeurs des communes, page 1",
            f"/api/v1/observations/?indicator=TP60&level=commune&period={LAST_YEAR}",
        ),
    ]
    if _exists("/observation/barometre/"):
        pages.append(("Baromètre du Pacte", "/observation/barometre/"))
    else:
        print("Baromètre : /observation/barometre/ n'existe pas encore, page ignorée.")
    if not _exists("/api/v1/observations/"):
        print("API : /api/v1/observations/ n'est pas encore branchée, page ignorée.")
        pages = [page for page in pages if not page[1].startswith("/api/")]
    results = [(label, *measure_page(client, url, rounds)) for label, url in pages]
    print_page_report(results, rounds, label_width=44)


def main() -> None:
    parser = argparse.ArgumentParser(description="Mesure la durée des pages de l'observation.")
    parser.add_argument(
        "--tours",
        "--rounds",
        dest="rounds",
        type=int,
        default=5,
        help="nombre de tours par page (défaut : 5)",
    )
    parser.add_argument(
        "--indicateurs",
        "--indicators",
        dest="indicators",
        type=int,
        default=10,
        help="nombre d'indicateurs (défaut : 10)",
    )
    parser.add_argument(
        "--annees",
        "--years",
        dest="years",
        type=int,
        default=5,
        help="années de valeurs par territoire (défaut : 5)",
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

    with throwaway_database(args.sqlite_file) as reused:
        run(args.rounds, args.indicators, args.years, load=not reused)


if __name__ == "__main__":
    main()
