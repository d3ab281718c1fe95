"""Appels à projets and grants to associations (read only).

Published calls (open, closed or decided) are public; a draft exists only for the commissioner of its région
and national steering (404 for anyone else). The grants listed are the public decided grants, the same set as
the open data in the SCDL « subventions » schema (pacte.grants.opendata), each with its act (convention or
arrêté attributif) and whether a convention is required (above 23 000 € a year for the association). Candidatures
are not public: with a token or a session, an association lists its own, and the instruction side (commissioner,
reviewers of the call, DDETS of the project's département, national steering) those it follows
(pacte.grants.perms.can_see_details). The yearly follow-up of a grant (advance, balance, reports due) and the list
of reports due are for those who follow the grant (pacte.grants.perms.can_follow_agreement). The rules and their
sources: pacte.grants.rules.
"""

from datetime import date, datetime
from decimal import Decimal

from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from pacte.api.auth import public_auth, read_auth
from pacte.api.errors import READ_ERRORS
from pacte.api.money import Money, money
from pacte.api.pagination import PageNumberPagination
from pacte.api.territories import TerritoryRef
from pacte.grants import perms, queries, rules
from pacte.grants.enums import ApplicationStatus, CallStatus
from pacte.grants.models import Application, CallForProjects, GrantAgreement

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
    years: list[int] = Field(description="Années finançables (un projet dure de 1 à 4 ans)")
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
    report_due_on: date = Field(
        description="Date limite du compte rendu financier de l'année : six mois après sa fin (30 juin suivant)"
    )


class AgreementOut(Schema):
    id: int
    number: str = Field(
        description="Numéro : « CPO-… » convention pluriannuelle d'objectifs (2 à 4 ans), « CAO-… » convention "
        "annuelle d'objectifs, « AAS-… » arrêté attributif de subvention"
    )
    former_number: str = Field(
        description="Ancien numéro « CPO-… » d'une subvention d'un an renumérotée en 2026 (vide sinon)"
    )
    act: str = Field(description="convention ou arrete (arrêté attributif de subvention)")
    act_label: str = Field(
        description="Convention pluriannuelle d'objectifs, Convention annuelle d'objectifs ou Arrêté attributif de "
        "subvention"
    )
    multi_year: bool = Field(
        description="Subvention de plusieurs années (convention pluriannuelle d'objectifs)"
    )
    convention_required: bool = Field(
        description="Une convention est obligatoire : l'attribuant accorde à l'association plus de 23 000 € une "
        "des années de la subvention, toutes ses subventions comprises (loi n° 2000-321, art. 10 ; décret "
        "n° 2001-495)"
    )
    beneficiary_peak: Money = money(
        "Sur les années de la subvention, le plus haut total annuel accordé à l'association par l'attribuant"
    )
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
    def resolve_act_label(obj: GrantAgreement) -> str:
        return obj.kind_label

    @staticmethod
    def resolve_multi_year(obj: GrantAgreement) -> bool:
        return obj.is_multi_year

    @staticmethod
    def resolve_convention_required(obj) -> bool:
        return bool(obj.beneficiary_peak and rules.needs_convention({0: obj.beneficiary_peak}))

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


# --- Follow-up of a grant and reports due (those who follow the grant) ---------------------------------------


class FollowUpYearOut(Schema):
    year: int
    amount: Money = money("Montant attribué")
    paid: Money = money("Montant versé")
    remaining: Money = money("Reste à verser")
    awaited_report: int | None = Field(
        description="Année dont le compte rendu validé conditionne le solde (vide : rien n'est attendu)"
    )
    advance_cap: Money | None = money(
        "Avance possible tant que ce compte rendu n'est pas validé : la part fixée (GRANTS_ADVANCE_SHARE, 50 % par "
        "défaut) du montant de l'année ; vide quand rien n'est attendu"
    )
    payable: Money = money("Versable maintenant")
    report_status: str | None = Field(
        description="brouillon, depose, renvoye ou valide ; vide : non commencé"
    )
    report_due_on: date = Field(
        description="Date limite du compte rendu financier (30 juin de l'année suivante)"
    )
    report_late: bool = Field(description="Compte rendu non déposé après sa date limite")

    @staticmethod
    def resolve_report_status(obj) -> str | None:
        return obj.report.status if obj.report is not None else None

    @staticmethod
    def resolve_report_due_on(obj) -> date:
        return obj.due_on


class FollowUpOut(Schema):
    id: int
    number: str
    act_label: str
    advance_share: Decimal = Field(description="Part d'une année versable en avance, de 0 à 1")
    years: list[FollowUpYearOut]


@router.get(
    "/grants/agreements/{agreement_id}/follow-up",
    response={200: FollowUpOut, **READ_ERRORS},
    auth=read_auth,
    summary="Suivi d'une subvention : versements, avance, solde et comptes rendus (association, commissaire, "
    "DDETS du département, pilotage national)",
)
def get_follow_up(request, agreement_id: int):
    agreement = (
        GrantAgreement.objects.select_related("application__call", "application__territory__departement")
        .filter(pk=agreement_id)
        .first()
    )
    if agreement is None:
        raise HttpError(404, f"Subvention introuvable : {agreement_id}.")
    if not perms.can_follow_agreement(request.auth, agreement):
        raise HttpError(
            403,
            "Le suivi d'une subvention est réservé à l'association, au commissaire de la région, à la DDETS du "
            "département du projet et au pilotage national.",
        )
    return {
        "id": agreement.pk,
        "number": agreement.number,
        "act_label": agreement.kind_label,
        "advance_share": rules.advance_share(),
        "years": queries.follow_up(agreement),
    }


class ReportDueOut(Schema):
    agreement: int = Field(alias="agreement.pk", description="Identifiant de la subvention")
    number: str = Field(alias="agreement.number", description="Numéro de la subvention")
    organisation: str = Field(alias="agreement.application.organisation.name", description="L'association")
    year: int
    due_on: date = Field(description="Date limite : 30 juin de l'année suivante")
    state: str = Field(description="a_deposer, en_retard, renvoye ou a_examiner")
    state_label: str = Field(alias="get_state_display")
    late: bool = Field(description="Non déposé après la date limite")
    last_reminder_at: datetime | None = Field(
        None, alias="last_reminder.sent_at", description="Dernière relance envoyée par courriel"
    )


@router.get(
    "/grants/reports/",
    response={200: list[ReportDueOut], **READ_ERRORS},
    auth=read_auth,
    summary="Comptes rendus attendus (à déposer, en retard, à examiner) des subventions que je suis",
)
@paginate(PageNumberPagination)
def list_reports_due(request):
    if not perms.can_list_reports(request.auth):
        raise HttpError(
            403,
            "La liste est réservée aux associations, aux commissaires, aux DDETS et au pilotage national.",
        )
    return queries.reports_due(request.auth)
