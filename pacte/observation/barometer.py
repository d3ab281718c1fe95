"""Barometer of the Pacte des solidarités: where each national target of the référentiel stands.

For every national target (kind "cible", not a territory's own figure) the barometer reads:

- the starting point (`baseline`): the référentiel's baseline value and year (2023, the Pacte's start, when
  the year is not given); when the référentiel gives none and the target counts *new or additional* things
  (a count whose label starts with "Nouvelles", "Nouveaux", "Nouvel", "Nouvelle", "Nouveau" or contains
  "supplémentaire", or a count that contract indicators are linked to), 0 in 2023; otherwise unknown;
- the target: its value and year (2027, the end of the Pacte, when not dated); a target set per département
  is multiplied by the number of départements with a contract in force (as in the consolidation);
- the current value, from two sources: (a) the national figures, i.e. the latest value for France as a whole
  (`Observation` without territory) of the statistical indicators that follow the target (`national_target`),
  public ones only unless the reader may see the others; (b) the sum of the contract reports: the values of
  the latest validated execution report of each convention for the contract indicators linked to the target,
  for counts only (percentages, ratios and unit amounts do not add up across territories). Both are shown;
  the status uses the national figure first, else the contract reports.

Status (`assess`): the progress rate is (current − baseline) / (target − baseline), so that a target that
decreases (a rate of poverty) works the same way; the expected progress at the year of the current value lies
on the straight line from the baseline (0 %) to the target (100 %) and is clamped to 0-100 %; the gap is
progress − expected, in points:

- "atteinte": progress ≥ 100 %;
- "en_bonne_voie": gap ≥ −ON_TRACK_TOLERANCE (10 points);
- "a_surveiller": gap ≥ −AT_RISK_TOLERANCE (25 points);
- "en_retard": below;
- "sans_donnee": no current value, an unknown baseline or target, a target equal to its baseline, or a value
  older than the baseline year.

Confidence ("météo" of the data, `confidence`): high for an official national figure published within the
indicator's usual lag; medium for an official figure older than that, or for contract reports that are
recent (report year ≥ current year − REPORT_LAG_YEARS) and cover at least half the contracts concerned; low
for older or sparse contract reports and for any fictitious (demo) value.

Every function reads the database in a fixed number of queries whatever the number of targets, territories
and contracts: sums are computed by the database (GROUP BY) and grouped by territory in Python.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from pacte.contracts import consolidation
from pacte.contracts.enums import PERIOD_END, YEARS, ReportStatus
from pacte.contracts.models import Contract, ExecutionReport, IndicatorYearTarget, ReportIndicatorValue
from pacte.contracts.models import Indicator as ContractIndicator
from pacte.observation.enums import (
    BarometerConfidence,
    BarometerSource,
    BaselineRule,
    TrackStatus,
    ValueStatus,
)
from pacte.observation.models import Indicator, Observation
from pacte.programme.enums import TargetKind, TargetScope
from pacte.programme.models import Target
from pacte.territories.enums import Level
from pacte.territories.models import Territory

ZERO = Decimal("0")
HUNDRED = Decimal("100")

# The Pacte starts in 2023: the year of a baseline without a year, and of the implicit baseline 0 of a target
# counting new things.
PACTE_START_YEAR = 2023
# The year of a target that the référentiel does not date: the end of the Pacte.
DEFAULT_TARGET_YEAR = PERIOD_END
# Tolerance bands, in points of progress below the expected progress on the straight line.
ON_TRACK_TOLERANCE = Decimal("10")
AT_RISK_TOLERANCE = Decimal("25")
# Contract reports are recent when their year is at least the current year minus this (the report of a year
# is due by 31 March of the next one).
REPORT_LAG_YEARS = 2
# Below this share of the contracts concerned having a validated report, the sum of reports is a weak signal.
MIN_REPORT_COVERAGE = Decimal("0.5")
# Labels of targets counting new or additional things (lower case, compared with the start of the label or
# anywhere in it).
NEW_THINGS_PREFIXES = ("nouvelles ", "nouveaux ", "nouvelle ", "nouveau ", "nouvel ")
ADDITIONAL_WORD = "supplémentaire"


def _quantize(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _sum(values: Iterable[Decimal | None]) -> Decimal | None:
    """Sum of the known values; None when none is known."""
    known = [value for value in values if value is not None]
    return sum(known, ZERO) if known else None


# --- Rules on one target (pure functions) ------------------------------------------------------------------


@dataclass(frozen=True)
class Baseline:
    value: Decimal | None
    year: int | None
    rule: BaselineRule

    @property
    def is_known(self) -> bool:
        return self.value is not None and self.year is not None

    @property
    def explanation(self) -> str:
        if self.rule == BaselineRule.REFERENTIEL and self.year == PACTE_START_YEAR:
            return "Valeur de départ du référentiel (année non précisée : 2023, début du Pacte)"
        return self.rule.label


def is_additive(target: Target) -> bool:
    """Counts add up across territories; percentages, ratios, ages and unit prices do not (the
    consolidation's rule)."""
    return consolidation.TargetRow(target, consolidation.commitment_year(target)).is_additive


def counts_new_things(target: Target) -> bool:
    """A count whose label says it counts new or additional things ("Nouvelles places…", "Enfants
    supplémentaires…")."""
    label = target.label.strip().lower()
    return is_additive(target) and (label.startswith(NEW_THINGS_PREFIXES) or ADDITIONAL_WORD in label)


def baseline_of(target: Target, *, has_contract_indicators: bool = False) -> Baseline:
    """The starting point of a target (see the module docstring for the rules)."""
    if target.baseline_value is not None:
        return Baseline(
            target.baseline_value, target.baseline_year or PACTE_START_YEAR, BaselineRule.REFERENTIEL
        )
    if counts_new_things(target):
        return Baseline(ZERO, PACTE_START_YEAR, BaselineRule.NEW_THINGS)
    if has_contract_indicators and is_additive(target):
        return Baseline(ZERO, PACTE_START_YEAR, BaselineRule.CONTRACTS)
    return Baseline(None, None, BaselineRule.UNKNOWN)


def target_year_of(target: Target) -> int:
    return target.target_year or DEFAULT_TARGET_YEAR


@dataclass(frozen=True)
class Trajectory:
    """Progress, expected progress and gap in % of the way from the baseline to the target."""

    status: TrackStatus
    progress: Decimal | None = None
    expected: Decimal | None = None
    reason: str = ""

    @property
    def gap(self) -> Decimal | None:
        if self.progress is None or self.expected is None:
            return None
        return self.progress - self.expected

    @property
    def progress_display(self) -> Decimal | None:
        return _quantize(self.progress)

    @property
    def expected_display(self) -> Decimal | None:
        return _quantize(self.expected)

    @property
    def gap_display(self) -> Decimal | None:
        return _quantize(self.gap)


def expected_progress(baseline_year: int, target_year: int, year: int) -> Decimal:
    """Share (in %) of the way from baseline to target that the straight line reaches at `year`."""
    if target_year <= baseline_year:
        return HUNDRED if year >= target_year else ZERO
    share = Decimal(year - baseline_year) * HUNDRED / Decimal(target_year - baseline_year)
    return min(max(share, ZERO), HUNDRED)


def assess(
    *,
    baseline_value: Decimal | None,
    baseline_year: int | None,
    target_value: Decimal | None,
    target_year: int,
    value: Decimal | None,
    year: int | None,
) -> Trajectory:
    """The status of a target whose value was `value` in `year`."""
    if value is None or year is None:
        return Trajectory(TrackStatus.NO_DATA, reason="Aucune valeur actuelle.")
    if target_value is None:
        return Trajectory(TrackStatus.NO_DATA, reason="La cible n'est pas chiffrée.")
    if baseline_value is None or baseline_year is None:
        return Trajectory(TrackStatus.NO_DATA, reason="La situation de départ est inconnue.")
    if target_value == baseline_value:
        return Trajectory(TrackStatus.NO_DATA, reason="La cible est égale à la situation de départ.")
    if year < baseline_year:
        return Trajectory(
            TrackStatus.NO_DATA, reason="La dernière valeur est antérieure à la situation de départ."
        )
    progress = (Decimal(value) - baseline_value) * HUNDRED / (target_value - baseline_value)
    expected = expected_progress(baseline_year, target_year, year)
    if progress >= HUNDRED:
        status = TrackStatus.REACHED
    elif progress >= expected - ON_TRACK_TOLERANCE:
        status = TrackStatus.ON_TRACK
    elif progress >= expected - AT_RISK_TOLERANCE:
        status = TrackStatus.AT_RISK
    else:
        status = TrackStatus.LATE
    return Trajectory(status, progress, expected)


def expected_value(baseline: Baseline, target_value: Decimal, target_year: int, year: int) -> Decimal:
    """The value on the straight line from the baseline to the target at `year`."""
    share = expected_progress(baseline.year, target_year, year) / HUNDRED
    return baseline.value + (target_value - baseline.value) * share


# --- What the database says ---------------------------------------------------------------------------------


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
class Contribution:
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

    contributions: list[Contribution]
    commitment_year: int

    @property
    def linked(self) -> list[Contribution]:
        return [item for item in self.contributions if item.is_linked]

    @property
    def contracts(self) -> int:
        """Contracts in force with at least one indicator linked to the target."""
        return len(self.linked)

    @property
    def reporting(self) -> list[Contribution]:
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
    """One line of the barometer."""

    target: Target
    baseline: Baseline
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
    trajectory: Trajectory = field(default_factory=lambda: Trajectory(TrackStatus.NO_DATA))
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
                "expected": _quantize(
                    expected_value(self.baseline, self.target_value, self.target_year, year)
                ),
                "actual": actual.get(year),
            }
            for year in range(first, last + 1)
        ]


