"""The reads of the barometer: the national targets, the national values of the indicators that follow them, the
contracts in force and their reports, gathered into `figures` and judged by `rules`; for the target borne by the
register of the territoires zéro non-recours (`pacte.tznr.queries.TARGET_CODE`), the register's count.

For every national target (kind "cible", not a territory's own figure) the barometer reads the référentiel's
baseline and target (a target set per département is multiplied by the number of départements of the COG: 101,
whatever the contracts signed) and two kinds of figures: (a) the national statistic: the published figures of
data/chiffres_nationaux.yaml (`NationalFigure`, with their source, date, address and quote) and the available
values for France as a whole (`Observation` without territory) of the statistical indicators that follow the
target (`national_target`), public ones only unless the reader may see the others; (b) the contribution of the
local contracts: the values of the validated execution reports of each convention for the contract indicators
linked to the target, per report year (a year at a time, never two years added up). `rules` says which one the
status uses (the national statistic; the contracts only for a target borne by them) and how far to trust it.

Every function reads the database in a fixed number of queries whatever the number of targets, territories
and contracts: sums are computed by the database (GROUP BY) and grouped by territory in Python.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Count, Max, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from pacte.contracts import consolidation
from pacte.contracts.models import (
    ActionIndicator,
    Contract,
    ExecutionReport,
    IndicatorYearTarget,
    ReportIndicatorValue,
)
from pacte.core.enums import ReportStatus
from pacte.observation.barometer import rules
from pacte.observation.barometer.figures import (
    ActionLine,
    Barometer,
    ContractContribution,
    ContractFigures,
    IndicatorLine,
    MissingReports,
    NationalSeries,
    StaleIndicator,
    TargetProgress,
    baseline_of,
    counts_new_things,
    is_additive,
)
from pacte.observation.enums import ValueStatus
from pacte.observation.models import Indicator, NationalFigure, Observation
from pacte.programme.enums import TargetScope
from pacte.programme.models import Target
from pacte.territories.enums import Level
from pacte.territories.models import Territory
from pacte.tznr import queries as tznr_queries


def national_targets():
    """The targets of the barometer: the référentiel's national targets (kind "cible", not withdrawn, not a
    territory's own figure)."""
    return Target.objects.national_targets().select_related("measure__axis")


def departement_count(region: Territory | None = None) -> int:
    """The départements of the COG (101: Corse counts its two, 2A and 2B), or those of `region`: what a target
    set « par département » is multiplied by, whatever the contracts signed. One query."""
    departements = Territory.objects.filter(level=Level.DEPARTEMENT)
    if region is not None:
        departements = departements.filter(region=region)
    return departements.count()


def _published(target_ids: list[int]) -> dict[int, list[NationalFigure]]:
    """The published national figures of the targets (data/chiffres_nationaux.yaml). One query."""
    result: dict[int, list[NationalFigure]] = defaultdict(list)
    for item in NationalFigure.objects.filter(target__in=target_ids).order_by("target", "order"):
        result[item.target_id].append(item)
    return result


def filed_reports() -> dict[int, int]:
    """Per year, the contracts in force with a validated execution report (whatever the target). One query."""
    rows = (
        ExecutionReport.objects.filter(
            contract__in=consolidation.convention_ids(), status=ReportStatus.VALIDATED
        )
        .values("year")
        .annotate(n=Count("contract", distinct=True))
        .order_by()
    )
    return {row["year"]: row["n"] for row in rows}


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


