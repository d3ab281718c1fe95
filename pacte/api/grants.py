"""Appels à projets and grants to associations (read only).

Published calls (open, closed or decided) are public; a draft exists only for the commissioner of its région
and national steering (404 for anyone else). The conventions listed are the public decided grants, the same
set as the open data in the SCDL « subventions » schema (pacte.grants.opendata). Candidatures are not public:
with a token or a session, an association lists its own, and the instruction side (commissioner, reviewers
of the call, DDETS of the project's département, national steering) those it follows
(pacte.grants.perms.can_see_details).
"""

from datetime import date, datetime

from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from pacte.api.auth import public_auth, read_auth
from pacte.api.errors import READ_ERRORS
from pacte.api.money import Money, money
from pacte.api.pagination import PageNumberPagination
from pacte.api.territories import TerritoryRef
from pacte.grants import perms, queries
from pacte.grants.enums import ApplicationStatus, CallStatus
from pacte.grants.models import Application, CallForProjects

router = Router(tags=["Appels à projets et subventions"])


# --- Calls --------------------------------------------------------------------------------------------


class CallRef(Schema):
    id: int
    reference: str
    title: str


class CallOut(Schema):
    id: int
    reference: str
    title: str
    region: TerritoryRef
    owner: str = Field(description="Le service porteur (préfecture de région)")
    status: str = Field(
        description="brouillon, publie, clos ou decide : le statut calculé, clos dès la date limite"
    )
    status_label: str
    opens_at: datetime
    deadline: datetime = Field(description="Date limite de dépôt des candidatures")
    accepting: bool = Field(description="Ouvert aux candidatures en ce moment")
    total_budget: Money = money("Enveloppe totale")
    max_amount_per_year: Money = money("Montant maximal par projet et par an")
    years: list[int] = Field(description="Années finançables")
    axes: list[int] = Field(description="Numéros des axes du Pacte visés")
    selected_count: int = Field(description="Projets retenus")
    is_demo: bool
    url: str

    @staticmethod
    def resolve_owner(obj: CallForProjects) -> str:
        return obj.owner.name

    @staticmethod
    def resolve_status(obj: CallForProjects) -> str:
        return obj.current_status

    @staticmethod
    def resolve_status_label(obj: CallForProjects) -> str:
        return obj.get_current_status_display()

    @staticmethod
    def resolve_years(obj: CallForProjects) -> list[int]:
        return list(obj.years)

    @staticmethod
    def resolve_axes(obj: CallForProjects) -> list[int]:
        return sorted(axis.number for axis in obj.axes.all())

    @staticmethod
    def resolve_url(obj: CallForProjects) -> str:
        return obj.get_absolute_url()


class CriterionOut(Schema):
    order: int
    label: str
    description: str
    weight: int = Field(description="Pondération")
    max_score: int = Field(description="Note maximale")


class CallDetailOut(CallOut):
    description: str
    eligibility: str = Field(description="Conditions d'éligibilité")
    measures: list[str] = Field(description="Codes des mesures du Pacte visées")
    criteria: list[CriterionOut] = Field(description="Critères de sélection")
    published_at: datetime | None
    closed_at: datetime | None
    decided_at: datetime | None

    @staticmethod
    def resolve_measures(obj: CallForProjects) -> list[str]:
        return sorted(measure.code for measure in obj.measures.all())

    @staticmethod
    def resolve_criteria(obj: CallForProjects) -> list:
        return list(obj.criteria.all())


class CallFilters(Schema):
    region: str | None = Field(None, max_length=3, description="Code INSEE de la région")
    status: CallStatus | None = Field(None, description="Statut calculé")


def _calls(request):
    return queries.visible_calls(request.auth).prefetch_related("axes")


@router.get(
    "/grants/calls/",
    response=list[CallOut],
    auth=public_auth,
    summary="Appels à projets (publiés ; brouillons : leur commissaire et le pilotage national)",
)
@paginate(PageNumberPagination)
def list_calls(request, filters: Query[CallFilters]):
    calls = _calls(request)
    if filters.region:
        calls = calls.filter(region__code=filters.region)
    if filters.status:
        calls = calls.filter(queries.call_status_q(filters.status))
    return calls


