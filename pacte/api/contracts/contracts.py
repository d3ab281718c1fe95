"""Contract versions and avenants: the list, a version with its kind, collectivité, parties, versions, budget totals
and notified ceilings, creation and title, and the workflow up to the signature."""

from django.db.models import Q
from ninja import Query, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from pacte.api.auth import public_auth, token_auth
from pacte.api.contracts.common import (
    contract_or_404,
    contracts,
    forbid_unless,
    invalid,
    router,
    write,
)
from pacte.api.contracts.schemas import (
    AmendmentIn,
    ContractDetailOut,
    ContractFilters,
    ContractIn,
    ContractOut,
    ContractPatch,
    DiffOut,
    SignIn,
)
from pacte.api.errors import READ_ERRORS, WRITE_ERRORS
from pacte.api.pagination import PageNumberPagination
from pacte.contracts import budgets, perms, queries
from pacte.contracts.models import Contract
from pacte.contracts.services import allocations, amendments, workflow
from pacte.territories.collectivites import can_sign
from pacte.territories.enums import CollectiviteKind, Level
from pacte.territories.models import Territory

CEILING_NOT_TYPED = (
    "Le plafond des crédits de l'État est notifié par le pilotage national (PUT /api/v1/allocations/) : il ne se "
    "saisit pas sur la convention."
)


def _split(amounts: budgets.Amounts) -> dict:
    return {
        "state": amounts.state,
        "local": amounts.local,
        "other": amounts.other,
        "total": amounts.total,
        "state_share": amounts.state_share,
    }


def _totals(contract: Contract) -> dict:
    """The budget of the version by funder, for the period and for each year (`pacte.contracts.budgets`)."""
    years = queries.year_budgets(contract)
    return {
        **_split(budgets.total(years.values())),
        "years": [{"year": year, **_split(amounts)} for year, amounts in years.items()],
    }


def _detail(request, contract: Contract) -> Contract:
    """The contract with what ContractDetailOut needs beyond its own columns."""
    territory = contract.territory
    departement = territory if territory.level == Level.DEPARTEMENT else territory.departement
    contract.parties = {"local": territory, "state": departement}
    contract.version_list = list(
        queries.versions(request.auth, contract).values("id", "amendment_number", "status", "signed_on")
    )
    contract.actions_count = contract.actions.count()
    contract.totals = _totals(contract)
    contract.ceilings = allocations.ceiling_rows(contract)
    return contract


@router.get(
    "/contracts/",
    response=list[ContractOut],
    auth=public_auth,
    summary="Contrats locaux des solidarités (signés ; brouillons de mon périmètre)",
)
@paginate(PageNumberPagination)
def list_contracts(request, filters: Query[ContractFilters]):
    found = (
        contracts()
        .filter(perms.visible_contracts_q(request.auth))
        .order_by("territory__code", "amendment_number", "pk")  # pk: a stable page boundary
    )
    if filters.region:
        found = found.filter(territory__region__code=filters.region)
    if filters.territory:
        found = found.filter(territory__code=filters.territory)
    if filters.level == "departement":
        found = found.exclude(collectivite__kind=CollectiviteKind.METROPOLE)
    elif filters.level == "metropole":
        found = found.filter(collectivite__kind=CollectiviteKind.METROPOLE)
    if filters.kind:
        found = found.filter(kind=filters.kind)
    if filters.status:
        found = found.filter(status=filters.status)
    if filters.year:
        found = found.filter(period_start__lte=filters.year, period_end__gte=filters.year)
    return found


@router.get(
    "/contracts/{contract_id}",
    response={200: ContractDetailOut, **READ_ERRORS},
    auth=public_auth,
    summary="Un contrat : parties, statut, signature, versions et budget",
)
def get_contract(request, contract_id: int):
    return _detail(request, contract_or_404(request, contract_id))


def _territory_for_contract(code: str) -> Territory:
    level_q = Q(level=Level.EPCI) if len(code) == 9 else Q(level=Level.DEPARTEMENT)
    territory = Territory.objects.filter(level_q, code=code).select_related("departement", "region").first()
    if territory is None:
        raise invalid("territory", f"Aucun département ni métropole de code « {code} ».")
    if not can_sign(territory):
        raise invalid(
            "territory",
            "Une convention est conclue avec un département (ou une collectivité à compétences "
            "départementales) ou une métropole.",
        )
    return territory


@router.post(
    "/contracts/",
    response={201: ContractDetailOut, **WRITE_ERRORS},
    auth=token_auth,
    summary="Créer une convention : contrat des solidarités, convention France Travail ou globale d'un département, contrat d'une métropole",
)
@write
def create_contract(request, payload: ContractIn):
    territory = _territory_for_contract(payload.territory)
    if not perms.can_create_contract(request.auth, territory):
        raise HttpError(403, f"Vous ne pouvez pas créer le contrat de {territory.name}.")
    if payload.annual_state_ceiling is not None:
        raise invalid("annual_state_ceiling", CEILING_NOT_TYPED)
    contract = workflow.create_contract(territory, kind=payload.kind, title=payload.title.strip())
    return Status(201, _detail(request, contract_or_404(request, contract.pk)))


