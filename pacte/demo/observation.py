"""Fictitious territorial values for the demo: every département, région and métropole gets a poverty rate,
a median standard of living and a count of RSA households for a few years, so that maps, diagnostics and
peers have something to show. Every value is flagged `is_demo` ("donnée fictive") and is generated from the
territory code, so that two loads give the same figures; data/observation.yaml gives the years and the
orders of magnitude of the rates. Observation has no service that writes fictitious values: the rows are
written here in bulk.

A value imported from a real file (is_demo false) is never overwritten; a demo value is replaced by the
import of a real one.
"""

import random
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Annotated

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from pydantic import Field

from pacte import formatting
from pacte.demo import files
from pacte.demo.common import require_demo_mode
from pacte.demo.files import Spec
from pacte.observation.models import Indicator, Observation
from pacte.territories.enums import Level
from pacte.territories.models import Territory

DATA_FILE = "observation.yaml"
DEMO_INDICATORS = ("TP60", "MED", "NB_RSA")
Years = Annotated[list[int], Field(min_length=2, max_length=2)]


class ObservationFile(Spec):
    rate_years: Years  # first and last Filosofi vintages
    count_years: Years  # first and last CAF December counts
    other_rates: Annotated[list[float], Field(min_length=2, max_length=2)]
    rates: dict[str, float]  # poverty rate of the départements far from the average


@dataclass
class DemoObservationReport:
    created: int = 0
    updated: int = 0
    kept_real: int = 0

    def summary(self) -> str:
        return (
            f"Valeurs territoriales de démonstration (données fictives) : "
            f"{formatting.plural(self.created, 'créée')}, "
            f"{formatting.plural(self.updated, 'mise à jour', 'mises à jour')}, "
            f"{formatting.plural(self.kept_real, 'valeur réelle conservée', 'valeurs réelles conservées')}."
        )


class Generator:
    """The fictitious series of a territory, from its code (the same code gives the same figures)."""

    def __init__(self, spec: ObservationFile):
        self.spec = spec
        self.rate_years = range(spec.rate_years[0], spec.rate_years[1] + 1)
        self.count_years = range(spec.count_years[0], spec.count_years[1] + 1)
        self.last = spec.rate_years[1]

    def rate(self, code: str) -> float:
        if code in self.spec.rates:
            return self.spec.rates[code]
        return random.Random(f"tp60-{code}").uniform(*self.spec.other_rates)

    def series(self, code: str, base_rate: float, population: int) -> dict[str, dict[int, Decimal]]:
        generator = random.Random(f"series-{code}")
        drift = generator.uniform(-0.15, 0.2)
        last = self.last
        rates = {
            year: round(base_rate + drift * (year - last) + generator.uniform(-0.2, 0.2), 1)
            for year in self.rate_years
        }
        medians = {
            year: round((23_400 - (rate - 14.5) * 450) * (1 + 0.012 * (year - last)) / 10) * 10
            for year, rate in rates.items()
        }
        households = population * rates[last] / 100 * 0.11
        counts = {year: round(households * (1 + 0.015 * (year - last))) for year in self.count_years}
        return {
            "TP60": {year: Decimal(str(value)) for year, value in rates.items()},
            "MED": {year: Decimal(value) for year, value in medians.items()},
            "NB_RSA": {year: Decimal(value) for year, value in counts.items()},
        }

    def territories(self) -> dict[int, dict[str, dict[int, Decimal]]]:
        """The series of every active département, région (aggregated) and métropole, by territory id."""
        departements = list(Territory.objects.active().filter(level=Level.DEPARTEMENT))
        if not departements:
            raise ImproperlyConfigured("Aucun département : chargez d'abord le COG (pacte load_cog).")
        series = {}
        by_region: dict[int, list[tuple[Territory, dict]]] = {}
        for departement in departements:
            values = self.series(departement.code, self.rate(departement.code), departement.population or 0)
            series[departement.pk] = values
            if departement.region_id:
                by_region.setdefault(departement.region_id, []).append((departement, values))
        for region_id, members in by_region.items():
            series[region_id] = self.aggregate(members)
        for metropole in Territory.objects.active().metropoles().select_related("departement"):
            parent = series.get(metropole.departement_id)
            if parent is None:
                continue
            shift = random.Random(f"metropole-{metropole.code}").uniform(1.0, 4.0)
            base = float(parent["TP60"][self.last]) + shift
            series[metropole.pk] = self.series(metropole.code, base, metropole.population or 0)
        return series

    def aggregate(self, members: list[tuple[Territory, dict]]) -> dict[str, dict[int, Decimal]]:
        """A région: population-weighted rates and medians, summed counts."""
        total = sum(territory.population or 0 for territory, _ in members) or 1
        result: dict[str, dict[int, Decimal]] = {"TP60": {}, "MED": {}, "NB_RSA": {}}
        for year in self.rate_years:
            for code, digits in (("TP60", "0.1"), ("MED", "1")):
                weighted = sum(
                    values[code][year] * (territory.population or 0) for territory, values in members
                )
                result[code][year] = (weighted / total).quantize(Decimal(digits))
        for year in self.count_years:
            result["NB_RSA"][year] = sum(values["NB_RSA"][year] for _, values in members)
        return result


@transaction.atomic
def load_observation_demo(path: Path | str = DATA_FILE) -> DemoObservationReport:
    require_demo_mode("Les valeurs fictives")
    spec, _ = files.read(path, ObservationFile)
    indicators = {
        indicator.code: indicator for indicator in Indicator.objects.filter(code__in=DEMO_INDICATORS)
    }
    missing = sorted(set(DEMO_INDICATORS) - set(indicators))
    if missing:
        raise ImproperlyConfigured(
            f"Indicateurs absents ({', '.join(missing)}) : chargez d'abord les indicateurs (pacte load_observation)."
        )
    series = Generator(spec).territories()
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
