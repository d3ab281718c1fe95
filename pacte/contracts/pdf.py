"""The convention document of a contract version, as HTML then PDF (WeasyPrint).

`convention_html()` renders the whole document (parties, preamble, articles, one section per
fiche-action, recapitulative budget, signatures); `pacte.core.pdf.html_to_pdf()` turns it into PDF bytes without
reaching the network. Its budget grids are `pacte.contracts.budgets` grids, as on the pages.

A signed version is rendered once and stored (`pacte.core.pdf_cache`) under `stored_name()`, derived from the
version, its signature and the few things its document shows that may still change after the signature: its
status (« remplacée par un avenant »), the ceilings notified to its collectivité, the due date of the first
report campaign, and the layout (templates and print stylesheet) of the deployed code.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import translation

from pacte.contracts import budgets, kinds, queries
from pacte.contracts.budgets import Amounts, BudgetGrid
from pacte.contracts.enums import MID_TERM_EVALUATION_DUE, ContractStatus, Envelope
from pacte.contracts.models import Action, ActionIndicator, Contract
from pacte.contracts.services.allocations import contract_ceilings
from pacte.contracts.services.execution import campaign_due_on, first_report_year
from pacte.core.pdf_cache import ROOT, layout_digest, version_digest
from pacte.programme.models import Axis, Measure, Programme
from pacte.territories.enums import CollectiviteKind, Level

TEMPLATE = "contracts/pdf/convention.html"
LAYOUT = (TEMPLATE, "contracts/pdf/_budget_grid.html")
STYLESHEETS = ("contracts/convention.css",)


# --- The document ---------------------------------------------------------------------------------------


@dataclass
class IndicatorSheet:
    indicator: ActionIndicator
    targets: list[Decimal | None]


@dataclass
class ActionSheet:
    action: Action
    measures: list[Measure]
    indicators: list[IndicatorSheet]
    budget: BudgetGrid


@dataclass
class AxisRecap:
    axis: Axis
    actions: int = 0
    amounts: Amounts = field(default_factory=Amounts)


def _state_representative(contract: Contract) -> str:
    territory = contract.territory
    departement = territory if territory.level == Level.DEPARTEMENT else territory.departement
    where = f" ({departement.name})" if departement is not None else ""
    return f"le préfet de département{where}"


def _local_party(contract: Contract) -> str:
    territory, collectivite = contract.territory, contract.collectivite
    if collectivite is not None and collectivite.kind != CollectiviteKind.DEPARTEMENT:
        return f"{collectivite.name} ({collectivite.get_kind_display().lower()})"
    if territory.level == Level.DEPARTEMENT:
        return f"Le conseil départemental – {territory.name} ({territory.code})"
    return f"{territory.name} (métropole, SIREN {territory.code})"


@dataclass
class EnvelopeCeilings:
    label: str
    amounts: list[Decimal | None]


def _ceilings(contract: Contract, years: list[int]) -> list[EnvelopeCeilings]:
    notified = contract_ceilings(contract)
    return [
        EnvelopeCeilings(Envelope(envelope).label, [notified.get((envelope, year)) for year in years])
        for envelope in kinds.envelopes_of(contract.kind)
    ]


def _first_report_due(contract: Contract):
    return campaign_due_on(first_report_year(contract.root_contract) or contract.period_start)


def convention_context(contract: Contract) -> dict:
    """Everything the convention template shows, read in a fixed number of queries."""
    years = list(contract.years)
    actions = list(queries.actions_for_documents(contract))
    sheets, all_lines = [], []
    recap = {axis.pk: AxisRecap(axis) for axis in Axis.objects.order_by("number")}
    for action in actions:
        lines = list(action.budget_lines.all())
        all_lines.extend(lines)
        indicators = []
        for indicator in action.indicators.all():
            by_year = {target.year: target.value for target in indicator.year_targets.all()}
            indicators.append(IndicatorSheet(indicator, [by_year.get(year) for year in years]))
        sheets.append(
            ActionSheet(action, list(action.measures.all()), indicators, budgets.grid(lines, years))
        )
        axis_recap = recap.setdefault(action.axis_id, AxisRecap(action.axis))
        axis_recap.actions += 1
        for line in lines:
            axis_recap.amounts.add(line.funder, line.amount)
    summary = budgets.grid(all_lines, years, detail_other=False)
    territory = contract.territory
    return {
        "contract": contract,
        "territory": territory,
        "programme": Programme.objects.first(),
        "axes": list(recap.values()),
        "sheets": sheets,
        "years": years,
        "summary": summary,
        "axes_total": budgets.total(item.amounts for item in recap.values()),
        "state_representative": _state_representative(contract),
        "local_party": _local_party(contract),
        "is_metropole": territory.is_metropole,
        "ceilings": _ceilings(contract, years),
        "parity_parts": any(
            kinds.parity_applies(contract.kind, number) for number in kinds.allowed_axes(contract.kind)
        ),
        "france_travail_part": Envelope.FRANCE_TRAVAIL in kinds.envelopes_of(contract.kind),
        "is_draft": not contract.is_signed,
        "is_superseded": contract.status == ContractStatus.SUPERSEDED,
        "first_report_due": _first_report_due(contract),
        "mid_term_due": MID_TERM_EVALUATION_DUE,
    }


def convention_html(contract: Contract) -> str:
    """The HTML given to WeasyPrint (French dates and numbers whatever the active language)."""
    with translation.override("fr"):
        return render_to_string(TEMPLATE, convention_context(contract))


def convention_filename(contract: Contract) -> str:
    suffix = f"-avenant-{contract.amendment_number}" if contract.amendment_number else ""
    draft = "-projet" if not contract.is_signed else ""
    return f"convention-{contract.kind}-{contract.territory.code}-{contract.period_start}-{contract.period_end}{suffix}{draft}.pdf"


def stored_name(contract: Contract) -> str:
    """Where the PDF of a signed version is stored: one folder per version, a file per content version (two
    queries: the notified ceilings and the report campaign). Drafts are never stored."""
    if not contract.is_signed:
        raise ValueError("Seule une version signée est conservée.")
    territory, collectivite = contract.territory, contract.collectivite
    digest = version_digest(
        contract.pk,
        contract.status,
        contract.signed_on,
        contract.state_signatory,
        contract.local_signatory,
        contract.updated_at,
        territory.code,
        territory.name,
        collectivite.name if collectivite is not None else "",
        sorted(contract_ceilings(contract).items()),
        _first_report_due(contract),
        layout_digest(LAYOUT, STYLESHEETS),
    )
    signed_on = f"{contract.signed_on:%Y-%m-%d}" if contract.signed_on else "signe"
    return f"{ROOT}/conventions/{contract.pk}/{signed_on}-{digest}.pdf"