def confidence(item: TargetProgress) -> tuple[BarometerConfidence, str]:
    """How much the current value of a barometer line can be trusted, and why (in French)."""
    if item.source == BarometerSource.NATIONAL:
        figure = item.national_figure
        period, lag = figure.latest[0], figure.indicator.expected_lag_years
        if figure.latest_is_demo:
            return BarometerConfidence.LOW, f"Valeur nationale de {period} fictive (donnée de démonstration)."
        if period >= item.today.year - lag:
            return (
                BarometerConfidence.HIGH,
                f"Statistique officielle de {period}, à jour au regard du délai de publication habituel "
                f"({lag} an{'s' if lag > 1 else ''}).",
            )
        return (
            BarometerConfidence.MEDIUM,
            f"Statistique officielle de {period}, plus ancienne que le délai de publication habituel "
            f"({lag} an{'s' if lag > 1 else ''}).",
        )
    if item.source == BarometerSource.CONTRACTS:
        figures = item.contracts
        share = f"{figures.realising_contracts} contrat{'s' if figures.realising_contracts > 1 else ''} sur {figures.contracts}"
        if figures.has_demo:
            return BarometerConfidence.LOW, "Rapports de contrats de démonstration (donnée fictive)."
        if figures.report_year < item.today.year - REPORT_LAG_YEARS:
            return (
                BarometerConfidence.LOW,
                f"Rapports d'exécution anciens (dernier rapport validé : {figures.report_year}).",
            )
        if figures.coverage is not None and figures.coverage < MIN_REPORT_COVERAGE:
            return BarometerConfidence.LOW, f"Peu de rapports d'exécution validés ({share})."
        return (
            BarometerConfidence.MEDIUM,
            f"Somme déclarative des rapports d'exécution validés ({share}), sans statistique nationale.",
        )
    return BarometerConfidence.NONE, "Aucune valeur actuelle."


