"""Documents of the contracts: the convention as a PDF, CSV / XLSX exports of the contract list, of a
version's fiches-actions and of its budget lines. They follow the visibility of the pages they come from:
signed versions are public, drafts are shown to their parties, the regional commissioner and national
steering (`perms.can_view_contract`).

The PDF of a signed version is rendered once and served from storage (`pacte.core.pdf_cache`, ETag and 304);
an anonymous visitor who asks for one not rendered yet is counted by the rendering throttle. A draft is
rendered on each request for its parties and never stored."""

from django.http import Http404
from django.urls import path

from pacte import formatting
from pacte.accounts.throttling import client_ip
from pacte.contracts import budgets, queries
from pacte.contracts.forms import ContractFilterForm
from pacte.contracts.models import Contract
from pacte.contracts.pdf import convention_filename, convention_html, stored_name
from pacte.contracts.views.common import contract_or_hide, sign_in_when_hidden
from pacte.core import pdf_cache
from pacte.core.exports import FORMATS, export_response
from pacte.core.pdf import html_to_pdf


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise Http404("Format d'export inconnu")


def _stem(contract: Contract, what: str) -> str:
    suffix = f"-avenant-{contract.amendment_number}" if contract.amendment_number else ""
    return f"contrat-{contract.territory.code}{suffix}-{what}"


@sign_in_when_hidden
def convention_pdf(request, pk: int):
    contract = contract_or_hide(request, pk)
    filename = convention_filename(contract)
    if not contract.is_signed:
        return pdf_cache.fresh(html_to_pdf(convention_html(contract)), filename)
    return pdf_cache.serve_or_render(
        request,
        stored_name(contract),
        lambda _stored_at: filename,
        lambda: html_to_pdf(convention_html(contract)),
        client_ip(request),
    )


CONTRACTS_HEADER = [
    "Territoire",
    "Code",
    "Type de collectivité",
    "Région",
    "Intitulé",
    "Version",
    "Statut",
    "Signé le",
    "Sorte de convention",
    "Collectivité signataire",
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
    contracts = queries.with_budgets(queries.listed_contracts(request.user, filters))
    rows = []
    for contract in contracts:
        budget = contract.budget
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
                contract.get_kind_display(),
                contract.signatory_name,
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
    return " ; ".join(f"{year} : {formatting.number(by_year.get(year))}" for year in years)


def _indicators_text(action, years) -> str:
    parts = []
    for indicator in action.indicators.all():
        baseline = ""
        if indicator.baseline_value is not None:
            year = f" en {indicator.baseline_year}" if indicator.baseline_year else ""
            baseline = f", départ {formatting.number(indicator.baseline_value)}{year}"
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
    contract = contract_or_hide(request, pk)
    years = list(contract.years)
    rows = []
    for action in queries.actions_for_documents(contract):
        budget = budgets.Amounts.of(action.budget_lines.all())
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
    contract = contract_or_hide(request, pk)
    lines = queries.budget_lines(contract)
    per_year = budgets.amounts_by(lines, lambda line: (line.action_id, line.year))
    rows = [
        [
            line.action.number,
            line.action.title,
            line.action.axis.number,
            line.year,
            line.get_funder_display(),
            line.funder_name,
            line.amount,
            per_year[line.action_id, line.year].state_share,
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
