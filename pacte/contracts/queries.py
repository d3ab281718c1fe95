"""Reads of the contracts shared by the pages, the exports and the API: the list of contracts with their
budgets, a version's fiches-actions and budget grid, the yearly budgets, the rows of the reports and credits
pages, the sections of an execution report.

Sums are made by the database (GROUP BY); turning them into amounts per funder and shares is the business of
`pacte.contracts.budgets`, so that every reader shows the same figures. Each function runs a fixed number of
queries whatever the number of contracts or actions.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from pacte import formatting
from pacte.accounts.scope import is_national, territory_q
from pacte.contracts import budgets, perms
from pacte.contracts.enums import PERIOD_START, SIGNED_STATUSES, report_due_date
from pacte.contracts.models import (
    Action,
    ActionIndicator,
    BudgetLine,
    Contract,
    Credit,
    CreditReallocation,
    ExecutionReport,
    LocalPact,
    ReportIndicatorValue,
)
from pacte.contracts.services.common import current_version
from pacte.contracts.services.credits import effective_ceiling, payment_allowed
from pacte.core.enums import ReportStatus
from pacte.programme.models import Measure
from pacte.territories.enums import METROPOLE_TYPES, Level
from pacte.territories.models import Territory

ZERO = Decimal("0")

# --- The list of contracts ----------------------------------------------------------------------------------


def listed_contracts(user, filters: dict):
    """The contracts `user` may see, filtered (`region`, `status`, `kind`, `versions`), each with its
    `action_count`; by default only the most recent (visible, matching) version of each convention."""
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
    if filters.get("kind") == "departement":
        contracts = contracts.filter(territory__level=Level.DEPARTEMENT)
    elif filters.get("kind") == "metropole":
        contracts = contracts.filter(territory__level=Level.EPCI, territory__epci_type__in=METROPOLE_TYPES)
    action_count = (
        Action.objects.filter(contract=OuterRef("pk"))
        .order_by()
        .values("contract")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        contracts.select_related("territory__region")
        .annotate(action_count=Coalesce(Subquery(action_count), Value(0)))
        .order_by("territory__name", "amendment_number")
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
    """The départements and métropoles without a contract (or, `for_pact`, without a local pact) yet for which
    `user` may create one (`perms.can_create_contract`)."""
    if not user.is_authenticated:
        return []
    candidates = (
        Territory.objects.active()
        .filter(territory_q(user))
        .filter(Q(level=Level.DEPARTEMENT) | Q(level=Level.EPCI, epci_type__in=METROPOLE_TYPES))
        .select_related("departement")
        .order_by("name")
    )
    if for_pact:
        candidates = candidates.exclude(local_pacts__period_start=PERIOD_START)
    else:
        candidates = candidates.exclude(contracts__amendment_number=0, contracts__period_start=PERIOD_START)
    return [territory for territory in candidates if perms.can_create_contract(user, territory)]


def listed_pacts(user):
    """The local pacts `user` may see, with their number of priorities."""
    return (
        LocalPact.objects.filter(perms.visible_pacts_q(user))
        .select_related("territory__region")
        .annotate(priority_count=Count("priorities"))
        .order_by("territory__name")
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
    """A fiche-action and its budget 2024-2027 by funder."""

    action: Action
    budget: budgets.Amounts


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
        [ActionBudget(action, budgets.Amounts.of(action.budget_lines.all())) for action in actions],
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
class ReportRow:
    year: int
    report: ExecutionReport | None
    due_on: date
    is_late: bool
    can_open: bool

    @property
    def status_label(self) -> str:
        return self.report.get_status_display() if self.report else "Non ouvert"


def report_rows(root: Contract, *, may_open: bool) -> list[ReportRow]:
    """One row per year of the convention: its report (or none yet), due date, lateness, and whether it can be
    opened now (`may_open`: the user may open the convention's reports)."""
    reports = {
        report.year: report
        for report in root.reports.select_related("submitted_by", "reviewed_by").order_by("year")
    }
    today = timezone.localdate()
    may_open = may_open and root.is_signed
    rows = []
    for year in root.years:
        report = reports.get(year)
        due_on = report.due_on if report else report_due_date(year)
        rows.append(
            ReportRow(
                year=year,
                report=report,
                due_on=due_on,
                is_late=report.is_late if report else today > due_on,
                can_open=may_open and report is None and year <= today.year,
            )
        )
    return rows


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
    base_ceiling: Decimal
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


def credit_rows(root: Contract) -> list[CreditRow]:
    """One row per year of the convention: ceilings (reallocations included), credits recorded, and whether a
    payment is allowed (`services.payment_allowed`)."""
    credits = {credit.year: credit for credit in root.credits.all()}
    reports = {report.year: report for report in root.reports.all()}
    moved_in, moved_out = _sums_by_year(root.reallocations_in), _sums_by_year(root.reallocations_out)
    version = current_version(root) or root
    rows = []
    for year in root.years:
        previous = year - 1 if year > root.period_start else None
        previous_report = reports.get(previous) if previous else None
        rows.append(
            CreditRow(
                year=year,
                base_ceiling=version.annual_state_ceiling,
                moved_in=moved_in.get(year, ZERO),
                moved_out=moved_out.get(year, ZERO),
                ceiling=effective_ceiling(root, year),
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
        "territory"
    )
    if not is_national(user):
        contracts = contracts.filter(territory_q(user, "territory__"))
    return contracts.order_by("territory__name")