def contributions(targets: list[Target], contracts: list[Contract]) -> dict[int, list[ContractContribution]]:
    """For each target, one ContractContribution per contract in force (`contracts`, from
    consolidation.contracts_in_force()), in three queries: linked indicators, yearly targets, realisations of
    the validated reports of each convention per year (the rules of consolidation.target_cascade: only the
    indicators in the unit that adds up to their target count, `consolidation.same_unit_q`)."""
    versions, conventions = consolidation.current_versions(), consolidation.convention_ids()
    target_ids = [target.pk for target in targets]
    same_unit, reported_same_unit = (
        consolidation.same_unit_q(targets),
        consolidation.same_unit_q(targets, prefix="indicator__"),
    )
    by_pk = {contract.pk: contract for contract in contracts}
    by_convention = {contract.convention_id: contract for contract in contracts}
    result = {
        target_id: {pk: ContractContribution(contract) for pk, contract in by_pk.items()}
        for target_id in target_ids
    }
    linked = (
        ActionIndicator.objects.filter(same_unit, action__contract__in=versions)
        .values("national_target", "action__contract")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in linked:
        result[row["national_target"]][row["action__contract"]].indicators = row["n"]
    commitments = (
        IndicatorYearTarget.objects.filter(reported_same_unit, indicator__action__contract__in=versions)
        .values("indicator__national_target", "indicator__action__contract", "year")
        .annotate(total=Sum("value"))
        .order_by()
    )
    for row in commitments:
        item = result[row["indicator__national_target"]][row["indicator__action__contract"]]
        item.commitments[row["year"]] = row["total"]
    realisations = (
        ReportIndicatorValue.objects.filter(
            reported_same_unit,
            report__contract__in=conventions,
            report__status=ReportStatus.VALIDATED,
        )
        .values("indicator__national_target", "report__contract", "report__year")
        .annotate(total=Sum("value"), validated=Max(Coalesce("report__reviewed_at", "report__submitted_at")))
        .order_by()
    )
    for row in realisations:
        contract = by_convention.get(row["report__contract"])
        if contract is None:
            continue
        item = result[row["indicator__national_target"]][contract.pk]
        item.realised_by_year[row["report__year"]] = row["total"]
        if row["validated"]:
            item.validated_by_year[row["report__year"]] = timezone.localdate(row["validated"])
    return {target_id: list(items.values()) for target_id, items in result.items()}


def _report_series(targets: list[Target]) -> dict[int, list[tuple[int, Decimal]]]:
    """Per target and year, the sum of the validated reports' values of the indicators in the target's unit (one
    query)."""
    rows = (
        ReportIndicatorValue.objects.filter(
            consolidation.same_unit_q(targets, prefix="indicator__"),
            report__contract__in=consolidation.convention_ids(),
            report__status=ReportStatus.VALIDATED,
        )
        .values("indicator__national_target", "report__year")
        .annotate(total=Sum("value"))
        .order_by("report__year")
    )
    series: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for row in rows:
        series[row["indicator__national_target"]].append((row["report__year"], row["total"]))
    return series


def barometer(
    *, include_restricted: bool = False, today: date | None = None, targets=None, series: bool = False
) -> Barometer:
    """Every national target with its status. `include_restricted`: also read non-public indicators (the
    Pacte's steering). `targets`: a queryset narrowing national_targets(). `series`: also read the yearly
    sums of reports (for a trajectory chart). Ten queries (eleven with `series`), and one more when the target
    borne by the register of the territoires zéro non-recours is among them."""
    today = today or timezone.localdate()
    targets = list(national_targets() if targets is None else targets)
    ids = [target.pk for target in targets]
    contracts = consolidation.contracts_in_force()
    departements = departement_count()
    national = _national_series(ids, include_restricted)
    published = _published(ids)
    by_target = contributions(targets, contracts)
    filed = filed_reports()
    reports = _report_series(targets) if series else {}
    # The target the register of the territoires zéro non-recours bears reads its count (one more query).
    register = (
        tznr_queries.register_value() if any(t.code == tznr_queries.TARGET_CODE for t in targets) else None
    )
    rows = []
    for target in targets:
        baseline = baseline_of(target, published.get(target.pk, []))
        per_departement = target.scope == TargetScope.DEPARTEMENT
        rows.append(
            TargetProgress(
                target=target,
                baseline=baseline,
                target_value=rules.objective(
                    comparison=target.comparison,
                    target_value=target.target_value,
                    baseline=baseline,
                    departements=departements if per_departement else None,
                    new_things=counts_new_things(target),
                ),
                target_year=target.target_year,
                is_additive=is_additive(target),
                national=national.get(target.pk, []),
                contracts=ContractFigures(
                    by_target[target.pk],
                    consolidation.commitment_year(target),
                    filed=filed,
                    in_force=len(contracts),
                ),
                departements=departements,
                today=today,
                published=published.get(target.pk, []),
                report_series=reports.get(target.pk, []),
                register=register if target.code == tznr_queries.TARGET_CODE else None,
            ).judge()
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


def action_lines(target: Target, contracts: list[Contract], year: int | None = None) -> list[ActionLine]:
    """The fiche-actions of `contracts` (versions in force, carrying `convention_id`) with an indicator linked
    to `target`, their yearly targets and the values of the validated report of `year` of their convention
    (the latest validated report of each convention when `year` is None). A
    reported value is matched to the version in force by fiche-action number and indicator label, so that an
    avenant does not lose it. Three queries."""
    if not contracts:
        return []
    by_pk = {contract.pk: contract for contract in contracts}
    indicators = (
        ActionIndicator.objects.filter(action__contract__in=list(by_pk), national_target=target)
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
    for indicator_id, target_year, value in IndicatorYearTarget.objects.filter(
        indicator__in=list(by_pk_indicator)
    ).values_list("indicator", "year", "value"):
        by_pk_indicator[indicator_id].commitments[target_year] = value
    convention_of = {contract.convention_id: contract.pk for contract in contracts}
    realisations = (
        ReportIndicatorValue.objects.filter(
            report__contract__in=list(convention_of),
            report__status=ReportStatus.VALIDATED,
            indicator__national_target=target,
            report__year=year if year is not None else Subquery(_latest_validated_year()),
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
            item.realised = (item.realised or Decimal(0)) + row["total"]
    return list(lines.values())


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


def missing_reports(
    *, today: date | None = None, contracts: list[Contract] | None = None
) -> MissingReports | None:
    """The contracts whose last due execution report is missing (consolidation.reports_by_year); None before
    the first report is due. A year whose campaign national steering has not set has no due date: nothing is
    missing for it. Three queries (two when `contracts` is given)."""
    today = today or timezone.localdate()
    due = [
        row
        for row in consolidation.reports_by_year(None, today=today, contracts=contracts)
        if row.due_on is not None and today > row.due_on
    ]
    if not due:
        return None
    last = due[-1]
    return MissingReports(last.year, last.due_on, last.missing)
