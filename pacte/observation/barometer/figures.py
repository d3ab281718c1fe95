"""The figures of the barometer once read: a line per national target, the contracts behind it, the drill-down
from France to the fiches-actions, and the data to update.

No query here: `reads` fills these objects in a fixed number of queries, `rules` judge them. The functions
of the drill-down (`by_region`, `by_territory`, `of_territory`, `metropoles_in`) only regroup what was read.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from pacte.contracts import consolidation
from pacte.contracts.enums import YEARS
from pacte.contracts.models import Contract
from pacte.observation.barometer import rules
from pacte.observation.enums import BarometerConfidence, BarometerSource, TrackStatus
from pacte.observation.models import Indicator
from pacte.programme.enums import TargetScope
from pacte.programme.models import Target
from pacte.territories.enums import Level
from pacte.territories.models import Territory


def _sum(values: Iterable[Decimal | None]) -> Decimal | None:
    """Sum of the known values; None when none is known."""
    known = [value for value in values if value is not None]
    return sum(known, rules.ZERO) if known else None


# --- The rules applied to a target of the référentiel ---------------------------------------------------------


def is_additive(target: Target) -> bool:
    """Counts add up across territories; percentages, ratios, ages and unit prices do not (the
    consolidation's rule)."""
    return consolidation.TargetRow(target, consolidation.commitment_year(target)).is_additive


def counts_new_things(target: Target) -> bool:
    """A count whose label says it counts new or additional things (rules.counts_new_things)."""
    return rules.counts_new_things(target.label, additive=is_additive(target))


def baseline_of(target: Target, *, has_contract_indicators: bool = False) -> rules.Baseline:
    """The starting point of a target (rules.starting_point)."""
    return rules.starting_point(
        value=target.baseline_value,
        year=target.baseline_year,
        label=target.label,
        additive=is_additive(target),
        has_contract_indicators=has_contract_indicators,
    )


def target_year_of(target: Target) -> int:
    return rules.target_year(target.target_year)


# --- One line of the barometer --------------------------------------------------------------------------------


@dataclass
class NationalSeries:
    """The national values (France as a whole) of one statistical indicator following a target."""

    indicator: Indicator
    points: list[tuple[int, Decimal]] = field(default_factory=list)
    demo_periods: set[int] = field(default_factory=set)
    sources: dict[int, str] = field(default_factory=dict)

    @property
    def latest(self) -> tuple[int, Decimal] | None:
        return self.points[-1] if self.points else None

    @property
    def is_restricted(self) -> bool:
        return not self.indicator.is_public

    @property
    def latest_is_demo(self) -> bool:
        return bool(self.points) and self.points[-1][0] in self.demo_periods

    @property
    def latest_source(self) -> str:
        if not self.points:
            return ""
        return self.sources.get(self.points[-1][0]) or self.indicator.source


@dataclass
class ContractContribution:
    """What one contract in force brings to one national target: its linked indicators, their yearly targets
    (commitments), and the values of the latest validated report of its convention."""

    contract: Contract
    indicators: int = 0
    commitments: dict[int, Decimal] = field(default_factory=dict)
    realised: Decimal | None = None
    report_year: int | None = None
    validated_on: date | None = None

    @property
    def territory(self) -> Territory:
        return self.contract.territory

    @property
    def is_linked(self) -> bool:
        return self.indicators > 0

    @property
    def committed_by_year(self) -> dict[int, Decimal | None]:
        return {year: self.commitments.get(year) for year in YEARS}


@dataclass
class ContractFigures:
    """The sum of the contracts for one target (any set of contributions: France, a région, a territory)."""

    contributions: list[ContractContribution]
    commitment_year: int

    @property
    def linked(self) -> list[ContractContribution]:
        return [item for item in self.contributions if item.is_linked]

    @property
    def contracts(self) -> int:
        """Contracts in force with at least one indicator linked to the target."""
        return len(self.linked)

    @property
    def reporting(self) -> list[ContractContribution]:
        return [item for item in self.contributions if item.realised is not None]

    @property
    def realising_contracts(self) -> int:
        return len(self.reporting)

    def committed_in(self, year: int) -> Decimal | None:
        return _sum(item.commitments.get(year) for item in self.contributions)

    @property
    def committed(self) -> Decimal | None:
        """Commitments for the target's year (the consolidation's rule: 2027 when not dated in 2024-2027)."""
        return self.committed_in(self.commitment_year)

    @property
    def committed_by_year(self) -> dict[int, Decimal | None]:
        return {year: self.committed_in(year) for year in YEARS}

    @property
    def realised(self) -> Decimal | None:
        return _sum(item.realised for item in self.contributions)

    @property
    def report_year(self) -> int | None:
        years = [item.report_year for item in self.reporting if item.report_year is not None]
        return max(years) if years else None

    @property
    def validated_on(self) -> date | None:
        dates = [item.validated_on for item in self.reporting if item.validated_on is not None]
        return max(dates) if dates else None

    @property
    def has_demo(self) -> bool:
        return any(item.contract.is_demo for item in self.linked)

    @property
    def coverage(self) -> Decimal | None:
        if not self.contracts:
            return None
        return Decimal(self.realising_contracts) / Decimal(self.contracts)


@dataclass
class TargetProgress:
    """One line of the barometer: the figures of a target, then (`judge`) its current value, status and
    confidence."""

    target: Target
    baseline: rules.Baseline
    target_value: Decimal | None
    target_year: int
    is_additive: bool
    national: list[NationalSeries]
    contracts: ContractFigures
    departements: int
    today: date
    source: BarometerSource | None = None
    value: Decimal | None = None
    year: int | None = None
    trajectory: rules.Trajectory = field(default_factory=lambda: rules.Trajectory(TrackStatus.NO_DATA))
    confidence: BarometerConfidence = BarometerConfidence.NONE
    confidence_reason: str = ""
    report_series: list[tuple[int, Decimal]] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.target.code

    @property
    def status(self) -> TrackStatus:
        return self.trajectory.status

    @property
    def target_year_is_default(self) -> bool:
        return self.target.target_year is None

    @property
    def is_per_departement(self) -> bool:
        return self.target.scope == TargetScope.DEPARTEMENT

    @property
    def national_figure(self) -> NationalSeries | None:
        """The indicator whose national value is the most recent (first in the indicators' order on a tie)."""
        best = None
        for series in self.national:
            if series.latest is not None and (best is None or series.latest[0] > best.latest[0]):
                best = series
        return best

    @property
    def contract_value(self) -> Decimal | None:
        """The sum of the contract reports, for a count only."""
        return self.contracts.realised if self.is_additive else None

    @property
    def has_demo(self) -> bool:
        figure = self.national_figure
        return (figure is not None and figure.latest_is_demo) or self.contracts.has_demo

    @property
    def last_value_date(self) -> date | int | None:
        """The year of the national value, or the date the latest counted report was validated."""
        if self.source == BarometerSource.NATIONAL:
            return self.year
        if self.source == BarometerSource.CONTRACTS:
            return self.contracts.validated_on or self.year
        return None

    @property
    def actuals(self) -> list[tuple[int, Decimal]]:
        """The values drawn on the trajectory: the national series of the figure used, else the yearly sums
        of validated contract reports."""
        if self.source == BarometerSource.NATIONAL:
            return list(self.national_figure.points)
        if self.source == BarometerSource.CONTRACTS:
            return list(self.report_series)
        return []

    @property
    def has_trajectory(self) -> bool:
        return (
            self.baseline.is_known
            and self.target_value is not None
            and self.target_value != self.baseline.value
        )

    def trajectory_rows(self) -> list[dict]:
        """The table alternative of the trajectory chart: one row per year from the baseline to the target
        (or to the last value when later), with the expected value on the line and the actual value."""
        if not self.has_trajectory:
            return []
        actual = dict(self.actuals)
        last = max([self.target_year, *actual.keys()])
        first = min(self.baseline.year, self.target_year)
        return [
            {
                "year": year,
                "expected": rules.rounded(
                    rules.expected_value(self.baseline, self.target_value, self.target_year, year)
                ),
                "actual": actual.get(year),
            }
            for year in range(first, last + 1)
        ]

    def judge(self) -> "TargetProgress":
        """Pick the current value, assess the trajectory and the confidence (`rules`)."""
        figure = self.national_figure
        self.source, self.year, self.value = rules.current_value(
            figure.latest if figure is not None else None, self.contract_value, self.contracts.report_year
        )
        self.trajectory = rules.assess(
            baseline_value=self.baseline.value,
            baseline_year=self.baseline.year,
            target_value=self.target_value,
            target_year=self.target_year,
            value=self.value,
            year=self.year,
        )
        if self.source == BarometerSource.NATIONAL:
            self.confidence, self.confidence_reason = rules.national_confidence(
                period=figure.latest[0],
                lag=figure.indicator.expected_lag_years,
                is_demo=figure.latest_is_demo,
                today=self.today,
            )
        elif self.source == BarometerSource.CONTRACTS:
            self.confidence, self.confidence_reason = rules.contract_confidence(
                reporting=self.contracts.realising_contracts,
                linked=self.contracts.contracts,
                report_year=self.contracts.report_year,
                is_demo=self.contracts.has_demo,
                today=self.today,
            )
        else:
            self.confidence, self.confidence_reason = rules.NO_VALUE
        return self


@dataclass
class Barometer:
    today: date
    include_restricted: bool
    contracts: list[Contract]
    rows: list[TargetProgress]

    @property
    def counts(self) -> list[tuple[TrackStatus, int]]:
        """How many targets in each status, in the order of the statuses."""
        return [(item, sum(1 for row in self.rows if row.status == item)) for item in rules.STATUS_ORDER]

    @property
    def has_demo(self) -> bool:
        return any(row.has_demo for row in self.rows)


# --- Drill-down France → région → département / métropole → contract → fiche-action ------------------------


@dataclass
class AreaRow:
    """The contracts of one area (a région, or the territory of a contract) for one target."""

    territory: Territory | None
    contributions: list[ContractContribution]
    commitment_year: int

    @property
    def figures(self) -> ContractFigures:
        return ContractFigures(self.contributions, self.commitment_year)

    @property
    def level(self) -> str:
        """The level of the drill-down parameter: "region", "departement" or "metropole"."""
        if self.territory is None:
            return ""
        return "metropole" if self.territory.is_metropole else self.territory.level

    @property
    def key(self) -> str:
        return f"{self.level}:{self.territory.code}" if self.territory is not None else ""


def _sorted_areas(groups: dict, year: int) -> list[AreaRow]:
    rows = [AreaRow(territory, items, year) for territory, items in groups.values()]
    return sorted(rows, key=lambda row: (row.territory is None, row.territory.name if row.territory else ""))


def by_region(items: list[ContractContribution], year: int) -> list[AreaRow]:
    """One row per région having contracts in force (linked to the target or not); contracts of a territory
    without région come last under an empty territory. No query."""
    groups: dict[int | None, tuple[Territory | None, list[ContractContribution]]] = {}
    for item in items:
        region = item.territory.region
        groups.setdefault(region.pk if region else None, (region, []))[1].append(item)
    return _sorted_areas(groups, year)


def by_territory(items: list[ContractContribution], region: Territory, year: int) -> list[AreaRow]:
    """One row per territory with a contract in `region`: each département and each métropole is its own row
    (a métropole's figures are never added to its département's). Sorted by département code, each métropole
    right after its département. No query."""
    groups: dict[int, tuple[Territory, list[ContractContribution]]] = {}
    for item in items:
        if item.territory.region_id != region.pk:
            continue
        groups.setdefault(item.territory.pk, (item.territory, []))[1].append(item)
    rows = [AreaRow(territory, contributions, year) for territory, contributions in groups.values()]
    codes = {row.territory.pk: row.territory.code for row in rows if row.territory.level == Level.DEPARTEMENT}

    def order(row: AreaRow) -> tuple:
        territory = row.territory
        if territory.level == Level.DEPARTEMENT:
            return (territory.code, 0, territory.name)
        departement = codes.get(territory.departement_id) or codes.get(territory.parent_id) or "~"
        return (departement, 1, territory.name)

    return sorted(rows, key=order)


def of_territory(items: list[ContractContribution], territory: Territory) -> list[ContractContribution]:
    """The contracts of one département or métropole (a département's own contract only)."""
    return [item for item in items if item.territory.pk == territory.pk]


def metropoles_in(items: list[ContractContribution], departement: Territory) -> list[ContractContribution]:
    """The contracts of the métropoles lying in `departement`, shown apart from it."""
    return [
        item
        for item in items
        if item.territory.is_metropole
        and departement.pk in (item.territory.departement_id, item.territory.parent_id)
    ]


@dataclass
class IndicatorLine:
    label: str
    unit: str
    commitments: dict[int, Decimal] = field(default_factory=dict)
    realised: Decimal | None = None

    @property
    def committed_by_year(self) -> dict[int, Decimal | None]:
        return {year: self.commitments.get(year) for year in YEARS}


@dataclass
class ActionLine:
    """A fiche-action of a contract in force with its indicators linked to the target."""

    contract: Contract
    number: int
    title: str
    indicators: list[IndicatorLine] = field(default_factory=list)

    def committed_in(self, year: int) -> Decimal | None:
        return _sum(line.commitments.get(year) for line in self.indicators)

    @property
    def committed_by_year(self) -> dict[int, Decimal | None]:
        return {year: self.committed_in(year) for year in YEARS}

    @property
    def realised(self) -> Decimal | None:
        return _sum(line.realised for line in self.indicators)


# --- Stale data ----------------------------------------------------------------------------------------------


@dataclass
class StaleIndicator:
    indicator: Indicator
    latest: int | None
    threshold: int

    @property
    def reason(self) -> str:
        if self.latest is None:
            return "Aucune valeur"
        return f"Dernière valeur : {self.latest}, attendue au moins pour {self.threshold}"


@dataclass
class MissingReports:
    """The last execution report already due (its year, its due date) and the contracts in force that have
    not filed it."""

    year: int
    due_on: date
    contracts: list[Contract]
