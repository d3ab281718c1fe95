"""Governance of the Pacte (read only): instances (with the contracts each steers as comité de pilotage), their
meetings and their decisions; the stakeholders of the concertation.

The visibility rules are those of pacte.governance.perms, the reads those of pacte.governance.queries (the
pages use the same): a public instance, its meetings and its decisions that are not reserved to members are
read by everyone; a private instance exists only for its members and its managers (404 for anyone else), who
also read the decisions reserved to members (`perms.visible_decisions`). The members' e-mail addresses are
never given; the text of the minutes only to whom perms.can_view_minutes allows; the contracts an instance steers
only those the caller may see (contracts.perms). The stakeholder registry is public, its contacts are not given.
The regional roadmaps (`/feuilles-de-route/`): their published version for everyone, their working version for
whom perms.can_read_roadmap_draft allows.
"""

from datetime import date, datetime, timedelta

from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from pacte.api.auth import public_auth
from pacte.api.errors import READ_ERRORS
from pacte.api.pagination import PageNumberPagination
from pacte.api.territories import TerritoryRef
from pacte.contracts import perms as contract_perms
from pacte.contracts.models import Contract
from pacte.core.collation import french
from pacte.governance import perms, queries
from pacte.governance.enums import CommitteeKind, DecisionStatus, StakeholderCategory
from pacte.governance.models import Committee, Decision, Meeting, Minutes, Stakeholder, SteeredContract
from pacte.governance.roadmap_models import Roadmap
from pacte.governance.services import roadmap as roadmap_services

router = Router(tags=["Gouvernance du Pacte"])


# --- Visibility ---------------------------------------------------------------------------------------


def _committee(request, committee_id: int) -> Committee:
    committee = (
        Committee.objects.select_related("territory", "axis", "secretariat", "concertation_theme")
        .filter(pk=committee_id)
        .first()
    )
    if committee is None or not perms.can_view_committee(request.auth, committee):
        raise HttpError(404, f"Instance introuvable : {committee_id}.")
    return committee


def _meeting(request, meeting_id: int) -> Meeting:
    meeting = (
        Meeting.objects.select_related("committee__territory", "concertation_theme")
        .filter(pk=meeting_id)
        .first()
    )
    if meeting is None or not perms.can_view_committee(request.auth, meeting.committee):
        raise HttpError(404, f"Réunion introuvable : {meeting_id}.")
    return meeting


# --- Committees ---------------------------------------------------------------------------------------


class CommitteeRef(Schema):
    id: int
    name: str
    kind: str


class CommitteeOut(Schema):
    id: int
    kind: str = Field(
        description="copil_regional, comite_suivi_axe, conference_regionale, gt_regional…, gouvernance_commune "
        "(France Travail et solidarités, département), comite_departemental_emploi (depuis le 1er juillet 2024)"
    )
    kind_label: str
    name: str
    territory: TerritoryRef | None = Field(description="Vide pour une instance nationale")
    axis: int | None = Field(description="Numéro de l'axe du Pacte, pour un comité de suivi par axe")
    theme: str
    is_public: bool = Field(
        description="Instance publique ; sinon réservée à ses membres et à ses gestionnaires"
    )
    is_active: bool
    cadence: str = Field(description="Nombre de réunions par an prévu")
    is_demo: bool = Field(description="Donnée fictive (démonstration)")
    updated_at: datetime
    url: str

    @staticmethod
    def resolve_kind_label(obj: Committee) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_axis(obj: Committee) -> int | None:
        return obj.axis.number if obj.axis_id else None

    @staticmethod
    def resolve_cadence(obj: Committee) -> str:
        return obj.cadence_label

    @staticmethod
    def resolve_url(obj: Committee) -> str:
        return obj.get_absolute_url()


