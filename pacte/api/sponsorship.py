"""Mécénat de proximité (read only): the projects open to sponsorship and, for those who follow a project, its
pledges.

The rules are those of pacte.sponsorship.perms, as on the pages: a project published with its association's
consent, whose deadline has not passed, is public (the public page `/mecenat/`); the association, the commissioner
of the call's région and national steering also list the projects they follow (`followed_projects_q`, withdrawn
or past their deadline included) and read their pledges (`follows_project`); anyone else gets a 404 for a
project that is not public. A company is named publicly only with its consent and once the association accepted
its pledge (`supporters`); its SIRET, address and contact are never given.
"""

from datetime import date, datetime

from django.db.models import Q
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate

from pacte.api.auth import public_auth
from pacte.api.errors import READ_ERRORS
from pacte.api.money import Money, money
from pacte.api.pagination import PageNumberPagination
from pacte.api.territories import TerritoryRef
from pacte.sponsorship import perms, queries
from pacte.sponsorship.models import PublishedProject

router = Router(tags=["Mécénat de proximité"])

PROJECT_RELATED = ("application__organisation", "application__territory", "application__call__region")


class ProjectOut(Schema):
    id: int
    title: str = Field(description="Titre du projet retenu à l'appel à projets")
    association: str
    territory: TerritoryRef = Field(description="Le territoire du projet")
    region: TerritoryRef = Field(description="La région de l'appel à projets")
    money_wanted: Money | None = money("Montant recherché (vide : aucun)")
    skills_wanted: str = Field(description="Compétences recherchées")
    goods_wanted: str = Field(description="Biens recherchés (mécénat en nature)")
    deadline: date = Field(description="Date limite des promesses")
    status: str = Field(description="publie ou retire")
    status_label: str
    is_public: bool = Field(description="Sur la page publique (publié avec l'accord de l'association)")
    is_demo: bool = Field(description="Donnée fictive (démonstration)")
    url: str

    @staticmethod
    def resolve_title(obj: PublishedProject) -> str:
        return obj.application.project_title

    @staticmethod
    def resolve_association(obj: PublishedProject) -> str:
        return obj.application.organisation.name

    @staticmethod
    def resolve_territory(obj: PublishedProject):
        return obj.application.territory

    @staticmethod
    def resolve_region(obj: PublishedProject):
        return obj.application.call.region

    @staticmethod
    def resolve_status_label(obj: PublishedProject) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_url(obj: PublishedProject) -> str:
        return obj.get_absolute_url()


class PledgeOut(Schema):
    id: int
    company: str = Field(description="Raison sociale de l'entreprise (jamais son SIRET ni son contact)")
    kind: str = Field(description="financier, competences ou nature")
    kind_label: str
    amount: Money | None = money("Montant promis, pour un mécénat financier")
    description: str
    status: str = Field(description="proposee, acceptee, declinee ou realisee")
    status_label: str
    proposed_at: datetime
    decided_at: datetime | None = Field(description="Réponse de l'association le")
    delivered_at: datetime | None = Field(description="Réalisée le")
    delivered_note: str = Field(description="Ce qui a été donné")
    is_demo: bool


class ProjectDetailOut(ProjectOut):
    supporters: list[str] = Field(
        description="Entreprises dont l'association a accepté la promesse et qui acceptent d'être nommées"
    )
    pledges: list[PledgeOut] | None = Field(
        description="Les promesses, pour l'association, le commissaire de la région et le pilotage national "
        "(vide sinon)"
    )

    @staticmethod
    def resolve_pledges(obj: PublishedProject) -> list[dict] | None:
        return obj.pledges_out


class ProjectFilters(Schema):
    region: str | None = Field(None, description="Code INSEE de la région de l'appel à projets")


def _visible_q(user) -> Q:
    public = Q(perms.public_projects_q(), deadline__gte=timezone.localdate())
    return public | perms.followed_projects_q(user)


@router.get(
    "/mecenat/projets/",
    response=list[ProjectOut],
    auth=public_auth,
    summary="Projets ouverts au mécénat (publics ; ceux que l'appelant suit)",
)
@paginate(PageNumberPagination)
def list_projects(request, filters: Query[ProjectFilters]):
    rows = PublishedProject.objects.filter(_visible_q(request.auth)).select_related(*PROJECT_RELATED)
    if filters.region:
        rows = rows.filter(application__call__region__code=filters.region)
    return rows.order_by("deadline", "pk")


def _pledge_row(pledge) -> dict:
    return {
        "id": pledge.pk,
        "company": pledge.company.name,
        "kind": pledge.kind,
        "kind_label": pledge.get_kind_display(),
        "amount": pledge.amount,
        "description": pledge.description,
        "status": pledge.status,
        "status_label": pledge.get_status_display(),
        "proposed_at": pledge.proposed_at,
        "decided_at": pledge.decided_at,
        "delivered_at": pledge.delivered_at,
        "delivered_note": pledge.delivered_note,
        "is_demo": pledge.is_demo,
    }


@router.get(
    "/mecenat/projets/{project_id}",
    response={200: ProjectDetailOut, **READ_ERRORS},
    auth=public_auth,
    summary="Un projet ouvert au mécénat, avec ses promesses pour qui le suit",
)
def get_project(request, project_id: int):
    user = request.auth
    project = PublishedProject.objects.select_related(*PROJECT_RELATED).filter(pk=project_id).first()
    if project is None or not perms.can_view_project(user, project):
        raise HttpError(404, f"Projet introuvable : {project_id}.")
    project.supporters = queries.public_supporters(project)
    project.pledges_out = None
    if perms.follows_project(user, project):
        project.pledges_out = [
            _pledge_row(pledge)
            for pledge in project.pledges.select_related("company").order_by("-proposed_at", "pk")
        ]
    return project
