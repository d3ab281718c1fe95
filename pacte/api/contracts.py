"""Contrats locaux des solidarités: versions and avenants, fiches-actions, budgets, indicators, execution
reports and State credits.

Signed versions, their fiches-actions, budget lines and indicators are open data; drafts are answered 404
to whoever may not see them (perms.can_view_contract). Reports and credits need perms.can_follow_contract.
Every write calls a function of pacte.contracts.services inside one transaction; its refusals become
`422` with `erreurs` naming the field path the service used (`budget.2024`, `budget[0].amount`…), and a
stale `lock_version` or a signed version becomes `409`.
"""

import functools
from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, Q, Sum
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import paginate

from pacte.accounts.scope import is_national
from pacte.api.auth import public_auth, read_auth, token_auth
from pacte.api.errors import READ_ERRORS, WRITE_ERRORS, FieldErrorOut
from pacte.api.pagination import PageNumberPagination
from pacte.api.territories import TerritoryRef
from pacte.contracts import perms, services
from pacte.contracts.enums import ContractStatus, Funder, Reinforcement, ReportStatus
from pacte.contracts.models import (
    Action,
    BudgetLine,
    Contract,
    ContractLockedError,
    Credit,
    ExecutionReport,
    Indicator,
    ReportIndicatorValue,
)
from pacte.core.errors import Errors
from pacte.core.locking import StaleEditError
from pacte.programme.models import Axis, Measure, Target
from pacte.territories.enums import Level
from pacte.territories.models import Territory

router = Router(tags=["Contrats locaux des solidarités"])

Amount = Annotated[Decimal, Field(max_digits=14, decimal_places=2)]


# --- Errors -------------------------------------------------------------------------------------------


def _field_errors(messages: dict[str, list[str]]) -> list[dict]:
    return [
        {"champ": path, "message": f"{path} : {message}"}
        for path, texts in messages.items()
        for message in texts
    ]


def _refused(error: ValidationError) -> Status:
    if isinstance(error, ContractLockedError):
        return Status(409, {"detail": error.messages[0]})
    messages = error.message_dict if hasattr(error, "error_dict") else {"requête": error.messages}
    return Status(422, {"detail": "Requête invalide.", "erreurs": _field_errors(messages)})