class SteeredContractOut(Schema):
    id: int = Field(
        description="Identifiant du contrat initial (ses avenants partagent son comité de pilotage)"
    )
    title: str
    kind: str = Field(description="departement, france_travail, globale ou metropole")
    kind_label: str
    territory: TerritoryRef
    status: str
    linked_at: datetime = Field(description="Rattaché à l'instance le")
    url: str

    @staticmethod
    def resolve_id(obj: SteeredContract) -> int:
        return obj.contract_id

    @staticmethod
    def resolve_title(obj: SteeredContract) -> str:
        return obj.contract.title

    @staticmethod
    def resolve_kind(obj: SteeredContract) -> str:
        return obj.contract.kind

    @staticmethod
    def resolve_kind_label(obj: SteeredContract) -> str:
        return obj.contract.get_kind_display()

    @staticmethod
    def resolve_territory(obj: SteeredContract):
        return obj.contract.territory

    @staticmethod
    def resolve_status(obj: SteeredContract) -> str:
        return obj.contract.status

    @staticmethod
    def resolve_url(obj: SteeredContract) -> str:
        return obj.contract.get_absolute_url()


class CommitteeDetailOut(CommitteeOut):
    description: str
    secretariat: str | None = Field(description="L'organisation qui assure le secrétariat")
    concertation_theme: str | None = Field(description="Code du thème de la concertation")
    members_count: int = Field(description="Membres en fonction")
    meetings_count: int
    next_meeting: datetime | None = Field(description="Prochaine réunion non annulée")
    steered_contracts: list[SteeredContractOut] = Field(
        description="Les contrats dont l'instance est le comité de pilotage (ceux que vous pouvez consulter)"
    )

    @staticmethod
    def resolve_steered_contracts(obj: Committee) -> list[SteeredContract]:
        return obj.visible_steered_contracts

    @staticmethod
    def resolve_secretariat(obj: Committee) -> str | None:
        return obj.secretariat.name if obj.secretariat_id else None

    @staticmethod
    def resolve_concertation_theme(obj: Committee) -> str | None:
        return obj.concertation_theme.code if obj.concertation_theme_id else None


class CommitteeFilters(Schema):
    territory: str | None = Field(
        None, max_length=9, description="Code INSEE du territoire de l'instance (région, département…)"
    )
    kind: CommitteeKind | None = Field(None, description="Type d'instance")
    contract: int | None = Field(
        None, description="Identifiant d'un contrat (ou d'un de ses avenants) : les instances qui le pilotent"
    )


@router.get(
    "/governance/committees/",
    response=list[CommitteeOut],
    auth=public_auth,
    summary="Instances du Pacte (publiques ; privées : leurs membres et gestionnaires)",
)
@paginate(PageNumberPagination)
def list_committees(request, filters: Query[CommitteeFilters]):
    committees = queries.visible_committees(request.auth).select_related("territory", "axis")
    if filters.territory:
        committees = committees.filter(territory__code=filters.territory)
    if filters.kind:
        committees = committees.filter(kind=filters.kind)
    if filters.contract is not None:
        contract = Contract.objects.filter(contract_perms.visible_contracts_q(request.auth)).filter(
            pk=filters.contract
        )
        committees = committees.filter(
            steered_contracts__contract__in=contract.values(root_or_self=Coalesce("root_id", "pk"))
        )
    return committees.order_by("territory__level", "territory__code", "kind", french("name"), "pk")


@router.get(
    "/governance/committees/{committee_id}",
    response={200: CommitteeDetailOut, **READ_ERRORS},
    auth=public_auth,
    summary="Une instance : rôle, secrétariat, membres en fonction, réunions",
)
def get_committee(request, committee_id: int):
    committee = _committee(request, committee_id)
    for name, value in queries.committee_figures(committee).items():
        setattr(committee, name, value)
    committee.visible_steered_contracts = list(queries.steered_contracts(request.auth, committee))
    return committee


# --- Meetings -----------------------------------------------------------------------------------------


