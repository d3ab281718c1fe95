"""Notified ceilings and national envelopes: the allocation notified to each signing collectivité per envelope and
year (read: national steering, and a regional commissioner for its région; write: national steering), their totals
beside the published national amounts, and the national envelopes with their sources (public)."""

from datetime import date

from django.db.models import Q
from ninja import Field, Query, Schema
from ninja.errors import HttpError

from pacte.accounts.scope import is_national
from pacte.api.auth import public_auth, read_auth, token_auth
from pacte.api.contracts.common import invalid, router, write
from pacte.api.errors import READ_ERRORS, WRITE_ERRORS
from pacte.api.fields import SingleLineStr
from pacte.api.money import Amount, Money, money
from pacte.contracts import perms, queries
from pacte.contracts.enums import YEARS
from pacte.contracts.envelopes import national_amounts
from pacte.contracts.models import NotifiedAllocation
from pacte.contracts.services import allocations
from pacte.territories.collectivites import collectivite_for
from pacte.territories.enums import Level
from pacte.territories.models import Territory


class AllocationOut(Schema):
    collectivite: str = Field(description="Identifiant de la collectivité (« departement-44 »)")
    collectivite_name: str
    territory: str = Field(description="Code du territoire principal de la collectivité")
    envelope: str = Field(description="solidarites, france_travail ou metropoles")
    year: int
    amount: Money = money("Plafond notifié")
    notified_on: date
    reference: str
    is_demo: bool = Field(description="Donnée fictive (démonstration)")
    lock_version: int = Field(description="À renvoyer pour corriger ce plafond")

    @staticmethod
    def resolve_collectivite(obj: NotifiedAllocation) -> str:
        return obj.collectivite.code

    @staticmethod
    def resolve_collectivite_name(obj: NotifiedAllocation) -> str:
        return obj.collectivite.name

    @staticmethod
    def resolve_territory(obj: NotifiedAllocation) -> str:
        return obj.collectivite.main_territory.code


class AllocationFilters(Schema):
    region: str | None = Field(None, description="Code INSEE de la région", max_length=3)
    envelope: str | None = Field(None, description="solidarites, france_travail ou metropoles")
    year: int | None = None


class AllocationPut(Schema):
    territory: SingleLineStr = Field(
        description="Code INSEE du département (« 44 », « 2A ») ou SIREN de la métropole",
        min_length=2,
        max_length=9,
    )
    envelope: SingleLineStr = Field(description="solidarites, france_travail ou metropoles")
    year: int
    amount: Amount = Field(description="Montant annuel notifié (€, nombre ou chaîne décimale)")
    notified_on: date
    reference: SingleLineStr = Field("", max_length=200)
    lock_version: int | None = Field(None, description="Pour corriger un plafond déjà notifié")


class NationalAmountOut(Schema):
    envelope: str
    envelope_label: str
    year: int
    amount: Money | None = money("Montant national publié ; null : non publié")
    source: str
    note: str


class TotalOut(Schema):
    envelope: str
    year: int
    notified: Money = money("Somme des plafonds notifiés du périmètre")
    national: Money | None = money("Montant national publié ; null : non publié")


def _region(user, code: str | None) -> Territory | None:
    """The région the caller reads: any (or France) for national steering, its own for a commissioner."""
    if not perms.can_view_allocations(user):
        raise HttpError(
            403,
            "Seuls le pilotage national et les commissaires à la lutte contre la pauvreté voient les plafonds notifiés.",
        )
    region = None
    if code:
        region = Territory.objects.filter(level__in=(Level.REGION, Level.COM), code=code).first()
        if region is None:
            raise HttpError(404, f"Région introuvable : {code}.")
    if not is_national(user):
        own = perms.user_region(user)
        if own is None or (region is not None and region != own):
            raise HttpError(403, "Un commissaire voit les plafonds de sa région.")
        region = own
    return region


@router.get(
    "/allocations/",
    response={200: list[AllocationOut], **READ_ERRORS},
    auth=read_auth,
    summary="Les plafonds notifiés aux collectivités, par enveloppe et par année (pilotage national, commissaires)",
)
def list_allocations(request, filters: Query[AllocationFilters]):
    region = _region(request.auth, filters.region)
    found = NotifiedAllocation.objects.select_related("collectivite__main_territory").order_by(
        "collectivite__main_territory__code", "envelope", "year"
    )
    if region is not None:
        found = found.filter(region.within_q("collectivite__main_territory__"))
    if filters.envelope:
        found = found.filter(envelope=filters.envelope)
    if filters.year:
        found = found.filter(year=filters.year)
    return list(found)


@router.get(
    "/allocations/totals",
    response={200: list[TotalOut], **READ_ERRORS},
    auth=read_auth,
    summary="Le total des plafonds notifiés par enveloppe et par année, avec le montant national publié",
)
def allocation_totals(request, region: str | None = None):
    rows = queries.allocation_rows(_region(request.auth, region))
    return [
        {"envelope": total.envelope, "year": year, "notified": notified, "national": national.amount}
        for total in queries.allocation_totals(rows)
        for year, (notified, national) in zip(YEARS, total.cells, strict=True)
    ]


@router.put(
    "/allocations/",
    response={200: AllocationOut, **WRITE_ERRORS},
    auth=token_auth,
    summary="Notifier (ou corriger) le plafond d'une collectivité pour une enveloppe et une année (pilotage national)",
)
@write
def put_allocation(request, payload: AllocationPut):
    if not perms.can_notify_allocations(request.auth):
        raise HttpError(403, "Seul le pilotage national notifie les plafonds.")
    territory = (
        Territory.objects.filter(
            Q(level=Level.DEPARTEMENT) | Q(level=Level.EPCI), code=payload.territory.upper()
        )
        .order_by("level")
        .first()
    )
    collectivite = collectivite_for(territory) if territory is not None else None
    if collectivite is None:
        raise invalid("territory", f"Aucune collectivité signataire pour « {payload.territory} ».")
    exists = NotifiedAllocation.objects.filter(
        collectivite=collectivite, envelope=payload.envelope, year=payload.year
    ).exists()
    if exists and payload.lock_version is None:
        raise invalid("lock_version", "Renvoyez la valeur « lock_version » lue pour corriger ce plafond.")
    return allocations.notify_allocation(
        collectivite,
        payload.envelope,
        payload.year,
        amount=payload.amount,
        notified_on=payload.notified_on,
        user=request.auth,
        reference=payload.reference,
        expected_version=payload.lock_version,
    )


@router.get(
    "/envelopes/",
    response=list[NationalAmountOut],
    auth=public_auth,
    summary="Les enveloppes nationales de crédits de l'État par année, avec leur source (« non publié » : null)",
)
def list_envelopes(request):
    return list(national_amounts().values())