@router.patch(
    "/contracts/{contract_id}",
    response={200: ContractDetailOut, **WRITE_ERRORS},
    auth=token_auth,
    summary="Modifier l'intitulé d'un contrat non signé (collectivité)",
)
@write
def patch_contract(request, contract_id: int, payload: ContractPatch):
    user = request.auth
    contract = contract_or_404(request, contract_id)
    changes = payload.dict(exclude_unset=True, exclude={"lock_version"})
    for name, value in changes.items():
        if value is None:
            raise invalid(name, "Ce champ ne peut pas être vide.")
    if "title" in changes:
        forbid_unless(
            perms.can_edit_contract(user, contract),
            perms.is_local_party(user, contract),
            "Seule la collectivité modifie l'intitulé de son contrat.",
        )
    if "annual_state_ceiling" in changes:
        raise invalid("annual_state_ceiling", CEILING_NOT_TYPED)
    if not changes:
        raise invalid("requête", "Indiquez le champ à modifier : title.")
    contract = workflow.update_contract(contract, expected_version=payload.lock_version, **changes)
    return _detail(request, contract_or_404(request, contract.pk))


@router.post(
    "/contracts/{contract_id}/submit",
    response={200: ContractDetailOut, **WRITE_ERRORS},
    auth=token_auth,
    summary="Soumettre le brouillon à l'État (collectivité)",
)
@write
def submit_contract(request, contract_id: int):
    user, contract = request.auth, contract_or_404(request, contract_id)
    forbid_unless(
        perms.can_submit_contract(user, contract),
        perms.is_local_party(user, contract),
        "Seule la collectivité soumet son contrat à l'État.",
    )
    workflow.submit_contract(contract, user)
    return _detail(request, contract_or_404(request, contract_id))


@router.post(
    "/contracts/{contract_id}/validate",
    response={200: ContractDetailOut, **WRITE_ERRORS},
    auth=token_auth,
    summary="Valider le contrat pour sa partie (collectivité, DDETS ou commissaire)",
)
@write
def validate_contract(request, contract_id: int):
    user, contract = request.auth, contract_or_404(request, contract_id)
    side = perms.validation_side(user, contract)
    forbid_unless(
        perms.can_validate_contract(user, contract),
        side is not None,
        "Seules les deux parties valident le contrat.",
    )
    workflow.validate_contract(contract, user, side=side)
    return _detail(request, contract_or_404(request, contract_id))


@router.post(
    "/contracts/{contract_id}/sign",
    response={200: ContractDetailOut, **WRITE_ERRORS},
    auth=token_auth,
    summary="Enregistrer la signature (DDETS ou commissaire)",
)
@write
def sign_contract(request, contract_id: int, payload: SignIn):
    user, contract = request.auth, contract_or_404(request, contract_id)
    forbid_unless(
        perms.can_sign_contract(user, contract),
        perms.acts_for_state(user, contract),
        "Seuls la DDETS et le commissaire à la lutte contre la pauvreté enregistrent la signature.",
    )
    workflow.sign_contract(
        contract,
        user,
        signed_on=payload.signed_on,
        state_signatory=payload.state_signatory,
        local_signatory=payload.local_signatory,
    )
    return _detail(request, contract_or_404(request, contract_id))


@router.post(
    "/contracts/{contract_id}/amendments",
    response={201: ContractDetailOut, **WRITE_ERRORS},
    auth=token_auth,
    summary="Ouvrir un avenant sur la version signée en vigueur (une des deux parties)",
)
@write
def create_amendment(request, contract_id: int, payload: AmendmentIn):
    user, contract = request.auth, contract_or_404(request, contract_id)
    forbid_unless(
        perms.can_draft_amendment(user, contract),
        perms.is_local_party(user, contract) or perms.is_state_party(user, contract),
        "Seules les deux parties ouvrent un avenant.",
    )
    amendment = amendments.create_amendment(contract, user, reason=payload.reason)
    return Status(201, _detail(request, contract_or_404(request, amendment.pk)))


@router.get(
    "/contracts/{contract_id}/diff",
    response={200: DiffOut, **READ_ERRORS},
    auth=public_auth,
    summary="Ce que l'avenant change par rapport à la version qu'il modifie",
)
def contract_diff(request, contract_id: int):
    contract = contract_or_404(request, contract_id)
    if contract.amends_id is None:
        raise HttpError(
            404, f"Le contrat {contract_id} n'est pas un avenant : il n'a pas de version à comparer."
        )
    previous = contracts().get(pk=contract.amends_id)
    return {
        "from_version": previous.pk,
        "to_version": contract.pk,
        "changes": amendments.contract_diff(previous, contract),
    }