class MeetingOut(Schema):
    id: int
    committee: CommitteeRef
    title: str
    starts_at: datetime
    ends_at: datetime
    place: str
    status: str = Field(description="planifiee, convoquee, tenue ou annulee")
    status_label: str
    cancel_reason: str
    is_demo: bool
    url: str

    @staticmethod
    def resolve_status_label(obj: Meeting) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_url(obj: Meeting) -> str:
        return obj.get_absolute_url()


class AgendaItemOut(Schema):
    order: int
    title: str


class AttendanceCountOut(Schema):
    category: str = Field(
        description="Collège : services_etat, collectivites, associations…, organisations_syndicales, entreprises"
    )
    category_label: str
    invited: int = Field(description="Membres convoqués (toutes réponses)")
    present: int
    excused: int
    absent: int


class MinutesOut(Schema):
    status: str = Field(description="brouillon (projet) ou valide")
    validated_at: datetime | None
    text: str


class MeetingDetailOut(MeetingOut):
    visio_url: str
    details: str = Field(description="Informations pratiques")
    concertation_theme: str | None
    participants_count: int | None = Field(description="Pour une conférence ouverte : participants")
    agenda: list[AgendaItemOut] = Field(description="Ordre du jour")
    attendance: list[AttendanceCountOut] = Field(description="Présences par collège (jamais nominatives)")
    minutes_exist: bool = Field(description="Un compte rendu existe")
    minutes: MinutesOut | None = Field(
        description="Le compte rendu, pour les membres (validé) et les gestionnaires de l'instance"
    )

    @staticmethod
    def resolve_concertation_theme(obj: Meeting) -> str | None:
        return obj.concertation_theme.code if obj.concertation_theme_id else None

    @staticmethod
    def resolve_minutes(obj: Meeting) -> Minutes | None:
        return obj.readable_minutes


class MeetingFilters(Schema):
    committee: int | None = Field(None, description="Identifiant de l'instance")
    start: date | None = Field(None, alias="from", description="Réunions commençant ce jour ou après")
    end: date | None = Field(None, alias="to", description="Réunions commençant ce jour ou avant")


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


@router.get(
    "/governance/meetings/",
    response=list[MeetingOut],
    auth=public_auth,
    summary="Réunions des instances visibles, par date",
)
@paginate(PageNumberPagination)
def list_meetings(request, filters: Query[MeetingFilters]):
    meetings = queries.visible_meetings(request.auth).select_related("committee")
    if filters.committee is not None:
        meetings = meetings.filter(committee_id=filters.committee)
    if filters.start:
        meetings = meetings.filter(starts_at__gte=_day_start(filters.start))
    if filters.end:
        meetings = meetings.filter(starts_at__lt=_day_start(filters.end + timedelta(days=1)))
    return meetings.order_by("starts_at", "pk")


@router.get(
    "/governance/meetings/{meeting_id}",
    response={200: MeetingDetailOut, **READ_ERRORS},
    auth=public_auth,
    summary="Une réunion : ordre du jour, présences par collège, compte rendu pour les membres",
)
def get_meeting(request, meeting_id: int):
    meeting = _meeting(request, meeting_id)
    meeting.agenda = list(meeting.agenda_items.order_by("order"))
    meeting.attendance = queries.attendance_by_college(meeting)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    meeting.minutes_exist = minutes is not None
    if minutes is not None:
        minutes.meeting = meeting
    meeting.readable_minutes = minutes if minutes and perms.can_view_minutes(request.auth, minutes) else None
    return meeting


# --- Decisions ----------------------------------------------------------------------------------------


class MeetingRef(Schema):
    id: int
    title: str
    starts_at: datetime


