"""The fiches-actions of a contract version: read, added, replaced (with their indicators and budget
lines) and deleted by the collectivité before the signature."""

from django.db.models import Prefetch
from ninja import Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from pacte.api.auth import public_auth, token_auth
from pacte.api.contracts.common import contract_or_404, forbid_unless, router, write
from pacte.api.contracts.schemas import ActionIn, ActionOut, ActionPut
from pacte.api.errors import READ_ERRORS, WRITE_ERRORS
from pacte.api.pagination import PageNumberPagination
from pacte.contracts import perms
from pacte.contracts.models import Action, ActionIndicator, Contract
from pacte.contracts.services import actions as action_services
from pacte.core.errors import Errors
from pacte.programme.models import Axis, Measure, Target


def _actions(contract: Contract):
    indicators = ActionIndicator.objects.select_related("national_target").prefetch_related("year_targets")
    return (
        contract.actions.select_related("axis", "contract")
        .prefetch_related("measures", "budget_lines", Prefetch("indicators", queryset=indicators))
        .order_by("number")
    )


def _action(contract: Contract, number: int) -> Action:
    action = _actions(contract).filter(number=number).first()
    if action is None:
        raise HttpError(404, f"Fiche-action introuvable : n°{number} du contrat {contract.pk}.")
    return action


def _action_data(payload: ActionIn) -> action_services.ActionData:
    """The JSON of a fiche-action as the service's ActionData: axis by number, measures and national
    targets by code."""
    errors = Errors()
    axis = Axis.objects.filter(number=payload.axis).first()
    if axis is None:
        errors.add("axis", f"Axe inconnu : {payload.axis}.")
    codes = list(dict.fromkeys(payload.measures))
    measures = dict(Measure.objects.filter(code__in=codes).values_list("code", "pk"))
    unknown = [code for code in codes if code not in measures]
    if unknown:
        errors.add("measures", f"Mesure inconnue : {', '.join(unknown)}.")
    target_codes = {row.national_target for row in payload.indicators if row.national_target}
    targets = dict(Target.objects.filter(code__in=target_codes).values_list("code", "pk"))
    for index, row in enumerate(payload.indicators):
        if row.national_target and row.national_target not in targets:
            errors.add(
                f"indicators[{index}].national_target",
                f"Cible nationale inconnue : « {row.national_target} ».",
            )
    errors.raise_if_any()
    return action_services.ActionData(
        title=payload.title.strip(),
        axis_id=axis.pk,
        volet=payload.volet,
        nature=payload.nature,
        reinforcement=payload.reinforcement,
        target_publics=payload.target_publics,
        pilot=payload.pilot.strip(),
        partners=payload.partners,
        description=payload.description,
        measure_ids=[measures[code] for code in codes],
        indicators=[
            action_services.IndicatorRow(
                label=row.label,
                unit=row.unit,
                baseline_value=row.baseline_value,
                baseline_year=row.baseline_year,
                national_target_id=targets.get(row.national_target) if row.national_target else None,
                is_reinforcement=row.is_reinforcement,
                year_targets=dict(row.year_targets),
            )
            for row in payload.indicators
        ],
        budget=[
            action_services.BudgetRow(
                year=row.year, funder=row.funder, funder_name=row.funder_name, amount=row.amount
            )
            for row in payload.budget
        ],
    )


def _may_edit_actions(user, contract: Contract) -> None:
    forbid_unless(
        perms.can_edit_contract(user, contract),
        perms.is_local_party(user, contract),
        "Seule la collectivité rédige les fiches-actions de son contrat.",
    )


@router.get(
    "/contracts/{contract_id}/actions/",
    response={200: list[ActionOut], **READ_ERRORS},
    auth=public_auth,
    summary="Les fiches-actions d'un contrat",
)
@paginate(PageNumberPagination)
def list_actions(request, contract_id: int):
    return _actions(contract_or_404(request, contract_id))


@router.get(
    "/contracts/{contract_id}/actions/{number}",
    response={200: ActionOut, **READ_ERRORS},
    auth=public_auth,
    summary="Une fiche-action",
)
def get_action(request, contract_id: int, number: int):
    return _action(contract_or_404(request, contract_id), number)


@router.post(
    "/contracts/{contract_id}/actions/",
    response={201: ActionOut, **WRITE_ERRORS},
    auth=token_auth,
    summary="Ajouter une fiche-action (collectivité, avant la signature)",
)
@write
def create_action(request, contract_id: int, payload: ActionIn):
    contract = contract_or_404(request, contract_id)
    _may_edit_actions(request.auth, contract)
    action = action_services.save_action(contract, _action_data(payload))
    return Status(201, _action(contract, action.number))


@router.put(
    "/contracts/{contract_id}/actions/{number}",
    response={200: ActionOut, **WRITE_ERRORS},
    auth=token_auth,
    summary="Remplacer une fiche-action, ses indicateurs et son budget",
)
@write
def put_action(request, contract_id: int, number: int, payload: ActionPut):
    contract = contract_or_404(request, contract_id)
    _may_edit_actions(request.auth, contract)
    action = _action(contract, number)
    action_services.save_action(
        contract, _action_data(payload), action=action, expected_version=payload.lock_version
    )
    return _action(contract, number)


@router.delete(
    "/contracts/{contract_id}/actions/{number}",
    response={204: None, **WRITE_ERRORS},
    auth=token_auth,
    summary="Supprimer une fiche-action (les suivantes sont renumérotées)",
)
@write
def delete_action(request, contract_id: int, number: int, lock_version: int):
    contract = contract_or_404(request, contract_id)
    _may_edit_actions(request.auth, contract)
    action_services.delete_action(_action(contract, number), expected_version=lock_version)
    return Status(204, None)
