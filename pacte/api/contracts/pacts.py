"""The pactes locaux des solidarités (read): signed pacts are public, a draft is seen by its parties and national
steering; their share of the regional envelopes and their collected actions only by those who follow them. The
regional envelopes for the pactes locaux and their split among départements (national steering; a région's
commissioner and DDETS). The pages write (`pacte.contracts.services.pacts`); reads: `pacte.contracts.pact_queries`."""

from datetime import date, datetime

from ninja import Field, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from pacte.api.auth import public_auth, read_auth
from pacte.api.contracts.common import router
from pacte.api.errors import READ_ERRORS
from pacte.api.money import Money, money
from pacte.api.pagination import PageNumberPagination
from pacte.contracts import pact_queries, perms
from pacte.contracts.enums import PriorityPublic
from pacte.contracts.models.pacts import LocalPact


class PlaceOut(Schema):
    code: str
    name: str
    level: str


class PactPriorityOut(Schema):
    rank: int
    title: str
    action_plan: str
    pilot: str
    technical_committee: str


class PactSignatoryOut(Schema):
    rank: int
    organisation_id: int | None
    name: str
    contribution: str
    amount: Money | None = money("Contribution financière ; null : non chiffrée")


class PactFundingOut(Schema):
    year: int
    allocated: Money | None = money("Part de l'enveloppe régionale attribuée au département ; null : aucune")
    used: Money = money("Crédits des actions recueillies des pactes du département")
    own: Money = money("Crédits des actions recueillies de ce pacte")
    left: Money | None = money("Reste de la part du département ; null : aucune part")


class PactActionOut(Schema):
    number: int
    priority: int | None = Field(description="Rang de la priorité")
    title: str
    description: str
    carrier: str
    publics: list[str]
    other_publics: str
    year: int
    state_amount: Money = money("Crédits des pactes locaux")
    other_funding: Money = money("Autres financements")
    status: str
    people_reached: int | None
    follow_up: str
    updated_at: datetime
    lock_version: int


class PactOut(Schema):
    id: int
    territory: PlaceOut
    title: str
    period_start: int
    period_end: int
    signed_on: date | None
    is_demo: bool = Field(description="Donnée fictive (démonstration)")


class PactDetailOut(PactOut):
    diagnostic_summary: str
    perimeter: list[PlaceOut] = Field(description="EPCI ou communes ; vide : le territoire entier")
    priority_publics: list[str] = Field(description="Codes des publics prioritaires")
    priority_public_labels: list[str]
    priorities: list[PactPriorityOut]
    signatories: list[PactSignatoryOut]
    funding: list[PactFundingOut] | None = Field(
        description="Réservé à ceux qui suivent le pacte (sinon null)"
    )
    actions: list[PactActionOut] | None = Field(
        description="Réservé à ceux qui suivent le pacte (sinon null)"
    )


def _place(territory) -> dict:
    return {"code": territory.code, "name": territory.name, "level": territory.level}


def _pact(pact: LocalPact) -> dict:
    return {
        "id": pact.pk,
        "territory": _place(pact.territory),
        "title": pact.title,
        "period_start": pact.period_start,
        "period_end": pact.period_end,
        "signed_on": pact.signed_on,
        "is_demo": pact.is_demo,
    }


@router.get(
    "/pacts/",
    response=list[PactOut],
    auth=public_auth,
    summary="Pactes locaux des solidarités (signés ; brouillons de mon périmètre)",
)
@paginate(PageNumberPagination)
def list_pacts(request):
    pacts = LocalPact.objects.filter(perms.visible_pacts_q(request.auth)).select_related("territory")
    return [_pact(pact) for pact in pacts.order_by("territory__code", "pk")]