class DecisionOut(Schema):
    id: int
    committee: CommitteeRef
    meeting: MeetingRef
    number: int
    text: str
    owner: str = Field(description="Porteur : le membre ou l'organisation")
    due_date: date | None = Field(description="Échéance")
    status: str = Field(description="a_faire, en_cours, faite ou abandonnee")
    status_label: str
    is_late: bool = Field(description="Ouverte et son échéance est passée")
    follow_up: str = Field(description="Suivi")
    is_confidential: bool = Field(description="Réservée aux membres de l'instance")
    closed_on: date | None
    is_demo: bool
    updated_at: datetime
    url: str

    @staticmethod
    def resolve_committee(obj: Decision) -> Committee:
        return obj.meeting.committee

    @staticmethod
    def resolve_owner(obj: Decision) -> str:
        return obj.owner_label

    @staticmethod
    def resolve_status_label(obj: Decision) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_url(obj: Decision) -> str:
        return obj.get_absolute_url()


class DecisionFilters(Schema):
    committee: int | None = Field(None, description="Identifiant de l'instance")
    status: DecisionStatus | None = None
    late: bool | None = Field(None, description="true : les décisions ouvertes dont l'échéance est passée")


@router.get(
    "/governance/decisions/",
    response=list[DecisionOut],
    auth=public_auth,
    summary="Relevé de décisions (publiques ; réservées aux membres pour les membres et gestionnaires)",
)
@paginate(PageNumberPagination)
def list_decisions(request, filters: Query[DecisionFilters]):
    decisions = perms.visible_decisions(request.auth, Decision.objects.all()).select_related(
        *queries.DECISION_RELATED
    )
    if filters.committee is not None:
        decisions = decisions.filter(meeting__committee_id=filters.committee)
    if filters.status:
        decisions = decisions.filter(status=filters.status)
    if filters.late is True:
        decisions = decisions.filter(queries.late_q())
    elif filters.late is False:
        decisions = decisions.exclude(queries.late_q())
    return decisions.order_by("meeting__starts_at", "meeting_id", "number")


# --- Stakeholders of the concertation -----------------------------------------------------------------


class StakeholderOut(Schema):
    id: int
    name: str
    category: str = Field(
        description="Famille d'acteurs : associations_collectivites, associations_lutte, securite_sociale, "
        "operateurs_etat, services_etat, personnes_concernees, cnle, organisations_syndicales, entreprises"
    )
    category_label: str
    description: str
    website: str
    is_demo: bool = Field(description="Donnée fictive (démonstration)")

    @staticmethod
    def resolve_category_label(obj: Stakeholder) -> str:
        return obj.get_category_display()


class StakeholderFilters(Schema):
    category: StakeholderCategory | None = Field(None, description="Famille d'acteurs")


@router.get(
    "/governance/stakeholders/",
    response=list[StakeholderOut],
    auth=public_auth,
    summary="Parties prenantes de la concertation (registre public, sans les contacts)",
)
@paginate(PageNumberPagination)
def list_stakeholders(request, filters: Query[StakeholderFilters]):
    stakeholders = Stakeholder.objects.all()
    if filters.category:
        stakeholders = stakeholders.filter(category=filters.category)
    return stakeholders.order_by("category", french("name"), "pk")


# --- Regional roadmaps (feuilles de route régionales) -------------------------------------------------------
#
# A published roadmap is read by everyone in its published version (`published`, frozen at publication, the
# version of the public page). Its working version (`working`: edits since, or a roadmap never published) is read
# only by whom `perms.can_read_roadmap_draft` allows (the commissioner of its région, national steering, the DDETS
# of the région); a roadmap never published exists for no one else (404). A source decision is linked in the
# published version only when the public may read it (`services.roadmap.roadmap_content`).


class RoadmapActionOut(Schema):
    id: int = Field(alias="pk")
    number: int
    title: str
    description: str
    owner: str = Field(description="Pilote : l'organisation, ou un service hors plateforme")
    partners: list[str]
    due_date: date | None = Field(description="Échéance")
    status: str = Field(description="a_engager, en_cours, realisee, abandonnee ou reportee")
    status_label: str
    source: str = Field(description="La décision d'instance dont l'action vient (vide sinon)")
    source_url: str