@router.get(
    "/grants/calls/{call_id}",
    response={200: CallDetailOut, **READ_ERRORS},
    auth=public_auth,
    summary="Un appel à projets : critères, enveloppe, date limite, statut",
)
def get_call(request, call_id: int):
    call = _calls(request).prefetch_related("measures", "criteria").filter(pk=call_id).first()
    if call is None or not perms.can_view_call(request.auth, call):
        raise HttpError(404, f"Appel à projets introuvable : {call_id}.")
    return call


# --- Conventions (public decided grants) --------------------------------------------------------------


class GrantYearOut(Schema):
    year: int
    amount: Money = money("Montant attribué")


class AgreementOut(Schema):
    id: int
    number: str = Field(description="Numéro de la convention")
    decision_reference: str
    signed_on: date
    start_date: date
    end_date: date
    call: CallRef
    beneficiary: str = Field(description="L'association bénéficiaire")
    beneficiary_siret: str
    project_title: str
    axis: int = Field(description="Numéro de l'axe du Pacte")
    territory: TerritoryRef = Field(description="Le territoire d'action du projet")
    years: list[GrantYearOut] = Field(description="Montants attribués par année")
    total: Money = money("Montant total attribué")
    is_demo: bool
    url: str

    @staticmethod
    def resolve_call(obj) -> CallForProjects:
        return obj.application.call

    @staticmethod
    def resolve_beneficiary(obj) -> str:
        return obj.application.organisation.name

    @staticmethod
    def resolve_beneficiary_siret(obj) -> str:
        return obj.application.siret

    @staticmethod
    def resolve_project_title(obj) -> str:
        return obj.application.project_title

    @staticmethod
    def resolve_axis(obj) -> int:
        return obj.application.axis.number

    @staticmethod
    def resolve_territory(obj):
        return obj.application.territory

    @staticmethod
    def resolve_years(obj) -> list:
        return list(obj.years.all())

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class AgreementFilters(Schema):
    call: int | None = Field(None, description="Identifiant de l'appel à projets")
    region: str | None = Field(None, max_length=3, description="Code INSEE de la région de l'appel")
    year: int | None = Field(None, description="Année financée")


@router.get(
    "/grants/agreements/",
    response=list[AgreementOut],
    auth=public_auth,
    summary="Subventions attribuées (données ouvertes, schéma SCDL « subventions »)",
)
@paginate(PageNumberPagination)
def list_agreements(request, filters: Query[AgreementFilters]):
    return queries.public_agreements(call=filters.call, region=filters.region, year=filters.year)


# --- Candidatures (not public) ------------------------------------------------------------------------


class RequestedOut(Schema):
    year: int
    requested: Money = money("Montant demandé")


class ApplicationOut(Schema):
    id: int
    reference: str
    call: CallRef
    organisation: str = Field(description="L'association candidate")
    project_title: str
    axis: int
    territory: TerritoryRef
    status: str = Field(description="brouillon, deposee, instruction, retenue, non_retenue ou retiree")
    status_label: str
    requested: list[RequestedOut] = Field(description="Montants demandés par année")
    total_cost: Money = money("Coût total du projet")
    submitted_at: datetime | None
    decided_at: datetime | None
    is_demo: bool
    url: str

    @staticmethod
    def resolve_organisation(obj: Application) -> str:
        return obj.organisation.name

    @staticmethod
    def resolve_axis(obj: Application) -> int:
        return obj.axis.number

    @staticmethod
    def resolve_status_label(obj: Application) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_requested(obj: Application) -> list:
        return list(obj.amounts.all())

    @staticmethod
    def resolve_url(obj: Application) -> str:
        return obj.get_absolute_url()


class ApplicationFilters(Schema):
    call: int | None = Field(None, description="Identifiant de l'appel à projets")
    status: ApplicationStatus | None = None


@router.get(
    "/grants/applications/",
    response={200: list[ApplicationOut], **READ_ERRORS},
    auth=read_auth,
    summary="Mes candidatures (association) ou celles que j'instruis (commissaire, évaluateur, DDETS)",
)
@paginate(PageNumberPagination)
def list_applications(request, filters: Query[ApplicationFilters]):
    # The public selected candidatures of others stay out: only the user's own and those it instructs.
    return queries.followed_applications(request.auth, call=filters.call, status=filters.status)