@router.get(
    "/pacts/{pact_id}",
    response={200: PactDetailOut, **READ_ERRORS},
    auth=public_auth,
    summary="Un pacte local : périmètre, priorités, publics, signataires ; sa part de l'enveloppe et ses actions",
)
def get_pact(request, pact_id: int):
    pact = LocalPact.objects.select_related("territory").filter(pk=pact_id).first()
    if pact is None or not perms.can_view_local_pact(request.auth, pact):
        raise HttpError(404, f"Pacte local introuvable : {pact_id}.")
    follows = perms.can_follow_local_pact(request.auth, pact)
    labels = dict(PriorityPublic.choices)
    return {
        **_pact(pact),
        "diagnostic_summary": pact.diagnostic_summary,
        "perimeter": [_place(territory) for territory in pact.perimeter.order_by("code")],
        "priority_publics": list(pact.priority_publics),
        "priority_public_labels": [labels.get(code, code) for code in pact.priority_publics],
        "priorities": list(pact.priorities.order_by("rank")),
        "signatories": [
            {
                "rank": row.rank,
                "organisation_id": row.organisation_id,
                "name": row.display_name,
                "contribution": row.contribution,
                "amount": row.amount,
            }
            for row in pact.signatories.select_related("organisation").order_by("rank")
        ],
        "funding": pact_queries.pact_funding(pact) if follows else None,
        "actions": [
            {
                **{name: getattr(action, name) for name in PactActionOut.model_fields if name != "priority"},
                "priority": action.priority.rank if action.priority_id else None,
            }
            for action in pact_queries.pact_actions(pact)
        ]
        if follows
        else None,
    }


class PactEnvelopeOut(Schema):
    id: int
    region: PlaceOut
    year: int
    amount: Money = money("Enveloppe régionale des pactes locaux")
    reference: str
    shared: Money = money("Total réparti entre les départements")
    left: Money = money("Reste à répartir")
    shared_at: datetime | None
    is_demo: bool
    lock_version: int


class PactShareOut(Schema):
    departement: PlaceOut
    allocated: Money | None = money("Part attribuée ; null : aucune")
    used: Money = money("Crédits des actions recueillies des pactes du département")
    pacts: list[int]


class PactEnvelopeDetailOut(PactEnvelopeOut):
    split: list[PactShareOut]


def _envelope(envelope) -> dict:
    return {
        "id": envelope.pk,
        "region": _place(envelope.region),
        "year": envelope.year,
        "amount": envelope.amount,
        "reference": envelope.reference,
        "shared": envelope.shared,
        "left": envelope.left,
        "shared_at": envelope.shared_at,
        "is_demo": envelope.is_demo,
        "lock_version": envelope.lock_version,
    }


def _visible_envelopes(request):
    if perms.visible_pact_envelopes_q(request.auth) is None:
        raise HttpError(
            403,
            "Les enveloppes des pactes locaux sont réservées au pilotage national, aux commissaires et aux DDETS.",
        )
    return pact_queries.listed_pact_envelopes(request.auth)


@router.get(
    "/pact-envelopes/",
    response={200: list[PactEnvelopeOut], **READ_ERRORS},
    auth=read_auth,
    summary="Les enveloppes régionales des pactes locaux (pilotage national ; commissaires et DDETS : leur région)",
)
def list_pact_envelopes(request):
    return [_envelope(envelope) for envelope in _visible_envelopes(request)]


@router.get(
    "/pact-envelopes/{envelope_id}",
    response={200: PactEnvelopeDetailOut, **READ_ERRORS},
    auth=read_auth,
    summary="Une enveloppe régionale et sa répartition entre les départements",
)
def get_pact_envelope(request, envelope_id: int):
    envelope = _visible_envelopes(request).filter(pk=envelope_id).first()
    if envelope is None:
        raise HttpError(404, f"Enveloppe introuvable : {envelope_id}.")
    split = [
        {
            "departement": _place(row["departement"]),
            "allocated": row["allocated"],
            "used": row["used"],
            "pacts": [pact.pk for pact in row["pacts"]],
        }
        for row in pact_queries.envelope_split(envelope)
    ]
    return {**_envelope(envelope), "split": split}