class RoadmapObjectiveOut(Schema):
    id: int = Field(alias="pk")
    number: int
    title: str
    axis: str = Field(description="L'axe du Pacte visé (vide sinon)")
    actions: list[RoadmapActionOut]


class RoadmapContentOut(Schema):
    title: str
    objectives: list[RoadmapObjectiveOut]


class RoadmapOut(Schema):
    id: int
    region: TerritoryRef
    year: int
    title: str
    status: str = Field(description="brouillon ou publiee")
    status_label: str
    publication_number: int = Field(description="Numéro de la dernière version publiée (0 : jamais publiée)")
    published_at: datetime | None
    working_version_readable: bool = Field(
        description="L'appelant lit la version de travail (commissaire de la région, DDETS de la région, "
        "pilotage national)"
    )
    is_demo: bool = Field(description="Donnée fictive (démonstration)")
    updated_at: datetime
    url: str = Field(description="La page que l'appelant peut lire : version de travail ou version publiée")


class RoadmapDetailOut(RoadmapOut):
    published: RoadmapContentOut | None = Field(description="La version publiée (vide si jamais publiée)")
    working: RoadmapContentOut | None = Field(
        description="La version de travail, pour qui peut la lire (vide sinon)"
    )


class RoadmapFilters(Schema):
    region: str | None = Field(None, description="Code INSEE de la région")
    year: int | None = Field(None, description="Année de la feuille de route")


def _roadmap_content(content: dict | None) -> dict | None:
    if content is None:
        return None
    return {
        "title": content["title"],
        "objectives": [
            {
                **objective,
                "actions": [
                    {
                        **action,
                        "due_date": date.fromisoformat(action["due_date"]) if action["due_date"] else None,
                        "source": (action.get("source") or {}).get("label", ""),
                        "source_url": (action.get("source") or {}).get("url", ""),
                    }
                    for action in objective["actions"]
                ],
            }
            for objective in content["objectives"]
        ],
    }


def _roadmap_row(user, roadmap: Roadmap) -> Roadmap:
    readable = perms.can_read_roadmap_draft(user, roadmap.region)
    roadmap.working_version_readable = readable
    roadmap.status_label = roadmap.get_status_display()
    roadmap.url = roadmap.get_absolute_url() if readable else roadmap.get_public_url()
    return roadmap


@router.get(
    "/feuilles-de-route/",
    response=list[RoadmapOut],
    auth=public_auth,
    summary="Feuilles de route régionales (publiées ; version de travail pour qui peut la lire)",
)
@paginate(PageNumberPagination)
def list_roadmaps(request, filters: Query[RoadmapFilters]):
    user = request.auth
    rows = Roadmap.objects.select_related("region").filter(
        roadmap_services.readable_roadmaps_q(user) | Q(published_content__isnull=False)
    )
    if filters.region:
        rows = rows.filter(region__code=filters.region)
    if filters.year is not None:
        rows = rows.filter(year=filters.year)
    return [_roadmap_row(user, roadmap) for roadmap in rows.order_by("region__code", "-year", "pk")]


@router.get(
    "/feuilles-de-route/{roadmap_id}",
    response={200: RoadmapDetailOut, **READ_ERRORS},
    auth=public_auth,
    summary="Une feuille de route régionale : objectifs et actions (version publiée, version de travail)",
)
def get_roadmap(request, roadmap_id: int):
    user = request.auth
    roadmap = Roadmap.objects.select_related("region").filter(pk=roadmap_id).first()
    if roadmap is None or not (roadmap.is_published or perms.can_read_roadmap_draft(user, roadmap.region)):
        raise HttpError(404, f"Feuille de route introuvable : {roadmap_id}.")
    roadmap = _roadmap_row(user, roadmap)
    roadmap.published = _roadmap_content(roadmap.published_content)
    roadmap.working = (
        _roadmap_content(roadmap_services.roadmap_content(roadmap, public=False))
        if roadmap.working_version_readable
        else None
    )
    return roadmap