def _finish(item: TargetProgress) -> TargetProgress:
    """Pick the source of the current value, assess the trajectory and the confidence."""
    figure = item.national_figure
    if figure is not None:
        item.source, (item.year, item.value) = BarometerSource.NATIONAL, figure.latest
    elif item.contract_value is not None:
        item.source, item.value, item.year = (
            BarometerSource.CONTRACTS,
            item.contract_value,
            item.contracts.report_year,
        )
    item.trajectory = assess(
        baseline_value=item.baseline.value,
        baseline_year=item.baseline.year,
        target_value=item.target_value,
        target_year=item.target_year,
        value=item.value,
        year=item.year,
    )
    item.confidence, item.confidence_reason = confidence(item)
    return item


# --- Queries ----------------------------------------------------------------------------------------------


def national_targets():
    """The targets of the barometer: kind "cible" of the whole référentiel (not a territory's own figure)."""
    return Target.objects.filter(kind=TargetKind.TARGET, territory__isnull=True).select_related(
        "measure__axis"
    )


def _national_series(target_ids: list[int], include_restricted: bool) -> dict[int, list[NationalSeries]]:
    """Two queries: the indicators following the targets (public ones unless `include_restricted`), and
    their available national values."""
    indicators = Indicator.objects.filter(national_target__in=target_ids)
    if not include_restricted:
        indicators = indicators.filter(is_public=True)
    series = {indicator.pk: NationalSeries(indicator) for indicator in indicators.order_by("order", "code")}
    values = Observation.objects.filter(
        indicator__in=list(series), territory__isnull=True, status=ValueStatus.AVAILABLE
    ).order_by("period")
    for indicator_id, period, value, is_demo, source in values.values_list(
        "indicator", "period", "value", "is_demo", "source"
    ):
        item = series[indicator_id]
        item.points.append((period, value))
        item.sources[period] = source
        if is_demo:
            item.demo_periods.add(period)
    by_target: dict[int, list[NationalSeries]] = defaultdict(list)
    for item in series.values():
        by_target[item.indicator.national_target_id].append(item)
    return by_target


