"""Reads of the contracts shared by the pages, the exports and the API: the list of contracts with their
budgets, a version's fiches-actions and budget grid, the yearly budgets, the rows of the reports and credits
pages, the sections of an execution report.

Sums are made by the database (GROUP BY); turning them into amounts per funder and shares is the business of
`pacte.contracts.budgets`, so that every reader shows the same figures. Each function runs a fixed number of
queries whatever the number of contracts or actions.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from pacte import formatting
from pacte.accounts.scope import is_national, territory_q
from pacte.contracts import budgets, kinds, perms
from pacte.contracts.enums import PERIOD_START, SIGNED_STATUSES, YEARS, Envelope
from pacte.contracts.envelopes import NationalAmount, national_amount
from pacte.contracts.models import (
    Action,
    ActionIndicator,
    BudgetLine,
    Contract,
    Credit,
    CreditReallocation,
    ExecutionReport,
    LocalPact,
    NotifiedAllocation,
    ReportIndicatorValue,
)
from pacte.contracts.services.allocations import contract_ceilings
from pacte.contracts.services.credits import payment_allowed
from pacte.contracts.services.execution import first_report_year
from pacte.core.collation import french
from pacte.core.enums import ReportStatus
from pacte.programme.models import Measure
from pacte.territories.collectivites import is_signing_territory, signs_as_departement
from pacte.territories.enums import METROPOLE_TYPES, CollectiviteKind, Level, SignatoryFamily
from pacte.territories.models import Collectivite, Territory

ZERO = Decimal("0")

# --- The list of contracts ----------------------------------------------------------------------------------


def listed_contracts(user, filters: dict):
    """The contracts `user` may see, filtered (`region`, `status`, `signatory` — département-type or métropole —,
    `kind` of convention, `versions`), each with its `action_count`; by default only the most recent (visible,
    matching) version of each convention."""
    visible = perms.visible_contracts_q(user)
    contracts = Contract.objects.filter(visible)
    narrowing = Q()
    if "status" in filters:
        narrowing &= Q(status=filters["status"])
    if filters.get("versions") != "toutes":
        newer = Contract.objects.filter(
            visible,
            narrowing,
            root=OuterRef("convention"),
            amendment_number__gt=OuterRef("amendment_number"),
        )
        contracts = contracts.annotate(convention=Coalesce("root", "pk")).exclude(Exists(newer))
    contracts = contracts.filter(narrowing)
    if "region" in filters:
        contracts = contracts.filter(territory__region=filters["region"])
    if filters.get("signatory") == SignatoryFamily.METROPOLE:
        contracts = contracts.filter(collectivite__kind=CollectiviteKind.METROPOLE)
    elif filters.get("signatory") == SignatoryFamily.DEPARTEMENT:
        contracts = contracts.exclude(collectivite__kind=CollectiviteKind.METROPOLE)
    if "kind" in filters:
        contracts = contracts.filter(kind=filters["kind"])
    action_count = (
        Action.objects.filter(contract=OuterRef("pk"))
        .order_by()
        .values("contract")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        contracts.select_related("territory__region", "collectivite")
        .annotate(action_count=Coalesce(Subquery(action_count), Value(0)))
        .order_by(french("territory__name"), "kind", "amendment_number")
    )


def budgets_by_contract(contracts) -> defaultdict[int, budgets.Amounts]:
    """The budget of each contract version (2024-2027) by funder, in one query. `contracts`: ids, or a queryset
    of versions (then a subquery). A version without budget lines reads zeros."""
    found: defaultdict[int, budgets.Amounts] = defaultdict(budgets.Amounts)
    sums = (
        BudgetLine.objects.filter(action__contract__in=contracts)
        .values("action__contract", "funder")
        .annotate(amount=Sum("amount"))
        .order_by()
    )
    for row in sums:
        found[row["action__contract"]].add(row["funder"], row["amount"])
    return found


def with_budgets(contracts) -> list[Contract]:
    """`contracts` as a list, each carrying its `budget` (budgets.Amounts): one query for all of them."""
    contracts = list(contracts)
    amounts = budgets_by_contract([contract.pk for contract in contracts])
    for contract in contracts:
        contract.budget = amounts[contract.pk]
    return contracts


def creatable_territories(user, *, for_pact: bool = False) -> list[Territory]:
    """The territories a collectivité signs for (départements, métropoles, the main territory of a collectivité of
    a special status) for which `user` may create a convention (`perms.can_create_contract`) and that still lack
    one of the kinds their collectivité may sign (or, `for_pact`, a local pact)."""
    if not user.is_authenticated:
        return []
    candidates = (
        Territory.objects.active()
        .filter(territory_q(user))
        .filter(Q(level=Level.DEPARTEMENT) | Q(level=Level.EPCI, epci_type__in=METROPOLE_TYPES))
        .select_related("departement")
        .order_by(french("name"))
    )
    if for_pact:
        candidates = candidates.exclude(local_pacts__period_start=PERIOD_START)
        return [territory for territory in candidates if perms.can_create_contract(user, territory)]
    candidates = [territory for territory in candidates if is_signing_territory(territory)]
    existing: defaultdict[int, set[str]] = defaultdict(set)
    for territory_id, kind in Contract.objects.filter(
        territory__in=[territory.pk for territory in candidates], root__isnull=True
    ).values_list("territory", "kind"):
        existing[territory_id].add(kind)
    return [
        territory
        for territory in candidates
        if open_kinds(territory, existing[territory.pk]) and perms.can_create_contract(user, territory)
    ]


def open_kinds(territory: Territory, existing: set[str]) -> list[str]:
    """The kinds of convention still open to the collectivité of `territory`, given the kinds it already has: one
    convention per envelope (the single global convention holds both of a département's)."""
    family = SignatoryFamily.DEPARTEMENT if signs_as_departement(territory) else SignatoryFamily.METROPOLE
    taken = {envelope for kind in existing for envelope in kinds.envelopes_of(kind)}
    return [kind for kind in kinds.kinds_for(family) if not taken & set(kinds.envelopes_of(kind))]


def listed_pacts(user):
    """The local pacts `user` may see, with their number of priorities."""
    return (
        LocalPact.objects.filter(perms.visible_pacts_q(user))
        .select_related("territory__region")
        .annotate(priority_count=Count("priorities"))
        .order_by(french("territory__name"))
    )


# --- A contract version ----------------------------------------------------------------------------------------


def versions(user, contract: Contract):
    """The versions of `contract`'s convention that `user` may see, initial contract first."""
    root = contract.root_contract
    return (
        Contract.objects.filter(Q(pk=root.pk) | Q(root=root))
        .filter(perms.visible_contracts_q(user))
        .select_related("amends")
        .order_by("amendment_number")
    )


@dataclass
class ActionBudget:
    """A fiche-action and its budget 2024-2027 by funder; `envelope` the envelope it draws on (`kinds.envelope_of`)."""

    action: Action
    budget: budgets.Amounts
    envelope: str = ""

    @property
    def envelope_label(self) -> str:
        return Envelope(self.envelope).label if self.envelope else ""


@dataclass
class ContractBudget:
    """The fiches-actions of a version with their budgets, and the version's year × funder grid."""

    actions: list[ActionBudget]
    grid: budgets.BudgetGrid


def contract_budget(contract: Contract) -> ContractBudget:
    """What the contract page shows of the budget, in two queries."""
    actions = list(
        contract.actions.select_related("axis").prefetch_related("budget_lines").order_by("number")
    )
    lines = [line for action in actions for line in action.budget_lines.all()]
    return ContractBudget(
        [
            ActionBudget(
                action,
                budgets.Amounts.of(action.budget_lines.all()),
                kinds.envelope_of(contract.kind, action.axis.number),
            )
            for action in actions
        ],
        budgets.grid(lines, contract.years, every_party=False),
    )


def action_indicators(action: Action, years) -> list[tuple[ActionIndicator, list[Decimal | None]]]:
    """The indicators of a fiche-action, each with its target for each of `years` (None: no target)."""
    indicators = action.indicators.select_related("national_target").prefetch_related("year_targets")
    rows = []
    for indicator in indicators:
        targets = {target.year: target.value for target in indicator.year_targets.all()}
        rows.append((indicator, [targets.get(year) for year in years]))
    return rows


def realised_values(contract: Contract) -> tuple[dict, dict]:
    """Realised indicator values of the validated reports of a convention, {year: value} by indicator id
    and, for the values reported on another version (before an avenant), by (fiche-action title, indicator
    label)."""
    by_id: dict[int, dict[int, Decimal]] = defaultdict(dict)
    by_label: dict[tuple[str, str], dict[int, Decimal]] = defaultdict(dict)
    rows = ReportIndicatorValue.objects.filter(
        report__contract=contract.root_contract, report__status=ReportStatus.VALIDATED
    ).values_list("indicator_id", "indicator__action__title", "indicator__label", "report__year", "value")
    for indicator_id, title, label, year, value in rows:
        by_id[indicator_id][year] = value
        by_label[(title, label)][year] = value
    return by_id, by_label


def action_budget_grid(action: Action, years) -> budgets.BudgetGrid:
    """The year × funder grid of one fiche-action (each named co-funder apart)."""
    return budgets.grid(action.budget_lines.all(), years, every_party=False)


def year_budgets(contract: Contract) -> dict[int, budgets.Amounts]:
    """The budget of a version by year (each year of its period, zeros included) and funder, in one query."""
    sums = (
        BudgetLine.objects.filter(action__contract=contract)
        .values("year", "funder")
        .annotate(amount=Sum("amount"))
        .order_by()
    )
    return budgets.by_year(
        (budgets.Sum(row["funder"], row["amount"], row["year"]) for row in sums), contract.years
    )


def budget_lines(contract: Contract) -> list[BudgetLine]:
    """The budget lines of a version with their fiche-action and axis, in the order of the tables: action,
    year, then the funders' order."""
    lines = BudgetLine.objects.filter(action__contract=contract).select_related("action__axis")
    return sorted(
        lines,
        key=lambda line: (
            line.action.number,
            line.year,
            *budgets.funder_sort_key(line.funder, line.funder_name),
        ),
    )


def actions_for_documents(contract: Contract):
    """The fiches-actions of a version with everything the convention and the exports show (measures in the
    référentiel's order, indicators with their yearly targets and national target, budget lines)."""
    return contract.actions.select_related("axis").prefetch_related(
        Prefetch("measures", queryset=Measure.objects.order_by("order", "code")),
        "indicators__year_targets",
        "indicators__national_target",
        "budget_lines",
    )


# --- Execution reports -------------------------------------------------------------------------------------------


@dataclass
class IndicatorSlot:
    """An indicator of a fiche-action with its target and realised value for the report's year."""

    indicator: ActionIndicator
    target: Decimal | None
    value: Decimal | None
    field_name: str
    field: object = None  # the report form's bound field, when the report is being edited

    @property
    def rate(self) -> Decimal | None:
        """The realised value as a percentage of the year's target (to the unit)."""
        return formatting.share(self.value, self.target, 0)


@dataclass
class SpendingSlot:
    """A budget line of the report's year (one funder of one fiche-action) and what was spent on it."""

    action: Action
    funder: str
    funder_name: str
    label: str
    budgeted: Decimal
    spent: Decimal | None
    field_name: str
    field: object = None  # the report form's bound field, when the report is being edited

    @property
    def rate(self) -> Decimal | None:
        return formatting.share(self.spent, self.budgeted, 0)


@dataclass
class ActionSection:
    action: Action
    indicators: list[IndicatorSlot] = field(default_factory=list)
    spendings: list[SpendingSlot] = field(default_factory=list)


def report_sections(report: ExecutionReport) -> list[ActionSection]:
    """The fiches-actions of the reported version with, for the report's year, each indicator's target and
    realised value and each budget line with the amount spent (a constant number of queries)."""
    values = dict(report.indicator_values.values_list("indicator_id", "value"))
    spent = {
        (row.action_id, row.funder, row.funder_name): row.amount
        for row in report.spendings.only("action_id", "funder", "funder_name", "amount")
    }
    actions = (
        report.version.actions.select_related("axis")
        .prefetch_related("indicators__year_targets", "budget_lines")
        .order_by("number")
    )
    sections = []
    for action in actions:
        section = ActionSection(action)
        for indicator in action.indicators.all():
            targets = {target.year: target.value for target in indicator.year_targets.all()}
            section.indicators.append(
                IndicatorSlot(
                    indicator=indicator,
                    target=targets.get(report.year),
                    value=values.get(indicator.pk),
                    field_name=f"value_{indicator.pk}",
                )
            )
        for line in action.budget_lines.all():
            if line.year != report.year:
                continue
            section.spendings.append(
                SpendingSlot(
                    action=action,
                    funder=line.funder,
                    funder_name=line.funder_name,
                    label=line.funder_label,
                    budgeted=line.amount,
                    spent=spent.get((action.pk, line.funder, line.funder_name)),
                    field_name=f"spent_{action.pk}_{line.pk}",
                )
            )
        sections.append(section)
    return sections


# --- State credits and reallocations -------------------------------------------------------------------------


@dataclass
class CreditRow:
    year: int
    base_ceiling: Decimal | None  # the notified ceiling of the year (None: not notified)
    moved_in: Decimal
    moved_out: Decimal
    ceiling: Decimal
    credit: Credit | None
    previous_year: int | None
    previous_report: ExecutionReport | None
    payment_allowed: bool

    @property
    def committed(self) -> Decimal:
        return self.credit.committed if self.credit else ZERO

    @property
    def uncommitted(self) -> Decimal:
        return self.ceiling - self.committed

    @property
    def payment_condition(self) -> str:
        """The state of the previous year's report, which a payment of this year needs validated."""
        if self.previous_year is None:
            return "Sans condition (première année)"
        if self.previous_report is None:
            return f"Rapport {self.previous_year} non ouvert"
        return f"Rapport {self.previous_year} : {self.previous_report.get_status_display().lower()}"


def _sums_by_year(queryset) -> dict[int, Decimal]:
    return dict(queryset.order_by().values("year").annotate(total=Sum("amount")).values_list("year", "total"))


def _notified(ceilings: dict, root: Contract, year: int) -> Decimal | None:
    found = [
        ceilings[(envelope, year)]
        for envelope in kinds.envelopes_of(root.kind)
        if (envelope, year) in ceilings
    ]
    return sum(found, ZERO) if found else None


def credit_rows(root: Contract) -> list[CreditRow]:
    """One row per year of the convention: ceilings (reallocations included), credits recorded, and whether a
    payment is allowed (`services.payment_allowed`)."""
    credits = {credit.year: credit for credit in root.credits.all()}
    reports = {report.year: report for report in root.reports.all()}
    moved_in, moved_out = _sums_by_year(root.reallocations_in), _sums_by_year(root.reallocations_out)
    ceilings = contract_ceilings(root)
    first_year = first_report_year(root) or root.period_start
    rows = []
    for year in root.years:
        previous = year - 1 if year > first_year else None
        previous_report = reports.get(previous) if previous else None
        rows.append(
            CreditRow(
                year=year,
                base_ceiling=_notified(ceilings, root, year),
                moved_in=moved_in.get(year, ZERO),
                moved_out=moved_out.get(year, ZERO),
                ceiling=(_notified(ceilings, root, year) or ZERO)
                + moved_in.get(year, ZERO)
                - moved_out.get(year, ZERO),
                credit=credits.get(year),
                previous_year=previous,
                previous_report=previous_report,
                payment_allowed=payment_allowed(root, year, previous_report),
            )
        )
    return rows


def reallocations(scope: Q):
    """The credit reallocations within `scope` (`perms.visible_reallocations_q`), most recent first."""
    return CreditReallocation.objects.filter(scope).select_related(
        "from_contract__territory__region", "to_contract__territory", "decided_by"
    )


def reallocatable_contracts(user):
    """Signed conventions (root contracts) of the user's scope."""
    contracts = Contract.objects.filter(root__isnull=True, status__in=SIGNED_STATUSES).select_related(
        "territory", "collectivite"
    )
    if not is_national(user):
        contracts = contracts.filter(territory_q(user, "territory__"))
    return contracts.order_by(french("territory__name"), "kind")


# --- Notified ceilings --------------------------------------------------------------------------------------------


@dataclass
class AllocationRow:
    """One collectivité and envelope: the allocation notified for each year (None: not notified)."""

    collectivite: Collectivite
    envelope: str
    years: dict[int, NotifiedAllocation | None]

    @property
    def envelope_label(self) -> str:
        return Envelope(self.envelope).label

    @property
    def cells(self) -> list[NotifiedAllocation | None]:
        return list(self.years.values())

    @property
    def total(self) -> Decimal:
        return sum((row.amount for row in self.years.values() if row is not None), ZERO)


@dataclass
class AllocationTotal:
    """One envelope over the rows shown: the sum notified each year and the national amount (None: not published)."""

    envelope: str
    notified: list[Decimal]
    national: list[NationalAmount]

    @property
    def label(self) -> str:
        return Envelope(self.envelope).label

    @property
    def cells(self) -> list[tuple[Decimal, NationalAmount]]:
        return list(zip(self.notified, self.national, strict=True))


def allocation_rows(region: Territory | None = None, envelope: str | None = None) -> list[AllocationRow]:
    """The notified allocations of the collectivités of `region` (None: France), one row per collectivité and
    envelope, with the collectivités that have a convention but nothing notified yet for its envelopes. Two
    queries."""
    allocations = NotifiedAllocation.objects.select_related("collectivite__main_territory", "notified_by")
    contracts = Contract.objects.filter(root__isnull=True, collectivite__isnull=False).select_related(
        "collectivite__main_territory"
    )
    if region is not None:
        allocations = allocations.filter(region.within_q("collectivite__main_territory__"))
        contracts = contracts.filter(region.within_q("collectivite__main_territory__"))
    if envelope:
        allocations = allocations.filter(envelope=envelope)
    rows: dict[tuple[int, str], AllocationRow] = {}

    def row_for(collectivite: Collectivite, name: str) -> AllocationRow:
        key = (collectivite.pk, name)
        if key not in rows:
            rows[key] = AllocationRow(collectivite, name, {year: None for year in YEARS})
        return rows[key]

    for allocation in allocations:
        row_for(allocation.collectivite, allocation.envelope).years[allocation.year] = allocation
    for contract in contracts:
        for name in kinds.envelopes_of(contract.kind):
            if not envelope or name == envelope:
                row_for(contract.collectivite, name)
    order = {name: rank for rank, name in enumerate(Envelope.values)}
    return sorted(
        rows.values(),
        key=lambda row: (row.collectivite.main_territory.code, row.collectivite.name, order[row.envelope]),
    )


def allocation_totals(rows: list[AllocationRow]) -> list[AllocationTotal]:
    """The sum of `rows` per envelope and year, beside the national amount of the envelope (no query)."""
    totals = []
    for envelope in Envelope:
        mine = [row for row in rows if row.envelope == envelope]
        if not mine:
            continue
        notified = [
            sum((row.years[year].amount for row in mine if row.years[year] is not None), ZERO)
            for year in YEARS
        ]
        totals.append(
            AllocationTotal(
                envelope.value, notified, [national_amount(envelope.value, year) for year in YEARS]
            )
        )
    return totals