def _write(view):
    """Run a write in one transaction and turn the services' refusals into 409 / 422 answers."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            with transaction.atomic():
                return view(request, *args, **kwargs)
        except StaleEditError as error:
            return Status(409, {"detail": f"lock_version : {error}"})
        except ValidationError as error:
            return _refused(error)

    return wrapper


def _invalid(path: str, message: str) -> ValidationError:
    return ValidationError({path: [message]})


def _forbid_unless(allowed: bool, party: bool, message: str) -> None:
    """403 unless `allowed`. When the user is the right party but the contract or report is at another
    stage, the service is called anyway and refuses with its own reason (409 or 422)."""
    if not allowed and not party:
        raise HttpError(403, message)


# --- Visibility ---------------------------------------------------------------------------------------


def _contracts():
    return Contract.objects.select_related("territory__region", "territory__departement")


def _contract(request, contract_id: int) -> Contract:
    """The contract version, or 404 when it does not exist or the user may not see this draft."""
    contract = _contracts().filter(pk=contract_id).first()
    if contract is None or not perms.can_view_contract(request.auth, contract):
        raise HttpError(404, f"Contrat introuvable : {contract_id}.")
    return contract


def _followed_contract(request, contract_id: int) -> Contract:
    """The contract for its execution (reports, credits): 404 as above, 403 outside its two parties, the
    regional commissioner and national steering."""
    contract = _contract(request, contract_id)
    if not perms.can_follow_contract(request.auth, contract):
        raise HttpError(
            403,
            "Seuls les deux signataires, le commissaire à la lutte contre la pauvreté et le pilotage national "
            "suivent l'exécution de ce contrat.",
        )
    return contract


def _state_party(user, contract: Contract) -> bool:
    return (
        perms.is_state_party(user, contract)
        or perms.is_regional_commissioner_of(user, contract.territory)
        or is_national(user)
    )


# --- Contracts ----------------------------------------------------------------------------------------


class ContractOut(Schema):
    id: int
    title: str
    territory: TerritoryRef = Field(description="La collectivité : un département ou une métropole")
    region: TerritoryRef | None
    status: str = Field(description="brouillon, negociation, valide, signe ou remplace")
    status_label: str
    amendment_number: int = Field(description="0 pour le contrat initial, n pour l'avenant n°n")
    root_id: int | None = Field(description="Le contrat initial, pour un avenant")
    amends_id: int | None = Field(description="La version signée que l'avenant modifie")
    period_start: int
    period_end: int
    annual_state_ceiling: float = Field(description="Plafond annuel des crédits de l'État (€)")
    signed_on: date | None
    is_demo: bool = Field(description="Donnée fictive (démonstration)")
    lock_version: int = Field(description="À renvoyer pour modifier le contrat")
    updated_at: datetime

    @staticmethod
    def resolve_region(obj: Contract):
        return obj.territory.region

    @staticmethod
    def resolve_status_label(obj: Contract) -> str:
        return obj.get_status_display()


class PartiesOut(Schema):
    local: TerritoryRef = Field(description="La collectivité signataire")
    state: TerritoryRef | None = Field(description="Le département dont la DDETS signe pour l'État")


class VersionRef(Schema):
    id: int
    amendment_number: int
    status: str
    signed_on: date | None


class YearTotalOut(Schema):
    year: int
    state: float
    local: float
    other: float
    total: float
    state_share: float | None = Field(description="Part de l'État en % (50 % au plus)")


class TotalsOut(Schema):
    state: float
    local: float
    other: float
    total: float
    years: list[YearTotalOut]


class ContractDetailOut(ContractOut):
    amendment_reason: str
    parties: PartiesOut
    submitted_at: datetime | None
    state_validated_at: datetime | None
    local_validated_at: datetime | None
    state_signatory: str
    local_signatory: str
    versions: list[VersionRef] = Field(
        description="Les versions de la convention (contrat initial et avenants)"
    )
    actions_count: int
    totals: TotalsOut = Field(description="Budget des fiches-actions par financeur et par année (€)")

    @staticmethod
    def resolve_versions(obj: Contract) -> list:
        return obj.version_list


_FUNDER_KEYS = {Funder.STATE: "state", Funder.LOCAL: "local", Funder.OTHER: "other"}


def _totals(contract: Contract) -> dict:
    years = {year: {"year": year, "state": 0.0, "local": 0.0, "other": 0.0} for year in contract.years}
    rows = (
        BudgetLine.objects.filter(action__contract=contract)
        .values("year", "funder")
        .annotate(amount=Sum("amount"))
        .order_by()
    )
    for row in rows:
        entry = years.setdefault(row["year"], {"year": row["year"], "state": 0.0, "local": 0.0, "other": 0.0})
        entry[_FUNDER_KEYS[row["funder"]]] += float(row["amount"])
    for entry in years.values():
        entry["total"] = entry["state"] + entry["local"] + entry["other"]
        entry["state_share"] = round(entry["state"] / entry["total"] * 100, 1) if entry["total"] else None
    ordered = [years[year] for year in sorted(years)]
    sums = {key: sum(entry[key] for entry in ordered) for key in ("state", "local", "other", "total")}
    return {**sums, "years": ordered}


def _detail(request, contract: Contract) -> Contract:
    """The contract with what ContractDetailOut needs beyond its own columns."""
    territory = contract.territory
    departement = territory if territory.level == Level.DEPARTEMENT else territory.departement
    root = contract.root_contract
    contract.parties = {"local": territory, "state": departement}
    contract.version_list = list(
        Contract.objects.filter(Q(pk=root.pk) | Q(root=root))
        .filter(perms.visible_contracts_q(request.auth))
        .order_by("amendment_number")
        .values("id", "amendment_number", "status", "signed_on")
    )
    contract.actions_count = contract.actions.count()
    contract.totals = _totals(contract)
    return contract


class ContractFilters(Schema):
    region: str | None = Field(None, description="Code INSEE de la région", max_length=3)
    territory: str | None = Field(
        None, description="Code du département ou SIREN de la métropole", max_length=9
    )
    level: Literal["departement", "metropole"] | None = None
    status: Literal[tuple(ContractStatus.values)] | None = None  # type: ignore[valid-type]
    year: int | None = Field(None, description="Année couverte par la période du contrat")


class ContractIn(Schema):
    territory: str = Field(
        description="Code du département (« 44 », « 2A », « 974 ») ou SIREN de la métropole",
        min_length=2,
        max_length=9,
    )
    annual_state_ceiling: Amount = Field(description="Plafond annuel des crédits de l'État (€)")
    title: str = Field("", max_length=250, description="Par défaut « Contrat local des solidarités … »")


class ContractPatch(Schema):
    lock_version: int = Field(description="La valeur « lock_version » lue avant la modification")
    title: str | None = Field(None, max_length=250, description="La collectivité, avant la signature")
    annual_state_ceiling: Amount | None = Field(None, description="L'État, avant la signature")


class SignIn(Schema):
    signed_on: date
    state_signatory: str = Field(max_length=200, description="Nom et qualité du signataire pour l'État")
    local_signatory: str = Field(
        max_length=200, description="Nom et qualité du signataire pour la collectivité"
    )


class AmendmentIn(Schema):
    reason: str = Field(description="Objet de l'avenant")


class ChangeOut(Schema):
    where: str
    what: str
    before: str
    after: str


class DiffOut(Schema):
    from_version: int = Field(description="La version signée modifiée")
    to_version: int = Field(description="L'avenant")
    changes: list[ChangeOut]


@router.get(
    "/contracts/",
    response=list[ContractOut],
    auth=public_auth,
    summary="Contrats locaux des solidarités (signés ; brouillons de mon périmètre)",
)
@paginate(PageNumberPagination)
def list_contracts(request, filters: Query[ContractFilters]):
    contracts = (
        _contracts()
        .filter(perms.visible_contracts_q(request.auth))
        .order_by("territory__code", "amendment_number")
    )
    if filters.region:
        contracts = contracts.filter(territory__region__code=filters.region)
    if filters.territory:
        contracts = contracts.filter(territory__code=filters.territory)
    if filters.level == "departement":
        contracts = contracts.filter(territory__level=Level.DEPARTEMENT)
    elif filters.level == "metropole":
        contracts = contracts.filter(territory__in=Territory.objects.metropoles())
    if filters.status:
        contracts = contracts.filter(status=filters.status)
    if filters.year:
        contracts = contracts.filter(period_start__lte=filters.year, period_end__gte=filters.year)
    return contracts


@router.get(
    "/contracts/{contract_id}",
    response={200: ContractDetailOut, **READ_ERRORS},
    auth=public_auth,
    summary="Un contrat : parties, statut, signature, versions et budget",
)
def get_contract(request, contract_id: int):
    return _detail(request, _contract(request, contract_id))


def _territory_for_contract(code: str) -> Territory:
    level_q = Q(level=Level.EPCI) if len(code) == 9 else Q(level=Level.DEPARTEMENT)
    territory = Territory.objects.filter(level_q, code=code).select_related("departement", "region").first()
    if territory is None:
        raise _invalid("territory", f"Aucun département ni métropole de code « {code} ».")
    if territory.level == Level.EPCI and not territory.is_metropole:
        raise _invalid(
            "territory", "Un contrat local des solidarités est conclu avec un département ou une métropole."
        )
    return territory


@router.post(
    "/contracts/",
    response={201: ContractDetailOut, **WRITE_ERRORS},
    auth=token_auth,
    summary="Créer le contrat d'un département ou d'une métropole",
)
@_write
def create_contract(request, payload: ContractIn):
    territory = _territory_for_contract(payload.territory)
    if not perms.can_create_contract(request.auth, territory):
        raise HttpError(403, f"Vous ne pouvez pas créer le contrat de {territory.name}.")
    contract = services.create_contract(
        territory, annual_state_ceiling=payload.annual_state_ceiling, title=payload.title.strip()
    )
    return Status(201, _detail(request, _contract(request, contract.pk)))


@router.patch(
    "/contracts/{contract_id}",
    response={200: ContractDetailOut, **WRITE_ERRORS},
    auth=token_auth,
    summary="Modifier l'intitulé (collectivité) ou le plafond annuel (État) d'un contrat non signé",
)
@_write
def patch_contract(request, contract_id: int, payload: ContractPatch):
    user = request.auth
    contract = _contract(request, contract_id)
    changes = payload.dict(exclude_unset=True, exclude={"lock_version"})
    for name, value in changes.items():
        if value is None:
            raise _invalid(name, "Ce champ ne peut pas être vide.")
    if "title" in changes:
        _forbid_unless(
            perms.can_edit_contract(user, contract),
            perms.is_local_party(user, contract),
            "Seule la collectivité modifie l'intitulé de son contrat.",
        )
    if "annual_state_ceiling" in changes:
        _forbid_unless(
            perms.can_edit_ceiling(user, contract),
            _state_party(user, contract),
            "Seul l'État fixe le plafond annuel de ses crédits.",
        )
    if not changes:
        raise _invalid("requête", "Indiquez au moins un champ à modifier : title ou annual_state_ceiling.")
    contract = services.update_contract(contract, expected_version=payload.lock_version, **changes)
    return _detail(request, _contract(request, contract.pk))


@router.post(
    "/contracts/{contract_id}/submit",
    response={200: ContractDetailOut, **WRITE_ERRORS},
    auth=token_auth,
    summary="Soumettre le brouillon à l'État (collectivité)",
)
@_write
def submit_contract(request, contract_id: int):
    user, contract = request.auth, _contract(request, contract_id)
    _forbid_unless(
        perms.can_submit_contract(user, contract),
        perms.is_local_party(user, contract),
        "Seule la collectivité soumet son contrat à l'État.",
    )
    services.submit_contract(contract, user)
    return _detail(request, _contract(request, contract_id))


@router.post(
    "/contracts/{contract_id}/validate",
    response={200: ContractDetailOut, **WRITE_ERRORS},
    auth=token_auth,
    summary="Valider le contrat pour sa partie (collectivité, DDETS ou commissaire)",
)
@_write
def validate_contract(request, contract_id: int):
    user, contract = request.auth, _contract(request, contract_id)
    local = perms.is_local_party(user, contract)
    state = perms.is_state_party(user, contract) or perms.is_regional_commissioner_of(
        user, contract.territory
    )
    _forbid_unless(
        perms.can_validate_contract(user, contract),
        local or state,
        "Seules les deux parties valident le contrat.",
    )
    services.validate_contract(contract, user, side="local" if local else "state")
    return _detail(request, _contract(request, contract_id))


@router.post(
    "/contracts/{contract_id}/sign",
    response={200: ContractDetailOut, **WRITE_ERRORS},
    auth=token_auth,
    summary="Enregistrer la signature (DDETS ou commissaire)",
)
@_write
def sign_contract(request, contract_id: int, payload: SignIn):
    user, contract = request.auth, _contract(request, contract_id)
    _forbid_unless(
        perms.can_sign_contract(user, contract),
        perms.is_state_party(user, contract) or perms.is_regional_commissioner_of(user, contract.territory),
        "Seuls la DDETS et le commissaire à la lutte contre la pauvreté enregistrent la signature.",
    )
    services.sign_contract(
        contract,
        user,
        signed_on=payload.signed_on,
        state_signatory=payload.state_signatory,
        local_signatory=payload.local_signatory,
    )
    return _detail(request, _contract(request, contract_id))


@router.post(
    "/contracts/{contract_id}/amendments",
    response={201: ContractDetailOut, **WRITE_ERRORS},
    auth=token_auth,
    summary="Ouvrir un avenant sur la version signée en vigueur (une des deux parties)",
)
@_write
def create_amendment(request, contract_id: int, payload: AmendmentIn):
    user, contract = request.auth, _contract(request, contract_id)
    _forbid_unless(
        perms.can_draft_amendment(user, contract),
        perms.is_local_party(user, contract) or perms.is_state_party(user, contract),
        "Seules les deux parties ouvrent un avenant.",
    )
    amendment = services.create_amendment(contract, user, reason=payload.reason)
    return Status(201, _detail(request, _contract(request, amendment.pk)))


@router.get(
    "/contracts/{contract_id}/diff",
    response={200: DiffOut, **READ_ERRORS},
    auth=public_auth,
    summary="Ce que l'avenant change par rapport à la version qu'il modifie",
)
def contract_diff(request, contract_id: int):
    contract = _contract(request, contract_id)
    if contract.amends_id is None:
        raise HttpError(
            404, f"Le contrat {contract_id} n'est pas un avenant : il n'a pas de version à comparer."
        )
    previous = _contracts().get(pk=contract.amends_id)
    return {
        "from_version": previous.pk,
        "to_version": contract.pk,
        "changes": services.contract_diff(previous, contract),
    }


# --- Fiches-actions -----------------------------------------------------------------------------------


class IndicatorOut(Schema):
    id: int
    label: str
    unit: str
    baseline_value: float | None
    baseline_year: int | None
    national_target: str | None = Field(description="Code de la cible nationale à laquelle il contribue")
    year_targets: dict[int, float] = Field(description="Valeur cible par année")

    @staticmethod
    def resolve_national_target(obj: Indicator) -> str | None:
        return obj.national_target.code if obj.national_target_id else None

    @staticmethod
    def resolve_year_targets(obj: Indicator) -> dict[int, float]:
        return {target.year: float(target.value) for target in obj.year_targets.all()}


class BudgetLineOut(Schema):
    year: int
    funder: str = Field(description="etat, collectivite ou autre")
    funder_name: str = Field(description="Nom de l'autre cofinanceur")
    amount: float


class ActionOut(Schema):
    id: int
    number: int
    title: str
    axis: int = Field(description="Numéro d'axe")
    measures: list[str] = Field(description="Codes des mesures du Pacte")
    nature: str = Field(description="nouvelle ou renforcee")
    reinforcement: str = Field(description="file_active, nouveaux_publics, nouvelles_zones ou vide")
    target_publics: str
    pilot: str
    partners: str
    description: str
    indicators: list[IndicatorOut]
    budget: list[BudgetLineOut]
    lock_version: int = Field(description="À renvoyer pour modifier la fiche-action")
    updated_at: datetime

    @staticmethod
    def resolve_axis(obj: Action) -> int:
        return obj.axis.number

    @staticmethod
    def resolve_measures(obj: Action) -> list[str]:
        return [measure.code for measure in obj.measures.all()]

    @staticmethod
    def resolve_budget(obj: Action) -> list:
        return obj.budget_lines.all()


class IndicatorIn(Schema):
    label: str = Field(max_length=250)
    unit: str = Field(description="personnes, menages, enfants, jeunes, structures, places, repas, …")
    baseline_value: Amount | None = None
    baseline_year: int | None = Field(None, ge=1990, le=2100)
    national_target: str | None = Field(None, description="Code d'une cible du référentiel")
    year_targets: dict[int, Amount] = Field(default_factory=dict, description="{année: valeur cible}")


class BudgetLineIn(Schema):
    year: int
    funder: str = Field(description="etat, collectivite ou autre")
    funder_name: str = Field("", max_length=200, description="Obligatoire pour un autre cofinanceur")
    amount: Amount


class ActionIn(Schema):
    title: str = Field(max_length=250)
    axis: int = Field(description="Numéro d'axe (1 à 4)")
    measures: list[str] = Field(default_factory=list, description="Codes des mesures du Pacte, sur cet axe")
    nature: str = Field(description="nouvelle ou renforcee")
    reinforcement: Literal[("", *Reinforcement.values)] = ""  # type: ignore[valid-type]
    target_publics: str
    pilot: str = Field(max_length=200)
    partners: str = ""
    description: str
    indicators: list[IndicatorIn] = Field(default_factory=list)
    budget: list[BudgetLineIn] = Field(
        default_factory=list, description="Lignes de cofinancement ; l'État finance 50 % au plus chaque année"
    )


class ActionPut(ActionIn):
    lock_version: int = Field(description="La valeur « lock_version » lue avant la modification")


def _actions(contract: Contract):
    indicators = Indicator.objects.select_related("national_target").prefetch_related("year_targets")
    return (
        contract.actions.select_related("axis")
        .prefetch_related("measures", "budget_lines", Prefetch("indicators", queryset=indicators))
        .order_by("number")
    )


def _action(contract: Contract, number: int) -> Action:
    action = _actions(contract).filter(number=number).first()
    if action is None:
        raise HttpError(404, f"Fiche-action introuvable : n°{number} du contrat {contract.pk}.")
    return action


def _action_data(payload: ActionIn) -> services.ActionData:
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
    return services.ActionData(
        title=payload.title.strip(),
        axis_id=axis.pk,
        nature=payload.nature,
        reinforcement=payload.reinforcement,
        target_publics=payload.target_publics,
        pilot=payload.pilot.strip(),
        partners=payload.partners,
        description=payload.description,
        measure_ids=[measures[code] for code in codes],
        indicators=[
            services.IndicatorRow(
                label=row.label,
                unit=row.unit,
                baseline_value=row.baseline_value,
                baseline_year=row.baseline_year,
                national_target_id=targets.get(row.national_target) if row.national_target else None,
                year_targets=dict(row.year_targets),
            )
            for row in payload.indicators
        ],
        budget=[
            services.BudgetRow(
                year=row.year, funder=row.funder, funder_name=row.funder_name, amount=row.amount
            )
            for row in payload.budget
        ],
    )


def _may_edit_actions(user, contract: Contract) -> None:
    _forbid_unless(
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
    return _actions(_contract(request, contract_id))


@router.get(
    "/contracts/{contract_id}/actions/{number}",
    response={200: ActionOut, **READ_ERRORS},
    auth=public_auth,
    summary="Une fiche-action",
)
def get_action(request, contract_id: int, number: int):
    return _action(_contract(request, contract_id), number)


@router.post(
    "/contracts/{contract_id}/actions/",
    response={201: ActionOut, **WRITE_ERRORS},
    auth=token_auth,
    summary="Ajouter une fiche-action (collectivité, avant la signature)",
)
@_write
def create_action(request, contract_id: int, payload: ActionIn):
    contract = _contract(request, contract_id)
    _may_edit_actions(request.auth, contract)
    action = services.save_action(contract, _action_data(payload))
    return Status(201, _action(contract, action.number))


@router.put(
    "/contracts/{contract_id}/actions/{number}",
    response={200: ActionOut, **WRITE_ERRORS},
    auth=token_auth,
    summary="Remplacer une fiche-action, ses indicateurs et son budget",
)
@_write
def put_action(request, contract_id: int, number: int, payload: ActionPut):
    contract = _contract(request, contract_id)
    _may_edit_actions(request.auth, contract)
    action = _action(contract, number)
    services.save_action(
        contract, _action_data(payload), action=action, expected_version=payload.lock_version
    )
    return _action(contract, number)


@router.delete(
    "/contracts/{contract_id}/actions/{number}",
    response={204: None, **WRITE_ERRORS},
    auth=token_auth,
    summary="Supprimer une fiche-action (les suivantes sont renumérotées)",
)
@_write
def delete_action(request, contract_id: int, number: int, lock_version: int):
    contract = _contract(request, contract_id)
    _may_edit_actions(request.auth, contract)
    services.delete_action(_action(contract, number), expected_version=lock_version)
    return Status(204, None)


class BudgetLineFlatOut(Schema):
    action_number: int
    action_title: str
    axis: int
    year: int
    funder: str
    funder_label: str = Field(description="État, Collectivité ou le nom de l'autre cofinanceur")
    funder_name: str
    amount: float

    @staticmethod
    def resolve_action_number(obj: BudgetLine) -> int:
        return obj.action.number

    @staticmethod
    def resolve_action_title(obj: BudgetLine) -> str:
        return obj.action.title

    @staticmethod
    def resolve_axis(obj: BudgetLine) -> int:
        return obj.action.axis.number


class BudgetFilters(Schema):
    year: int | None = None
    funder: Literal[tuple(Funder.values)] | None = None  # type: ignore[valid-type]


@router.get(
    "/contracts/{contract_id}/budget-lines/",
    response={200: list[BudgetLineFlatOut], **READ_ERRORS},
    auth=public_auth,
    summary="Les lignes de cofinancement d'un contrat (données ouvertes d'un contrat signé)",
)
@paginate(PageNumberPagination)
def list_budget_lines(request, contract_id: int, filters: Query[BudgetFilters]):
    contract = _contract(request, contract_id)
    lines = BudgetLine.objects.filter(action__contract=contract).select_related("action__axis")
    if filters.year:
        lines = lines.filter(year=filters.year)
    if filters.funder:
        lines = lines.filter(funder=filters.funder)
    return lines.order_by("action__number", "year", "funder", "funder_name")


class ContractIndicatorOut(IndicatorOut):
    action_number: int
    action_title: str
    realised: dict[int, float] = Field(
        description="Valeur réalisée par année, d'après les rapports d'exécution validés"
    )

    @staticmethod
    def resolve_action_number(obj: Indicator) -> int:
        return obj.action.number

    @staticmethod
    def resolve_action_title(obj: Indicator) -> str:
        return obj.action.title


def _realised_values(contract: Contract) -> tuple[dict, dict]:
    """Realised values of the validated reports of the convention, by indicator id and, for the values
    reported on another version (before an avenant), by (fiche-action title, indicator label)."""
    by_id: dict[int, dict[int, float]] = defaultdict(dict)
    by_label: dict[tuple[str, str], dict[int, float]] = defaultdict(dict)
    rows = ReportIndicatorValue.objects.filter(
        report__contract=contract.root_contract, report__status=ReportStatus.VALIDATED
    ).values_list("indicator_id", "indicator__action__title", "indicator__label", "report__year", "value")
    for indicator_id, title, label, year, value in rows:
        by_id[indicator_id][year] = float(value)
        by_label[(title, label)][year] = float(value)
    return by_id, by_label


@router.get(
    "/contracts/{contract_id}/indicators/",
    response={200: list[ContractIndicatorOut], **READ_ERRORS},
    auth=public_auth,
    summary="Les indicateurs d'un contrat : cibles et valeurs réalisées par année",
)
@paginate(PageNumberPagination)
def list_indicators(request, contract_id: int):
    contract = _contract(request, contract_id)
    indicators = list(
        Indicator.objects.filter(action__contract=contract)
        .select_related("action", "national_target")
        .prefetch_related("year_targets")
        .order_by("action__number", "pk")
    )
    by_id, by_label = _realised_values(contract)
    for indicator in indicators:
        indicator.realised = {
            **by_label.get((indicator.action.title, indicator.label), {}),
            **by_id.get(indicator.pk, {}),
        }
    return indicators


# --- Execution reports --------------------------------------------------------------------------------


class ReportSummaryOut(Schema):
    year: int
    status: str = Field(description="brouillon, depose, renvoye ou valide")
    status_label: str
    due_on: date
    is_late: bool
    submitted_at: datetime | None
    reviewed_at: datetime | None
    lock_version: int

    @staticmethod
    def resolve_status_label(obj: ExecutionReport) -> str:
        return obj.get_status_display()


class SpendingOut(Schema):
    action_number: int
    funder: str
    funder_name: str
    amount: float

    @staticmethod
    def resolve_action_number(obj) -> int:
        return obj.action.number


class ReportOut(ReportSummaryOut):
    version_id: int = Field(description="La version du contrat dont les fiches-actions sont rapportées")
    qualitative_assessment: str
    review_comment: str
    values: dict[int, float] = Field(description="{identifiant d'indicateur: valeur réalisée}")
    spendings: list[SpendingOut]
    missing: list[FieldErrorOut] = Field(description="Ce qui manque pour déposer le rapport")

    @staticmethod
    def resolve_values(obj: ExecutionReport) -> dict[int, float]:
        return {row.indicator_id: float(row.value) for row in obj.indicator_values.all()}

    @staticmethod
    def resolve_spendings(obj: ExecutionReport) -> list:
        return obj.spendings.select_related("action").order_by("action__number", "funder", "funder_name")

    @staticmethod
    def resolve_missing(obj: ExecutionReport) -> list[dict]:
        return _field_errors(services.report_problems(obj)) if obj.is_editable else []


class SpendingIn(Schema):
    action_number: int
    funder: str = Field(description="etat, collectivite ou autre")
    funder_name: str = Field("", max_length=200)
    amount: Amount


class ReportPut(Schema):
    values: dict[int, Amount | None] = Field(
        default_factory=dict, description="{identifiant d'indicateur: valeur réalisée} ; null l'efface"
    )
    spendings: list[SpendingIn] = Field(default_factory=list, description="Montants dépensés par financeur")
    qualitative_assessment: str | None = Field(None, description="Bilan qualitatif ; inchangé s'il est omis")
    lock_version: int | None = Field(
        None,
        description="Obligatoire pour modifier un rapport existant : la valeur lue avant la modification",
    )


class ReviewIn(Schema):
    accept: bool = Field(alias="validate", description="true pour valider, false pour renvoyer le rapport")
    comment: str = Field("", description="Observations de l'État ; obligatoires pour un renvoi")


def _report(contract: Contract, year: int) -> ExecutionReport:
    report = (
        ExecutionReport.objects.select_related("contract__territory__departement", "version")
        .filter(contract=contract.root_contract, year=year)
        .first()
    )
    if report is None:
        raise HttpError(404, f"Aucun rapport d'exécution {year} pour ce contrat.")
    return report


@router.get(
    "/contracts/{contract_id}/reports/",
    response={200: list[ReportSummaryOut], **READ_ERRORS},
    auth=read_auth,
    summary="Les rapports d'exécution annuels de la convention",
)
@paginate(PageNumberPagination)
def list_reports(request, contract_id: int):
    contract = _followed_contract(request, contract_id)
    return ExecutionReport.objects.filter(contract=contract.root_contract).order_by("year")


@router.get(
    "/contracts/{contract_id}/reports/{year}",
    response={200: ReportOut, **READ_ERRORS},
    auth=read_auth,
    summary="Un rapport d'exécution",
)
def get_report(request, contract_id: int, year: int):
    return _report(_followed_contract(request, contract_id), year)


def _spending_rows(report: ExecutionReport, rows: list[SpendingIn]) -> list[services.SpendingRow]:
    actions = dict(report.version.actions.values_list("number", "pk"))
    errors = Errors()
    for index, row in enumerate(rows):
        if row.action_number not in actions:
            errors.add(
                f"spendings[{index}].action_number",
                f"La version rapportée du contrat n'a pas de fiche-action n°{row.action_number}.",
            )
    errors.raise_if_any()
    return [
        services.SpendingRow(
            action_id=actions[row.action_number],
            funder=row.funder,
            funder_name=row.funder_name,
            amount=row.amount,
        )
        for row in rows
    ]


@router.put(
    "/contracts/{contract_id}/reports/{year}",
    response={200: ReportOut, **WRITE_ERRORS},
    auth=token_auth,
    summary="Ouvrir ou compléter le rapport d'exécution d'une année (collectivité)",
)
@_write
def put_report(request, contract_id: int, year: int, payload: ReportPut):
    user = request.auth
    root = _followed_contract(request, contract_id).root_contract
    report = ExecutionReport.objects.filter(contract=root, year=year).first()
    if report is None:
        if not perms.can_open_report(user, root):
            raise HttpError(403, "Seule la collectivité rédige ses rapports.")
        report = services.open_report(root, year)
    else:
        _forbid_unless(
            perms.can_edit_report(user, report),
            perms.can_open_report(user, root),
            "Seule la collectivité rédige ses rapports.",
        )
        if payload.lock_version is None:
            raise _invalid(
                "lock_version", "Renvoyez la valeur « lock_version » lue pour modifier ce rapport."
            )
    assessment = payload.qualitative_assessment
    services.save_report(
        report,
        qualitative_assessment=report.qualitative_assessment if assessment is None else assessment.strip(),
        values=dict(payload.values),
        spendings=_spending_rows(report, payload.spendings),
        expected_version=payload.lock_version,
    )
    return _report(root, year)


@router.post(
    "/contracts/{contract_id}/reports/{year}/submit",
    response={200: ReportOut, **WRITE_ERRORS},
    auth=token_auth,
    summary="Déposer le rapport (collectivité) ; 422 liste ce qui manque",
)
@_write
def submit_report(request, contract_id: int, year: int):
    user, contract = request.auth, _followed_contract(request, contract_id)
    report = _report(contract, year)
    _forbid_unless(
        perms.can_edit_report(user, report),
        perms.can_open_report(user, report.contract),
        "Seule la collectivité dépose ses rapports.",
    )
    services.submit_report(report, user)
    return _report(contract, year)


@router.post(
    "/contracts/{contract_id}/reports/{year}/review",
    response={200: ReportOut, **WRITE_ERRORS},
    auth=token_auth,
    summary="Valider le rapport ou le renvoyer avec des observations (DDETS ou commissaire)",
)
@_write
def review_report(request, contract_id: int, year: int, payload: ReviewIn):
    user, contract = request.auth, _followed_contract(request, contract_id)
    report = _report(contract, year)
    _forbid_unless(
        perms.can_review_report(user, report),
        perms.is_state_party(user, report.contract)
        or perms.is_regional_commissioner_of(user, report.contract.territory),
        "Seuls la DDETS et le commissaire à la lutte contre la pauvreté examinent les rapports.",
    )
    services.review_report(report, user, validate=payload.accept, comment=payload.comment)
    return _report(contract, year)


# --- State credits ------------------------------------------------------------------------------------


class CreditOut(Schema):
    year: int
    ceiling: float = Field(description="Plafond de l'année, réallocations comprises (€)")
    notified: float
    notified_on: date | None
    committed: float
    committed_on: date | None
    paid: float
    paid_on: date | None
    lock_version: int

    @staticmethod
    def resolve_ceiling(obj: Credit) -> float:
        return float(services.effective_ceiling(obj.contract, obj.year))


class CreditPut(Schema):
    notified: Amount = Field(description="Crédits notifiés (€)")
    notified_on: date | None = None
    committed: Amount = Field(Decimal("0"), description="Crédits engagés (€)")
    committed_on: date | None = None
    paid: Amount = Field(Decimal("0"), description="Crédits versés (€)")
    paid_on: date | None = None
    lock_version: int | None = Field(
        None,
        description="Obligatoire pour modifier une année déjà saisie : la valeur lue avant la modification",
    )


@router.get(
    "/contracts/{contract_id}/credits/",
    response={200: list[CreditOut], **READ_ERRORS},
    auth=read_auth,
    summary="Les crédits de l'État par année : notifiés, engagés, versés",
)
@paginate(PageNumberPagination)
def list_credits(request, contract_id: int):
    contract = _followed_contract(request, contract_id)
    return Credit.objects.filter(contract=contract.root_contract).select_related("contract").order_by("year")


@router.put(
    "/contracts/{contract_id}/credits/{year}",
    response={200: CreditOut, **WRITE_ERRORS},
    auth=token_auth,
    summary="Saisir les crédits de l'État d'une année (DDETS, commissaire, pilotage national)",
)
@_write
def put_credit(request, contract_id: int, year: int, payload: CreditPut):
    contract = _followed_contract(request, contract_id)
    if not perms.can_manage_credits(request.auth, contract):
        raise HttpError(403, "Seul l'État saisit ses crédits.")
    exists = Credit.objects.filter(contract=contract.root_contract, year=year).exists()
    if exists and payload.lock_version is None:
        raise _invalid("lock_version", "Renvoyez la valeur « lock_version » lue pour modifier ces crédits.")
    return services.record_credit(
        contract,
        year,
        notified=payload.notified,
        committed=payload.committed,
        paid=payload.paid,
        notified_on=payload.notified_on,
        committed_on=payload.committed_on,
        paid_on=payload.paid_on,
        expected_version=payload.lock_version,
    )
