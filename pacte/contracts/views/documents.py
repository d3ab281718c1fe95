"""Documents of the contracts: the convention as a PDF, CSV / XLSX exports of the contract list, of a
version's fiches-actions and of its budget lines. They follow the visibility of the pages they come from:
signed versions are public, drafts are shown to their parties, the regional commissioner and national
steering (`perms.can_view_contract`)."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Prefetch, Sum
from django.http import Http404, HttpResponse
from django.urls import path

from pacte.contracts import perms
from pacte.contracts.consolidation import Amounts, percent
from pacte.contracts.enums import Funder
from pacte.contracts.forms import ContractFilterForm
from pacte.contracts.models import BudgetLine, Contract
from pacte.contracts.pdf import convention_filename, convention_html
from pacte.contracts.views.contracts import listed_contracts
from pacte.core.exports import FORMATS, export_response
from pacte.core.pdf import html_to_pdf
from pacte.core.visibility import Hidden, sign_in_when_hidden
from pacte.programme.models import Measure


def _viewable(request, pk: int) -> Contract:
    contract = (
        Contract.objects.select_related("territory__region", "territory__departement", "amends")
        .filter(pk=pk)
        .first()
    )
    if contract is None or not perms.can_view_contract(request.user, contract):
        raise Hidden("Contrat introuvable")
    return contract


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise Http404("Format d'export inconnu")


def _stem(contract: Contract, what: str) -> str:
    suffix = f"-avenant-{contract.amendment_number}" if contract.amendment_number else ""
    return f"contrat-{contract.territory.code}{suffix}-{what}"


@sign_in_when_hidden
def convention_pdf(request, pk: int):
    contract = _viewable(request, pk)
    response = HttpResponse(html_to_pdf(convention_html(contract)), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{convention_filename(contract)}"'
    return response


CONTRACTS_HEADER = [
    "Territoire",
    "Code",
    "Type de collectivité",
    "Région",
    "Intitulé",
    "Version",
    "Statut",
    "Signé le",
    "Plafond annuel des crédits de l'État (€)",
    "Fiches-actions",
    "Budget 2024-2027 (€)",
    "dont État (€)",
    "dont collectivité (€)",
    "dont autres cofinanceurs (€)",
    "Part de l'État (%)",
    "Donnée fictive",
]


def export_contracts(request, fmt: str):
    """The contract list as shown to the user (same filters, same visibility), with budgets per funder."""
    _check_format(fmt)
    filters = ContractFilterForm(request.GET or None).filters()
    contracts = list(listed_contracts(request.user, filters))
    amounts: dict[int, Amounts] = defaultdict(Amounts)
    sums = (
        BudgetLine.objects.filter(action__contract__in=[contract.pk for contract in contracts])
        .values("action__contract", "funder")
        .annotate(amount=Sum("amount"))
        .order_by()
    )
    for row in sums:
        amounts[row["action__contract"]].add(row["funder"], row["amount"])
    rows = []
    for contract in contracts:
        budget = amounts[contract.pk]
        territory = contract.territory
        rows.append(
            [
                territory.name,
                territory.code,
                territory.level_label,
                territory.region.name if territory.region else "",
                contract.title,
                f"Avenant n°{contract.amendment_number}" if contract.amendment_number else "Contrat initial",
                contract.get_status_display(),
                contract.signed_on,
                contract.annual_state_ceiling,
                contract.action_count,
                budget.total,
                budget.state,
                budget.local,
                budget.other,
                budget.state_share,
                contract.is_demo,
            ]
        )
    return export_response(fmt, "contrats-locaux-des-solidarites", CONTRACTS_HEADER, rows)


def _year_targets(indicator, years) -> str:
    by_year = {target.year: target.value for target in indicator.year_targets.all()}
    return " ; ".join(f"{year} : {_number(by_year.get(year))}" for year in years)


def _number(value: Decimal | None) -> str:
    if value is None:
        return "–"
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def _indicators_text(action, years) -> str:
    parts = []
    for indicator in action.indicators.all():
        baseline = ""
        if indicator.baseline_value is not None:
            year = f" en {indicator.baseline_year}" if indicator.baseline_year else ""
            baseline = f", départ {_number(indicator.baseline_value)}{year}"
        parts.append(
            f"{indicator.label} ({indicator.get_unit_display()}{baseline}) – cibles {_year_targets(indicator, years)}"
        )
    return "\n".join(parts)


ACTIONS_HEADER = [
    "N°",
    "Intitulé",
    "Axe",
    "Mesures du Pacte",
    "Nature",
    "Renforcement",
    "Publics cibles",
    "Pilote",
    "Partenaires",
    "Description",
    "Indicateurs et cibles annuelles",
    "Budget 2024-2027 (€)",
    "dont État (€)",
    "dont collectivité (€)",
    "dont autres cofinanceurs (€)",
    "Part de l'État (%)",
    "Donnée fictive",
]


@sign_in_when_hidden
def export_actions(request, pk: int, fmt: str):
    _check_format(fmt)
    contract = _viewable(request, pk)
    years = list(contract.years)
    actions = contract.actions.select_related("axis").prefetch_related(
        Prefetch("measures", queryset=Measure.objects.order_by("order", "code")),
        "indicators__year_targets",
        "budget_lines",
    )
    rows = []
    for action in actions:
        budget = Amounts()
        for line in action.budget_lines.all():
            budget.add(line.funder, line.amount)
        rows.append(
            [
                action.number,
                action.title,
                f"Axe {action.axis.number} – {action.axis.title}",
                " ; ".join(measure.title for measure in action.measures.all()),
                action.get_nature_display(),
                action.get_reinforcement_display() if action.reinforcement else "",
                action.target_publics,
                action.pilot,
                action.partners,
                action.description,
                _indicators_text(action, years),
                budget.total,
                budget.state,
                budget.local,
                budget.other,
                budget.state_share,
                contract.is_demo,
            ]
        )
    return export_response(fmt, _stem(contract, "fiches-actions"), ACTIONS_HEADER, rows)


FUNDER_ORDER = {Funder.STATE: 0, Funder.LOCAL: 1, Funder.OTHER: 2}
BUDGET_HEADER = [
    "N° de fiche-action",
    "Fiche-action",
    "Axe",
    "Année",
    "Financeur",
    "Nom du cofinanceur",
    "Montant (€)",
    "Part de l'État dans l'année de la fiche-action (%)",
    "Donnée fictive",
]


@sign_in_when_hidden
def export_budget(request, pk: int, fmt: str):
    """One row per budget line (action × year × funder), with the State's share of the action that year."""
    _check_format(fmt)
    contract = _viewable(request, pk)
    lines = sorted(
        BudgetLine.objects.filter(action__contract=contract).select_related("action__axis"),
        key=lambda line: (line.action.number, line.year, FUNDER_ORDER[line.funder], line.funder_name),
    )
    per_year: dict[tuple[int, int], Amounts] = defaultdict(Amounts)
    for line in lines:
        per_year[line.action_id, line.year].add(line.funder, line.amount)
    rows = [
        [
            line.action.number,
            line.action.title,
            line.action.axis.number,
            line.year,
            line.get_funder_display(),
            line.funder_name,
            line.amount,
            percent(per_year[line.action_id, line.year].state, per_year[line.action_id, line.year].total),
            contract.is_demo,
        ]
        for line in lines
    ]
    return export_response(fmt, _stem(contract, "budget"), BUDGET_HEADER, rows)


urlpatterns = [
    path("<int:pk>/convention.pdf", convention_pdf, name="pdf"),
    path("export.<str:fmt>", export_contracts, name="export_contracts"),
    path("<int:pk>/fiches.<str:fmt>", export_actions, name="export_actions"),
    path("<int:pk>/budget.<str:fmt>", export_budget, name="export_budget"),
]
