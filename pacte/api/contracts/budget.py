"""The open data of a contract version beyond its fiches-actions: its budget lines, flat, and its indicators
with their targets and the values realised according to the validated execution reports."""

from ninja import Query
from ninja.pagination import paginate

from pacte.api.auth import public_auth
from pacte.api.contracts.common import contract_or_404, router
from pacte.api.contracts.schemas import BudgetFilters, BudgetLineFlatOut, ContractIndicatorOut
from pacte.api.errors import READ_ERRORS
from pacte.api.pagination import PageNumberPagination
from pacte.contracts import queries
from pacte.contracts.models import ActionIndicator, BudgetLine
from pacte.core.collation import french


@router.get(
    "/contracts/{contract_id}/budget-lines/",
    response={200: list[BudgetLineFlatOut], **READ_ERRORS},
    auth=public_auth,
    summary="Les lignes de cofinancement d'un contrat (données ouvertes d'un contrat signé)",
)
@paginate(PageNumberPagination)
def list_budget_lines(request, contract_id: int, filters: Query[BudgetFilters]):
    contract = contract_or_404(request, contract_id)
    lines = BudgetLine.objects.filter(action__contract=contract).select_related("action__axis")
    if filters.year:
        lines = lines.filter(year=filters.year)
    if filters.funder:
        lines = lines.filter(funder=filters.funder)
    return lines.order_by("action__number", "year", "funder", french("funder_name"))


@router.get(
    "/contracts/{contract_id}/indicators/",
    response={200: list[ContractIndicatorOut], **READ_ERRORS},
    auth=public_auth,
    summary="Les indicateurs d'un contrat : cibles et valeurs réalisées par année",
)
@paginate(PageNumberPagination)
def list_indicators(request, contract_id: int):
    contract = contract_or_404(request, contract_id)
    indicators = list(
        ActionIndicator.objects.filter(action__contract=contract)
        .select_related("action", "national_target")
        .prefetch_related("year_targets")
        .order_by("action__number", "pk")
    )
    by_id, by_label = queries.realised_values(contract)
    for indicator in indicators:
        indicator.realised = {
            **by_label.get((indicator.action.title, indicator.label), {}),
            **by_id.get(indicator.pk, {}),
        }
    return indicators