def _latest_validated_year():
    return (
        ExecutionReport.objects.filter(contract=OuterRef("report__contract"), status=ReportStatus.VALIDATED)
        .order_by("-year")
        .values("year")[:1]
    )


def contributions(target_ids: list[int], contracts: list[Contract]) -> dict[int, list[Contribution]]:
    """For each target, one Contribution per contract in force (`contracts`, from
    consolidation.contracts_in_force()), in three queries: linked indicators, yearly targets, realisations of
    the latest validated report of each convention (the rules of consolidation.target_cascade)."""
    versions, conventions = consolidation.current_versions(), consolidation.convention_ids()
    by_pk = {contract.pk: contract for contract in contracts}
    by_convention = {contract.convention_id: contract for contract in contracts}
    result = {
        target_id: {pk: Contribution(contract) for pk, contract in by_pk.items()} for target_id in target_ids
    }
    linked = (
        ContractIndicator.objects.filter(action__contract__in=versions, national_target__in=target_ids)
        .values("national_target", "action__contract")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in linked:
        result[row["national_target"]][row["action__contract"]].indicators = row["n"]
    commitments = (
        IndicatorYearTarget.objects.filter(
            indicator__action__contract__in=versions, indicator__national_target__in=target_ids
        )
        .values("indicator__national_target", "indicator__action__contract", "year")
        .annotate(total=Sum("value"))
        .order_by()
    )
    for row in commitments:
        item = result[row["indicator__national_target"]][row["indicator__action__contract"]]
        item.commitments[row["year"]] = row["total"]
    realisations = (
        ReportIndicatorValue.objects.filter(
            report__contract__in=conventions,
            report__status=ReportStatus.VALIDATED,
            indicator__national_target__in=target_ids,
            report__year=Subquery(_latest_validated_year()),
        )
        .values("indicator__national_target", "report__contract")
        .annotate(
            total=Sum("value"),
            year=Max("report__year"),
            validated=Max(Coalesce("report__reviewed_at", "report__submitted_at")),
        )
        .order_by()
    )
    for row in realisations:
        contract = by_convention.get(row["report__contract"])
        if contract is None:
            continue
        item = result[row["indicator__national_target"]][contract.pk]
        item.realised, item.report_year = row["total"], row["year"]
        item.validated_on = timezone.localdate(row["validated"]) if row["validated"] else None
    return {target_id: list(items.values()) for target_id, items in result.items()}


def _report_series(target_ids: list[int]) -> dict[int, list[tuple[int, Decimal]]]:
    """Per target and year, the sum of the validated reports' values (one query)."""
    rows = (
        ReportIndicatorValue.objects.filter(
            report__contract__in=consolidation.convention_ids(),
            report__status=ReportStatus.VALIDATED,
            indicator__national_target__in=target_ids,
        )
        .values("indicator__national_target", "report__year")
        .annotate(total=Sum("value"))
        .order_by("report__year")
    )
    series: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for row in rows:
        series[row["indicator__national_target"]].append((row["report__year"], row["total"]))
    return series


@dataclass
class Barometer:
    today: date
    include_restricted: bool
    contracts: list[Contract]
    rows: list[TargetProgress]

    @property
    def counts(self) -> list[tuple[TrackStatus, int]]:
        """How many targets in each status, in the order of the statuses."""
        order = [
            TrackStatus.REACHED,
            TrackStatus.ON_TRACK,
            TrackStatus.AT_RISK,
            TrackStatus.LATE,
            TrackStatus.NO_DATA,
        ]
        return [(status, sum(1 for row in self.rows if row.status == status)) for status in order]

    @property
    def has_demo(self) -> bool:
        return any(row.has_demo for row in self.rows)


def barometer(
    *, include_restricted: bool = False, today: date | None = None, targets=None, series: bool = False
) -> Barometer:
    """Every national target with its status. `include_restricted`: also read non-public indicators (the
    Pacte's steering). `targets`: a queryset narrowing national_targets(). `series`: also read the yearly
    sums of reports (for a trajectory chart). Seven queries (eight with `series`)."""
    today = today or timezone.localdate()
    targets = list(national_targets() if targets is None else targets)
    ids = [target.pk for target in targets]
    contracts = consolidation.contracts_in_force()
    departements = sum(1 for contract in contracts if contract.territory.level == Level.DEPARTEMENT)
    national = _national_series(ids, include_restricted)
    by_target = contributions(ids, contracts)
    reports = _report_series(ids) if series else {}
    rows = []
    for target in targets:
        figures = ContractFigures(by_target[target.pk], consolidation.commitment_year(target))
        target_value = target.target_value
        if target_value is not None and target.scope == TargetScope.DEPARTEMENT:
            target_value = target_value * departements if departements else None
        rows.append(
            _finish(
                TargetProgress(
                    target=target,
                    baseline=baseline_of(target, has_contract_indicators=figures.contracts > 0),
                    target_value=target_value,
                    target_year=target_year_of(target),
                    is_additive=is_additive(target),
                    national=national.get(target.pk, []),
                    contracts=figures,
                    departements=departements,
                    today=today,
                    report_series=reports.get(target.pk, []),
                )
            )
        )
    return Barometer(today, include_restricted, contracts, rows)


def target_progress(
    code: str, *, include_restricted: bool = False, today: date | None = None
) -> TargetProgress:
    """One target of the barometer with its yearly report sums; Target.DoesNotExist for an unknown code or
    a target that is not in the barometer."""
    data = barometer(
        include_restricted=include_restricted,
        today=today,
        targets=national_targets().filter(code=code),
        series=True,
    )
    if not data.rows:
        raise Target.DoesNotExist(code)
    return data.rows[0]


# --- Drill-down France → région → département / métropole → contract → fiche-action ------------------------


@dataclass
class AreaRow:
    """The contracts of one area (a région, or the territory of a contract) for one target."""

    territory: Territory | None
    contributions: list[Contribution]
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


def by_region(items: list[Contribution], year: int) -> list[AreaRow]:
    """One row per région having contracts in force (linked to the target or not); contracts of a territory
    without région come last under an empty territory. No query."""
    groups: dict[int | None, tuple[Territory | None, list[Contribution]]] = {}
    for item in items:
        region = item.territory.region
        groups.setdefault(region.pk if region else None, (region, []))[1].append(item)
    return _sorted_areas(groups, year)


def by_territory(items: list[Contribution], region: Territory, year: int) -> list[AreaRow]:
    """One row per territory with a contract in `region`: each département and each métropole is its own row
    (a métropole's figures are never added to its département's). Sorted by département code, each métropole
    right after its département. No query."""
    groups: dict[int, tuple[Territory, list[Contribution]]] = {}
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


def of_territory(items: list[Contribution], territory: Territory) -> list[Contribution]:
    """The contracts of one département or métropole (a département's own contract only)."""
    return [item for item in items if item.territory.pk == territory.pk]


def metropoles_in(items: list[Contribution], departement: Territory) -> list[Contribution]:
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


def action_lines(target: Target, contracts: list[Contract]) -> list[ActionLine]:
    """The fiche-actions of `contracts` (versions in force, carrying `convention_id`) with an indicator linked
    to `target`, their yearly targets and the values of the latest validated report of their convention. A
    reported value is matched to the version in force by fiche-action number and indicator label, so that an
    avenant does not lose it. Three queries."""
    if not contracts:
        return []
    by_pk = {contract.pk: contract for contract in contracts}
    indicators = (
        ContractIndicator.objects.filter(action__contract__in=list(by_pk), national_target=target)
        .select_related("action")
        .order_by("action__contract", "action__number", "pk")
    )
    lines: dict[tuple[int, int], ActionLine] = {}
    by_label: dict[tuple[int, int, str], IndicatorLine] = {}
    by_pk_indicator: dict[int, IndicatorLine] = {}
    for indicator in indicators:
        action = indicator.action
        key = (action.contract_id, action.number)
        line = lines.setdefault(key, ActionLine(by_pk[action.contract_id], action.number, action.title))
        item = IndicatorLine(indicator.label, indicator.get_unit_display())
        line.indicators.append(item)
        by_label.setdefault((*key, indicator.label), item)
        by_pk_indicator[indicator.pk] = item
    for indicator_id, year, value in IndicatorYearTarget.objects.filter(
        indicator__in=list(by_pk_indicator)
    ).values_list("indicator", "year", "value"):
        by_pk_indicator[indicator_id].commitments[year] = value
    convention_of = {contract.convention_id: contract.pk for contract in contracts}
    realisations = (
        ReportIndicatorValue.objects.filter(
            report__contract__in=list(convention_of),
            report__status=ReportStatus.VALIDATED,
            indicator__national_target=target,
            report__year=Subquery(_latest_validated_year()),
        )
        .values("report__contract", "indicator__action__number", "indicator__label")
        .annotate(total=Sum("value"))
        .order_by()
    )
    for row in realisations:
        key = (
            convention_of[row["report__contract"]],
            row["indicator__action__number"],
            row["indicator__label"],
        )
        item = by_label.get(key)
        if item is not None:
            item.realised = (item.realised or ZERO) + row["total"]
    return list(lines.values())


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


def stale_indicators(*, include_restricted: bool = False, today: date | None = None) -> list[StaleIndicator]:
    """Every indicator whose latest available value (any territory) is older than the current year minus its
    usual publication lag, or that has no value. One query."""
    today = today or timezone.localdate()
    indicators = Indicator.objects.select_related("national_target").annotate(
        latest=Max("observations__period", filter=Q(observations__status=ValueStatus.AVAILABLE))
    )
    if not include_restricted:
        indicators = indicators.filter(is_public=True)
    result = []
    for indicator in indicators.order_by("order", "code"):
        threshold = today.year - indicator.expected_lag_years
        if indicator.latest is None or indicator.latest < threshold:
            result.append(StaleIndicator(indicator, indicator.latest, threshold))
    return result


@dataclass
class MissingReports:
    """The last execution report already due (its year, its due date) and the contracts in force that have
    not filed it."""

    year: int
    due_on: date
    contracts: list[Contract]


def missing_reports(
    *, today: date | None = None, contracts: list[Contract] | None = None
) -> MissingReports | None:
    """The contracts whose last due execution report is missing (consolidation.reports_by_year); None before
    the first report is due. Two queries (one when `contracts` is given)."""
    today = today or timezone.localdate()
    due = [
        row
        for row in consolidation.reports_by_year(None, today=today, contracts=contracts)
        if today > row.due_on
    ]
    if not due:
        return None
    last = due[-1]
    return MissingReports(last.year, last.due_on, last.missing)
