"""Consolidated figures of the contrats locaux des solidarités, for the whole of France or one région.

Only the version in force of each convention counts: its latest signed version (status "signé").
Superseded versions and versions still in negotiation never enter a figure. State credits and execution
reports belong to the convention (its root contract), so they are reached through the root of each
version in force.

Rules of counting:
- each territory with a convention (a département or a métropole) is one row; a métropole's budget is
  its own and is never added to the row of the département it lies in, and every total adds each budget
  line exactly once (a métropole is not counted again through its département);
- an action has one axis, so the axis table adds up to the total budget; an action may serve several
  measures, and its whole amount is then shown under each of them: the measure table has no total row,
  since adding its rows would count such actions several times; actions serving no measure have their
  own row;
- spending "reported" is the spending of filed reports (deposited or validated); a report sent back for
  corrections, or still a draft, does not count until it is filed again;
- a report is on time when filed by its due date, late when filed after it, missing when its due date has
  passed and nothing is filed, pending before its due date (`ExecutionReport.is_late`);
- territorial commitments towards a national target add the yearly targets of the indicators linked to
  it, for the target's year (or the last year of the contracts when the national target is dated outside
  2024-2027 or not dated); realisations add the values of the latest validated report of each convention.

Every function runs a fixed number of queries whatever the number of contracts and actions: sums are
computed by the database (GROUP BY) and the few lists needed come in one query each.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import models
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from pacte import formatting
from pacte.contracts import budgets, kinds, queries
from pacte.contracts.budgets import Amounts
from pacte.contracts.enums import PERIOD_END, PERIOD_START, YEARS, ContractStatus, Envelope, IndicatorUnit
from pacte.contracts.envelopes import NationalAmount, national_amount
from pacte.contracts.models import (
    Action,
    ActionIndicator,
    BudgetLine,
    Contract,
    Credit,
    ExecutionReport,
    IndicatorYearTarget,
    NotifiedAllocation,
    ReportIndicatorValue,
    ReportSpending,
)
from pacte.contracts.services.actions import unit_problem
from pacte.contracts.services.execution import campaign_due_dates
from pacte.core.collation import french, french_key
from pacte.core.enums import ReportStatus
from pacte.programme.enums import TargetScope
from pacte.programme.models import Axis, Measure, Target
from pacte.territories.enums import CollectiviteKind, Level, SignatoryFamily
from pacte.territories.models import Territory

ZERO = Decimal("0")
FILED_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.VALIDATED)
# The measures a convention may serve: flagged contractable for at least one part of the contracts.
CONTRACTABLE_Q = (
    Q(contractable_departement=True) | Q(contractable_france_travail=True) | Q(contractable_metropole=True)
)


def _by_year() -> dict[int, Amounts]:
    return {year: Amounts() for year in YEARS}


# --- Scope and versions in force -----------------------------------------------------------------------


def check_scope(scope: Territory | None) -> None:
    if scope is not None and scope.level not in (Level.REGION, Level.COM):
        raise ValueError(f"Le périmètre d'une consolidation est la France ou une région, pas {scope}.")


def scope_label(scope: Territory | None) -> str:
    return "France" if scope is None else scope.name


def current_versions(scope: Territory | None = None) -> QuerySet:
    """The version in force of each convention of `scope` (None: France; or a région): its latest signed
    version. A lazy queryset, used as a subquery by the other functions."""
    check_scope(scope)
    newer = Contract.objects.filter(
        status=ContractStatus.SIGNED, amendment_number__gt=OuterRef("amendment_number")
    ).filter(Q(root=OuterRef("root")) | Q(root=OuterRef("pk")))
    versions = Contract.objects.filter(status=ContractStatus.SIGNED).exclude(Exists(newer))
    if scope is not None:
        versions = versions.filter(scope.within_q("territory__"))
    return versions


def _with_convention(versions: QuerySet) -> QuerySet:
    return versions.annotate(convention_id=Coalesce("root", "pk", output_field=models.BigIntegerField()))


def convention_ids(scope: Territory | None = None) -> QuerySet:
    """The root contracts (conventions) of the versions in force, as a subquery of ids."""
    return _with_convention(current_versions(scope)).values("convention_id")


def contracts_in_force(scope: Territory | None = None) -> list[Contract]:
    """The versions in force with their territory and région, ordered by région then territory
    (départements before métropoles). Each carries `convention_id`, the pk of its root contract."""
    return list(
        _with_convention(current_versions(scope))
        .annotate(first_signed_on=Coalesce("root__signed_on", "signed_on"))
        .select_related("territory__region", "collectivite")
        .order_by(french("territory__region__name"), "territory__level", "territory__code", "kind")
    )


# --- Budgets ---------------------------------------------------------------------------------------------


@dataclass
class AxisBudget:
    axis: Axis
    years: dict[int, Amounts]

    @property
    def total(self) -> Amounts:
        return budgets.total(self.years.values())


@dataclass
class AxisBudgetTable:
    rows: list[AxisBudget]

    @property
    def years(self) -> dict[int, Amounts]:
        return {year: budgets.total(row.years[year] for row in self.rows) for year in YEARS}

    @property
    def total(self) -> Amounts:
        return budgets.total(row.total for row in self.rows)


def budget_by_axis(scope: Territory | None = None) -> AxisBudgetTable:
    """Budget of the versions in force per axis, year and funder (every axis of the référentiel appears)."""
    sums = (
        BudgetLine.objects.filter(action__contract__in=current_versions(scope))
        .values("action__axis", "year", "funder")
        .annotate(amount=Sum("amount"))
        .order_by()
    )
    rows = {axis.pk: AxisBudget(axis, _by_year()) for axis in Axis.objects.order_by("number")}
    for row in sums:
        rows[row["action__axis"]].years[row["year"]].add(row["funder"], row["amount"])
    return AxisBudgetTable(list(rows.values()))


@dataclass
class MeasureBudget:
    """Budget of the actions serving a measure (`measure` None: actions serving none). An action serving
    several measures is counted in full under each of them."""

    measure: Measure | None
    years: dict[int, Amounts]
    actions: int = 0
    contracts: int = 0

    @property
    def total(self) -> Amounts:
        return budgets.total(self.years.values())


def budget_by_measure(scope: Territory | None = None) -> list[MeasureBudget]:
    """Budget per measure and year, with the number of actions and contracts serving it. Lists every
    contractable measure and every measure served by an action; no total (see the module docstring)."""
    versions = current_versions(scope)
    sums = (
        BudgetLine.objects.filter(action__contract__in=versions)
        .values("action__measures", "year", "funder")
        .annotate(amount=Sum("amount"))
        .order_by()
    )
    counts = (
        Action.objects.filter(contract__in=versions)
        .values("measures")
        .annotate(actions=Count("pk", distinct=True), contracts=Count("contract", distinct=True))
        .order_by()
    )
    measures = Measure.objects.select_related("axis").order_by("axis__number", "order", "code")
    rows: dict[int | None, MeasureBudget] = {
        measure.pk: MeasureBudget(measure, _by_year()) for measure in measures
    }
    rows[None] = MeasureBudget(None, _by_year())
    for row in sums:
        rows[row["action__measures"]].years[row["year"]].add(row["funder"], row["amount"])
    for row in counts:
        rows[row["measures"]].actions, rows[row["measures"]].contracts = row["actions"], row["contracts"]
    return [
        row
        for row in rows.values()
        if row.actions or (row.measure is not None and row.measure.is_contractable)
    ]


# --- Envelopes -------------------------------------------------------------------------------------------


@dataclass
class EnvelopeYear:
    """One envelope and year: the budget of the actions drawing on it (State, collectivité, partners apart), the
    ceilings notified to the collectivités of the scope, and the national amount (None: « non publié »)."""

    year: int
    budget: Amounts
    notified: Decimal | None
    national: NationalAmount

    @property
    def state_share_of_national(self) -> Decimal | None:
        return formatting.share(self.budget.state, self.national.amount)

    @property
    def notified_share_of_national(self) -> Decimal | None:
        return formatting.share(self.notified, self.national.amount)


@dataclass
class EnvelopeTable:
    envelope: str
    years: list[EnvelopeYear]

    @property
    def label(self) -> str:
        return Envelope(self.envelope).label

    @property
    def total(self) -> Amounts:
        return budgets.total(row.budget for row in self.years)

    @property
    def notified(self) -> Decimal | None:
        found = [row.notified for row in self.years if row.notified is not None]
        return sum(found, ZERO) if found else None

    @property
    def source(self) -> str:
        return self.years[0].national.source if self.years else ""


def budget_by_envelope(scope: Territory | None = None) -> list[EnvelopeTable]:
    """The solidarités, France Travail and métropoles envelopes kept apart: per year, the budget of the actions of
    the versions in force that draw on each (`kinds.envelope_of`: the contract's kind and the action's axis), the
    sum of the ceilings notified to the collectivités of the scope, and the published national amount. Two
    queries."""
    amounts = {(envelope, year): Amounts() for envelope in Envelope for year in YEARS}
    sums = (
        BudgetLine.objects.filter(action__contract__in=current_versions(scope))
        .values("action__contract__kind", "action__axis__number", "year", "funder")
        .annotate(amount=Sum("amount"))
        .order_by()
    )
    for row in sums:
        envelope = kinds.envelope_of(row["action__contract__kind"], row["action__axis__number"])
        amounts[(envelope, row["year"])].add(row["funder"], row["amount"])
    allocations = NotifiedAllocation.objects.all()
    if scope is not None:
        allocations = allocations.filter(scope.within_q("collectivite__main_territory__"))
    notified = {
        (row["envelope"], row["year"]): row["total"]
        for row in allocations.values("envelope", "year").annotate(total=Sum("amount")).order_by()
    }
    return [
        EnvelopeTable(
            envelope.value,
            [
                EnvelopeYear(
                    year,
                    amounts[(envelope, year)],
                    notified.get((envelope.value, year)),
                    national_amount(envelope.value, year),
                )
                for year in YEARS
            ],
        )
        for envelope in Envelope
    ]


# --- One row per convention --------------------------------------------------------------------------


@dataclass
class ContractRow:
    contract: Contract
    actions: int = 0
    budget: Amounts = field(default_factory=Amounts)
    notified: Decimal = ZERO
    committed: Decimal = ZERO
    paid: Decimal = ZERO
    spent: Decimal = ZERO
    reports_filed: int = 0

    @property
    def territory(self) -> Territory:
        return self.contract.territory

    @property
    def paid_rate(self) -> Decimal | None:
        return formatting.share(self.paid, self.notified)


def _is_metropole(contract: Contract) -> bool:
    if contract.collectivite_id:
        return contract.collectivite.family == SignatoryFamily.METROPOLE
    return contract.territory.is_metropole


def _signatory_key(contract: Contract) -> tuple[str, int]:
    return (
        ("collectivite", contract.collectivite_id)
        if contract.collectivite_id
        else ("territory", contract.territory_id)
    )


@dataclass
class ContractTable:
    rows: list[ContractRow]

    @property
    def budget(self) -> Amounts:
        return budgets.total(row.budget for row in self.rows)

    @property
    def actions(self) -> int:
        return sum(row.actions for row in self.rows)

    @property
    def notified(self) -> Decimal:
        return sum((row.notified for row in self.rows), ZERO)

    @property
    def committed(self) -> Decimal:
        return sum((row.committed for row in self.rows), ZERO)

    @property
    def paid(self) -> Decimal:
        return sum((row.paid for row in self.rows), ZERO)

    @property
    def spent(self) -> Decimal:
        return sum((row.spent for row in self.rows), ZERO)

    @property
    def paid_rate(self) -> Decimal | None:
        return formatting.share(self.paid, self.notified)

    @property
    def departements(self) -> int:
        """The collectivités with a département's social powers (Lyon, Paris, Corse… included), each counted
        once whatever its number of conventions (a solidarités contract and a France Travail convention)."""
        return len({_signatory_key(row.contract) for row in self.rows if not _is_metropole(row.contract)})

    @property
    def metropoles(self) -> int:
        return len({_signatory_key(row.contract) for row in self.rows if _is_metropole(row.contract)})

    @property
    def has_demo(self) -> bool:
        return any(row.contract.is_demo for row in self.rows)


def contract_rows(scope: Territory | None = None, contracts: list[Contract] | None = None) -> ContractTable:
    """One row per version in force: its actions, budget per funder (2024-2027), State credits of all
    years (notified, committed, paid), spending of its filed reports. `contracts` reuses the list of
    `contracts_in_force(scope)` when the caller already has it."""
    contracts = contracts_in_force(scope) if contracts is None else contracts
    versions, conventions = current_versions(scope), convention_ids(scope)
    rows = {contract.pk: ContractRow(contract) for contract in contracts}
    by_convention = {contract.convention_id: rows[contract.pk] for contract in contracts}
    for contract_id, amounts in queries.budgets_by_contract(versions).items():
        rows[contract_id].budget = amounts
    actions = (
        Action.objects.filter(contract__in=versions).values("contract").annotate(n=Count("pk")).order_by()
    )
    for row in actions:
        rows[row["contract"]].actions = row["n"]
    credits = (
        Credit.objects.filter(contract__in=conventions)
        .values("contract")
        .annotate(notified=Sum("notified"), committed=Sum("committed"), paid=Sum("paid"))
        .order_by()
    )
    for row in credits:
        target = by_convention[row["contract"]]
        target.notified, target.committed, target.paid = row["notified"], row["committed"], row["paid"]
    spent = (
        ReportSpending.objects.filter(report__contract__in=conventions, report__status__in=FILED_STATUSES)
        .values("report__contract")
        .annotate(amount=Sum("amount"))
        .order_by()
    )
    for row in spent:
        by_convention[row["report__contract"]].spent = row["amount"]
    filed = (
        ExecutionReport.objects.filter(contract__in=conventions, status__in=FILED_STATUSES)
        .values("contract")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in filed:
        by_convention[row["contract"]].reports_filed = row["n"]
    return ContractTable(list(rows.values()))


@dataclass
class RegionRow:
    region: Territory
    rows: list[ContractRow]

    @property
    def table(self) -> ContractTable:
        return ContractTable(self.rows)


def region_rows(table: ContractTable) -> list[RegionRow]:
    """The rows of a national contract table grouped by région (no query)."""
    groups: dict[int, RegionRow] = {}
    for row in table.rows:
        region = row.territory.region
        if region is None:
            continue
        groups.setdefault(region.pk, RegionRow(region, [])).rows.append(row)
    return sorted(groups.values(), key=lambda group: french_key(group.region.name))


# --- Execution per year -----------------------------------------------------------------------------------


@dataclass
class ExecutionYear:
    year: int
    budget: Amounts = field(default_factory=Amounts)
    notified: Decimal = ZERO
    committed: Decimal = ZERO
    paid: Decimal = ZERO
    spent: Amounts = field(default_factory=Amounts)

    @property
    def paid_rate(self) -> Decimal | None:
        """State credits paid / notified."""
        return formatting.share(self.paid, self.notified)

    @property
    def spending_rate(self) -> Decimal | None:
        """Spending reported (all funders) / budget of the year."""
        return formatting.share(self.spent.total, self.budget.total)

    @property
    def state_spending_rate(self) -> Decimal | None:
        return formatting.share(self.spent.state, self.budget.state)


def execution_by_year(scope: Territory | None = None) -> list[ExecutionYear]:
    """Per year: budget per funder, State credits notified / committed / paid, spending of filed reports."""
    conventions = convention_ids(scope)
    years = {year: ExecutionYear(year) for year in YEARS}
    budget = (
        BudgetLine.objects.filter(action__contract__in=current_versions(scope))
        .values("year", "funder")
        .annotate(amount=Sum("amount"))
        .order_by()
    )
    for row in budget:
        years[row["year"]].budget.add(row["funder"], row["amount"])
    credits = (
        Credit.objects.filter(contract__in=conventions)
        .values("year")
        .annotate(notified=Sum("notified"), committed=Sum("committed"), paid=Sum("paid"))
        .order_by()
    )
    for row in credits:
        year = years[row["year"]]
        year.notified, year.committed, year.paid = row["notified"], row["committed"], row["paid"]
    spent = (
        ReportSpending.objects.filter(report__contract__in=conventions, report__status__in=FILED_STATUSES)
        .values("report__year", "funder")
        .annotate(amount=Sum("amount"))
        .order_by()
    )
    for row in spent:
        years[row["report__year"]].spent.add(row["funder"], row["amount"])
    return list(years.values())


# --- Reports on time, late, missing ---------------------------------------------------------------------


@dataclass
class ReportYear:
    year: int
    due_on: date | None  # the campaign's due date; None while national steering has not set it
    on_time: list[Contract] = field(default_factory=list)
    late: list[Contract] = field(default_factory=list)
    missing: list[Contract] = field(default_factory=list)
    pending: list[Contract] = field(default_factory=list)

    @property
    def expected(self) -> int:
        return len(self.on_time) + len(self.late) + len(self.missing) + len(self.pending)


def reports_by_year(
    scope: Territory | None = None, *, today: date | None = None, contracts: list[Contract] | None = None
) -> list[ReportYear]:
    """For each year, which conventions filed their report on time, late, not at all although due
    (missing), or not yet while it is not due (pending). The lists hold the versions in force. A year's due date
    is the one national steering set for its campaign (`services.execution.campaign_due_dates`; without one, a
    report is never late nor missing); a convention reports from the year of its signature to the end of its
    period (`services.execution.reported_years`)."""
    today = today or timezone.localdate()
    contracts = contracts_in_force(scope) if contracts is None else contracts
    by_convention = {contract.convention_id: contract for contract in contracts}
    reports = {
        (contract_id, year): (submitted_at, due_on)
        for contract_id, year, submitted_at, due_on in ExecutionReport.objects.filter(
            contract__in=convention_ids(scope)
        ).values_list("contract", "year", "submitted_at", "due_on")
    }
    campaigns = campaign_due_dates()
    result = []
    for year in YEARS:
        summary = ReportYear(year, campaigns.get(year))
        for convention_id, contract in by_convention.items():
            if year not in _reported_years(contract):
                continue
            submitted_at, due_on = reports.get((convention_id, year), (None, summary.due_on))
            due_on = due_on or summary.due_on
            if submitted_at is not None:
                late = due_on is not None and timezone.localdate(submitted_at) > due_on
                (summary.late if late else summary.on_time).append(contract)
            elif due_on is not None and today > due_on:
                summary.missing.append(contract)
            else:
                summary.pending.append(contract)
        result.append(summary)
    return result


def _reported_years(contract: Contract) -> range:
    """The years the convention of a version in force reports on (`services.execution.reported_years`, read from
    the annotation of `contracts_in_force`: the signature date of its initial contract)."""
    signed_on = getattr(contract, "first_signed_on", None) or contract.signed_on
    if signed_on is None:
        return range(0)
    first = min(max(signed_on.year, contract.period_start), contract.period_end)
    return range(first, contract.period_end + 1)


# --- National targets -------------------------------------------------------------------------------------


@dataclass
class TargetRow:
    target: Target
    year: int
    committed: Decimal | None = None
    contracts: int = 0
    departements: int = 0
    # The validated reports' values, one report year at a time: {year: (sum, contracts reporting)}. Flows of
    # different years are never added together (the contracts report at different paces).
    realised_by_year: dict[int, tuple[Decimal, int]] = field(default_factory=dict)

    @property
    def realised_year(self) -> int | None:
        """The latest report year with a validated value."""
        return max(self.realised_by_year, default=None)

    @property
    def realised(self) -> Decimal | None:
        """The sum of the latest report year (`realised_year`)."""
        year = self.realised_year
        return None if year is None else self.realised_by_year[year][0]

    @property
    def realising_contracts(self) -> int:
        year = self.realised_year
        return 0 if year is None else self.realised_by_year[year][1]

    @property
    def is_per_departement(self) -> bool:
        return self.target.scope == TargetScope.DEPARTEMENT

    @property
    def reference_value(self) -> Decimal | None:
        """The national value; for a target set per département, that value times the départements with a
        convention in the scope."""
        value = self.target.target_value
        if value is None or not self.is_per_departement:
            return value
        return value * self.departements

    @property
    def is_additive(self) -> bool:
        """Counts (places, people, structures…) add up across territories; percentages, ratios, ages and
        unit prices do not."""
        unit = self.target.unit.strip().lower()
        return not (unit in ("%", "ans") or unit.startswith(("coefficient", "€ par", "heure")))

    @property
    def committed_rate(self) -> Decimal | None:
        return formatting.share(self.committed, self.reference_value) if self.is_additive else None

    @property
    def realised_rate(self) -> Decimal | None:
        return formatting.share(self.realised, self.reference_value) if self.is_additive else None


def commitment_year(target: Target) -> int:
    """The year whose territorial targets meet a national target: its own year within 2024-2027, else 2027."""
    year = target.target_year
    return year if year is not None and PERIOD_START <= year <= PERIOD_END else PERIOD_END


def same_unit_q(targets: list[Target], prefix: str = "") -> Q:
    """The indicators linked to one of `targets` in the unit that adds up to it (`services.actions.unit_problem`):
    a link in another unit, kept from before the rule, is listed on the compliance page and never summed.
    `prefix` reaches the indicator from another model ("indicator__" for a yearly target or a reported value); the
    barometer sums the same links."""
    found = Q(**{f"{prefix}pk__in": []})
    for target in targets:
        units = [unit for unit in IndicatorUnit.values if unit_problem(unit, target) is None]
        if units:
            found |= Q(**{f"{prefix}national_target": target.pk, f"{prefix}unit__in": units})
    return found


def target_cascade(scope: Territory | None = None) -> list[TargetRow]:
    """For each national target (kind "cible", not a territory's own figure): the territorial commitments
    of the indicators linked to it, the validated realisations one report year at a time, and how many contracts
    contribute.
    A target set per département ("une maison des parents par département") is compared with its value
    times the départements of the scope."""
    versions, conventions = current_versions(scope), convention_ids(scope)
    targets = list(Target.objects.national_targets().select_related("measure__axis"))
    departements = (
        versions.exclude(collectivite__kind=CollectiviteKind.METROPOLE)
        .exclude(collectivite__isnull=True, territory__level=Level.EPCI)
        .values("collectivite")
        .distinct()
        .count()
    )
    rows = {
        target.pk: TargetRow(target, commitment_year(target), departements=departements) for target in targets
    }
    linked = ActionIndicator.objects.filter(action__contract__in=versions).filter(same_unit_q(targets))
    for row in (
        linked.values("national_target").annotate(n=Count("action__contract", distinct=True)).order_by()
    ):
        rows[row["national_target"]].contracts = row["n"]
    own_year = Q(year=models.F("indicator__national_target__target_year"))
    undated = (
        Q(indicator__national_target__target_year__isnull=True)
        | Q(indicator__national_target__target_year__lt=PERIOD_START)
        | Q(indicator__national_target__target_year__gt=PERIOD_END)
    )
    commitments = (
        IndicatorYearTarget.objects.filter(indicator__in=linked)
        .filter(own_year | (undated & Q(year=PERIOD_END)))
        .values("indicator__national_target")
        .annotate(total=Sum("value"))
        .order_by()
    )
    for row in commitments:
        rows[row["indicator__national_target"]].committed = row["total"]
    realisations = (
        # Any version's indicator: a report validated on a version since replaced by an avenant still counts.
        ReportIndicatorValue.objects.filter(
            same_unit_q(targets, prefix="indicator__"),
            report__contract__in=conventions,
            report__status=ReportStatus.VALIDATED,
        )
        .values("indicator__national_target", "report__year")
        .annotate(total=Sum("value"), n=Count("report__contract", distinct=True))
        .order_by("report__year")
    )
    for row in realisations:
        rows[row["indicator__national_target"]].realised_by_year[row["report__year"]] = (
            row["total"],
            row["n"],
        )
    return list(rows.values())


# --- Measures without action --------------------------------------------------------------------------


@dataclass
class MeasureGap:
    measure: Measure
    missing: list[Contract]
    served: int


def measures_without_action(
    scope: Territory | None = None, contracts: list[Contract] | None = None
) -> list[MeasureGap]:
    """For each contractable measure of the référentiel (`Measure.contractable_*`), the conventions in force
    whose kind may serve it (`kinds.measure_allowed`) and of which no action serves it. National measures (Pass
    colos, MALIN, chèque énergie…) and reforms are never « missing » from a convention."""
    contracts = contracts_in_force(scope) if contracts is None else contracts
    served: dict[int, set[int]] = defaultdict(set)
    pairs = (
        Action.measures.through.objects.filter(action__contract__in=current_versions(scope))
        .values_list("measure", "action__contract")
        .distinct()
    )
    for measure_id, contract_id in pairs:
        served[measure_id].add(contract_id)
    measures = Measure.objects.filter(CONTRACTABLE_Q).select_related("axis")
    gaps = []
    for measure in measures.order_by("axis__number", "order", "code"):
        concerned = [contract for contract in contracts if kinds.measure_allowed(contract.kind, measure)]
        gaps.append(
            MeasureGap(
                measure,
                [contract for contract in concerned if contract.pk not in served[measure.pk]],
                len(served[measure.pk]),
            )
        )
    return gaps


# --- Everything at once -------------------------------------------------------------------------------


@dataclass
class Consolidation:
    scope: Territory | None
    today: date
    contracts: ContractTable
    envelopes: list[EnvelopeTable]
    axes: AxisBudgetTable
    measures: list[MeasureBudget]
    execution: list[ExecutionYear]
    reports: list[ReportYear]
    targets: list[TargetRow]
    gaps: list[MeasureGap]

    @property
    def label(self) -> str:
        return scope_label(self.scope)

    @property
    def regions(self) -> list[RegionRow]:
        return region_rows(self.contracts) if self.scope is None else []


def consolidate(scope: Territory | None = None, *, today: date | None = None) -> Consolidation:
    """Every table of the consolidation of `scope`, in a fixed number of queries."""
    today = today or timezone.localdate()
    contracts = contracts_in_force(scope)
    return Consolidation(
        scope=scope,
        today=today,
        contracts=contract_rows(scope, contracts),
        envelopes=budget_by_envelope(scope),
        axes=budget_by_axis(scope),
        measures=budget_by_measure(scope),
        execution=execution_by_year(scope),
        reports=reports_by_year(scope, today=today, contracts=contracts),
        targets=target_cascade(scope),
        gaps=measures_without_action(scope, contracts),
    )
