"""Fictitious territorial values for the demo: every département, région and métropole gets a poverty rate,
a median standard of living and a count of RSA households for a few years, so that maps, diagnostics and
peers have something to show. Every value is flagged `is_demo` ("donnée fictive") and is generated from the
territory code, so that two loads give the same figures.

A value imported from a real file (is_demo false) is never overwritten; a demo value is replaced by the
import of a real one.
"""

import random
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from pacte.observation.models import Indicator, Observation
from pacte.territories.enums import Level
from pacte.territories.models import Territory

RATE_YEARS = range(2017, 2022)  # Filosofi vintages
COUNT_YEARS = range(2019, 2024)  # CAF December counts
DEMO_INDICATORS = ("TP60", "MED", "NB_RSA")
# A few départements whose real poverty rate is well known to be far from the average, so that the demo map
# looks like France rather than noise (orders of magnitude only; the values themselves are fictitious).
HIGH_POVERTY = {"93": 27.0, "11": 21.0, "66": 21.0, "2B": 20.0, "02": 18.5, "59": 18.5, "13": 18.5}
LOW_POVERTY = {"74": 9.5, "78": 9.5, "85": 10.5, "44": 11.0, "35": 11.0, "92": 12.0, "01": 10.5}
OVERSEAS_POVERTY = {"971": 34.0, "972": 29.0, "973": 52.0, "974": 36.0, "976": 77.0}


@dataclass
class DemoObservationReport:
    created: int = 0
    updated: int = 0
    kept_real: int = 0

    def summary(self) -> str:
        return (
            f"Valeurs territoriales de démonstration (données fictives) : {self.created} créées, "
            f"{self.updated} mises à jour, {self.kept_real} valeurs réelles conservées."
        )


def _rate(code: str) -> float:
    if code in OVERSEAS_POVERTY:
        return OVERSEAS_POVERTY[code]
    if code in HIGH_POVERTY:
        return HIGH_POVERTY[code]
    if code in LOW_POVERTY:
        return LOW_POVERTY[code]
    return random.Random(f"tp60-{code}").uniform(11.5, 17.5)


def _series(code: str, base_rate: float, population: int) -> dict[str, dict[int, Decimal]]:
    generator = random.Random(f"series-{code}")
    drift = generator.uniform(-0.15, 0.2)
    rates = {
        year: round(base_rate + drift * (year - 2021) + generator.uniform(-0.2, 0.2), 1)
        for year in RATE_YEARS
    }
    medians = {
        year: round((23_400 - (rate - 14.5) * 450) * (1 + 0.012 * (year - 2021)) / 10) * 10
        for year, rate in rates.items()
    }
    households = population * rates[2021] / 100 * 0.11
    counts = {year: round(households * (1 + 0.015 * (year - 2021))) for year in COUNT_YEARS}
    return {
        "TP60": {year: Decimal(str(value)) for year, value in rates.items()},
        "MED": {year: Decimal(value) for year, value in medians.items()},
        "NB_RSA": {year: Decimal(value) for year, value in counts.items()},
    }


def _territory_series() -> dict[int, dict[str, dict[int, Decimal]]]:
    departements = list(Territory.objects.active().filter(level=Level.DEPARTEMENT))
    if not departements:
        raise ImproperlyConfigured("Aucun département : chargez d'abord le COG (pacte load_cog).")
    series = {}
    by_region: dict[int, list[tuple[Territory, dict]]] = {}
    for departement in departements:
        values = _series(departement.code, _rate(departement.code), departement.population or 0)
        series[departement.pk] = values
        if departement.region_id:
            by_region.setdefault(departement.region_id, []).append((departement, values))
    for region_id, members in by_region.items():
        series[region_id] = _aggregate(members)
    for metropole in Territory.objects.active().metropoles().select_related("departement"):
        parent = series.get(metropole.departement_id)
        if parent is None:
            continue
        shift = random.Random(f"metropole-{metropole.code}").uniform(1.0, 4.0)
        base = float(parent["TP60"][2021]) + shift
        series[metropole.pk] = _series(metropole.code, base, metropole.population or 0)
    return series


def _aggregate(members: list[tuple[Territory, dict]]) -> dict[str, dict[int, Decimal]]:
    """A région: population-weighted rates and medians, summed counts."""
    total = sum(territory.population or 0 for territory, _ in members) or 1
    result: dict[str, dict[int, Decimal]] = {"TP60": {}, "MED": {}, "NB_RSA": {}}
    for year in RATE_YEARS:
        for code, digits in (("TP60", "0.1"), ("MED", "1")):
            weighted = sum(values[code][year] * (territory.population or 0) for territory, values in members)
            result[code][year] = (weighted / total).quantize(Decimal(digits))
    for year in COUNT_YEARS:
        result["NB_RSA"][year] = sum(values["NB_RSA"][year] for _, values in members)
    return result


@transaction.atomic
def load_observation_demo() -> DemoObservationReport:
    if not settings.DEMO_MODE:
        raise ImproperlyConfigured(
            "Les valeurs fictives ne se chargent qu'en mode démonstration (PACTE_DEMO=1)."
        )
    indicators = {
        indicator.code: indicator for indicator in Indicator.objects.filter(code__in=DEMO_INDICATORS)
    }
    missing = sorted(set(DEMO_INDICATORS) - set(indicators))
    if missing:
        raise ImproperlyConfigured(
            f"Indicateurs absents ({', '.join(missing)}) : chargez d'abord les indicateurs (pacte load_observation)."
        )
    series = _territory_series()
    existing = {
        (row.indicator_id, row.territory_id, row.period): row
        for row in Observation.objects.filter(indicator__in=indicators.values(), territory__isnull=False)
    }
    report = DemoObservationReport()
    to_create, to_update = [], []
    for territory_id, values in series.items():
        for code, by_year in values.items():
            indicator = indicators[code]
            for year, value in by_year.items():
                row = existing.get((indicator.pk, territory_id, year))
                if row is None:
                    to_create.append(
                        Observation(
                            indicator=indicator,
                            territory_id=territory_id,
                            period=year,
                            value=value,
                            is_demo=True,
                        )
                    )
                elif not row.is_demo:
                    report.kept_real += 1
                elif row.value != value:
                    row.value = value
                    to_update.append(row)
    Observation.objects.bulk_create(to_create, batch_size=1000)
    Observation.objects.bulk_update(to_update, ["value"], batch_size=1000)
    report.created, report.updated = len(to_create), len(to_update)
    return report
