"""Builders of the observation tests: factories of indicators and values, bulk writers of territories and values
(a whole France of 101 départements stays fast to build), execution reports for the barometer."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from pacte.contracts.models import ExecutionReport, ReportIndicatorValue
from pacte.contracts.services.actions import national_unit
from pacte.core.enums import ReportStatus
from pacte.observation import charts
from pacte.observation.enums import ValueKind, ValueStatus
from pacte.observation.models import Indicator, Observation
from pacte.programme.models import Axis
from pacte.territories.enums import Level, Zone
from pacte.territories.models import Territory
from tests.contracts.factories import action_data, build_contract
from tests.programme.factories import AxisFactory, TargetFactory
from tests.territories.factories import DepartementFactory, EpciFactory, RegionFactory

MAP_CODES = sorted(charts.map_geometry().paths)
OVERSEAS = {"971", "972", "973", "974", "976"}


class IndicatorFactory(factory.django.DjangoModelFactory):
    """A public poverty rate by default; traits `count` (additive), `restricted` (not public)."""

    class Meta:
        model = Indicator
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"IND{n}")
    label = factory.Sequence(lambda n: f"Indicateur statistique {n}")
    kind = ValueKind.RATE
    unit = "%"
    decimals = 1
    source = "INSEE – Filosofi"
    vintage = "Filosofi 2021"

    class Params:
        count = factory.Trait(kind=ValueKind.COUNT, unit="foyers", decimals=0)
        restricted = factory.Trait(is_public=False)


class ObservationFactory(factory.django.DjangoModelFactory):
    """A value of a département; traits `national` (France), `secret` (statistical secrecy), `demo`."""

    class Meta:
        model = Observation

    indicator = factory.SubFactory(IndicatorFactory)
    territory = factory.SubFactory(DepartementFactory)
    period = 2021
    value = Decimal("14.5")

    class Params:
        national = factory.Trait(territory=None)
        secret = factory.Trait(value=None, status=ValueStatus.SECRET)
        demo = factory.Trait(is_demo=True)


# --- Territories and values in bulk ---------------------------------------------------------------------


def france(count: int = 101, *, regions: int = 13) -> list[Territory]:
    """`count` départements with the codes of the map (overseas included), spread over `regions` régions
    (codes 11, 12…), written in bulk. Existing territories with the same codes are reused."""
    region_rows = [
        Territory(level=Level.REGION, code=f"{11 + index}", name=f"Région {11 + index}", zone=Zone.METRO)
        for index in range(regions)
    ]
    Territory.objects.bulk_create(region_rows, ignore_conflicts=True)
    region_list = list(Territory.objects.filter(level=Level.REGION).order_by("code"))
    wanted = MAP_CODES[:count]
    existing = set(Territory.objects.filter(level=Level.DEPARTEMENT).values_list("code", flat=True))
    new = []
    for index, code in enumerate(wanted):
        if code in existing:
            continue
        region = region_list[index % len(region_list)]
        new.append(
            Territory(
                level=Level.DEPARTEMENT,
                code=code,
                name=f"Département {code}",
                parent=region,
                region=region,
                zone=Zone.DROM if code in OVERSEAS else Zone.METRO,
                population=500_000,
            )
        )
    Territory.objects.bulk_create(new)
    return list(Territory.objects.filter(level=Level.DEPARTEMENT, code__in=wanted).order_by("code"))


def communes(departement: Territory, count: int, start: int = 0) -> list[Territory]:
    rows = [
        Territory(
            level=Level.COMMUNE,
            code=f"{departement.code[:2]}{number:03d}",
            name=f"Commune {departement.code}-{number:03d}",
            parent=departement,
            departement=departement,
            region=departement.region,
            zone=Zone.METRO,
            population=1_000,
        )
        for number in range(start, start + count)
    ]
    Territory.objects.bulk_create(rows)
    return list(Territory.objects.filter(level=Level.COMMUNE, departement=departement).order_by("code"))


def values(indicator, territories, periods=(2021,), *, base="10", step="0.1", demo=False) -> None:
    """A value for each territory and period: base + step × index (+ the year offset), in bulk."""
    rows = []
    for index, territory in enumerate(territories):
        for offset, period in enumerate(periods):
            rows.append(
                Observation(
                    indicator=indicator,
                    territory=territory,
                    period=period,
                    value=Decimal(base) + Decimal(step) * index + Decimal(offset) / 10,
                    is_demo=demo,
                )
            )
    Observation.objects.bulk_create(rows, ignore_conflicts=True)  # keeps the values already there


# --- Execution reports and contracts for the barometer -------------------------------------------------------


def _at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 30)))


def due_on(year: int) -> datetime.date:
    """The due date the reports of `year` take in these tests: 31 March of the following year (national steering
    sets it per campaign in the platform: `services.execution.set_report_campaign`)."""
    return datetime.date(year + 1, 3, 31)


def report(root, version, year, reported, *, status=ReportStatus.VALIDATED, reviewed_on=None):
    """An execution report of `root` for `year` with `reported`: {indicator: value}."""
    submitted = _at(due_on(year) - datetime.timedelta(days=10))
    created = ExecutionReport.objects.create(
        contract=root,
        version=version,
        year=year,
        due_on=due_on(year),
        status=status,
        submitted_at=submitted if status != ReportStatus.DRAFT else None,
        reviewed_at=_at(reviewed_on) if reviewed_on else None,
    )
    for indicator, value in reported.items():
        ReportIndicatorValue.objects.create(report=created, indicator=indicator, value=Decimal(value))
    return created


def indicators_of(contract):
    return {action.number: action.indicators.get() for action in contract.actions.all()}


def grow(count: int, target, start: int) -> None:
    """`count` départements with a contract following `target` (and a métropole with its own for one in
    three), each with a validated report of 5; one national indicator and one more target each."""
    axis = AxisFactory(number=1)
    for index in range(start, start + count):
        region = RegionFactory(code=f"{20 + index % 7}", name=f"Région {index % 7}")
        departement = DepartementFactory(code=f"{index:03d}", name=f"Département {index}", parent=region)
        territories = [departement]
        if index % 3 == 0:
            territories.append(EpciFactory(metropole=True, code=f"2{index:08d}", parent=departement))
        for territory in territories:
            # A métropole's contract has an action on every axis.
            others = (
                [action_data(other) for other in Axis.objects.exclude(pk=axis.pk)]
                if territory.is_metropole
                else []
            )
            contract = build_contract(
                territory,
                actions=[
                    action_data(axis, target="10", national_target=target, unit=national_unit(target.unit)),
                    *others,
                ],
            )
            report(contract, contract, 2024, {indicators_of(contract)[1]: "5"})
        indicator = IndicatorFactory(code=f"I{index}", national_target=target, count=True)
        ObservationFactory(indicator=indicator, national=True, period=2024, value=Decimal(index))
        TargetFactory(code=f"autre-{index}", label=f"Nouvelles choses {index}")
