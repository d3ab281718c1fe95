"""The regional roadmap: one per région and year, its objectives and actions, their status, its publication (a
frozen version for the public), and the actions created or updated from a decision of a regional working group.

Rules:
- one roadmap per région and year (the product's rule, issue 18; the need: seed 003, the conférence régionale des
  acteurs of the Pays de la Loire, « Alimenter la feuille de route régionale avec l'ensemble des acteurs de la
  lutte contre la pauvreté », and its GT, « Construire la feuille de route des GT »);
- a decision of a meeting of a regional working group, COPIL or conference (`perms.ROADMAP_FEEDING_KINDS`) feeds
  the roadmap of its région for the year of the meeting; it creates at most one action, which later calls
  update: the action's status and due date follow the decision's (`DECISION_TO_ACTION`);
- publishing freezes what the public reads (`Roadmap.published_content`); later edits change the working version
  only, until the next publication.
"""

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone

from pacte.accounts.enums import Role
from pacte.core.collation import french_key
from pacte.core.errors import Errors
from pacte.core.locking import claim_version
from pacte.governance import notifications, perms
from pacte.governance.enums import DecisionStatus
from pacte.governance.models import Decision
from pacte.governance.roadmap_models import (
    FIRST_YEAR,
    LAST_YEAR,
    Roadmap,
    RoadmapAction,
    RoadmapActionStatus,
    RoadmapObjective,
    RoadmapStatus,
)
from pacte.governance.services.common import full_clean, refuse
from pacte.territories.enums import Level

DECISION_TO_ACTION = {
    DecisionStatus.TODO: RoadmapActionStatus.TO_START,
    DecisionStatus.IN_PROGRESS: RoadmapActionStatus.IN_PROGRESS,
    DecisionStatus.DONE: RoadmapActionStatus.DONE,
    DecisionStatus.DROPPED: RoadmapActionStatus.DROPPED,
}
ACTION_FIELDS = (
    "title",
    "description",
    "owner_organisation",
    "owner_text",
    "partners_text",
    "due_date",
    "status",
)


@transaction.atomic
def create_roadmap(region, year, *, title: str = "", is_demo: bool = False) -> Roadmap:
    """The roadmap of `region` for `year`; refused if the région already has one for that year."""
    errors = Errors()
    if region is None or region.level != Level.REGION:
        errors.add("region", "Région : choisissez une région.")
    if year is None or not FIRST_YEAR <= year <= LAST_YEAR:
        errors.add("year", f"Année : indiquez une année de {FIRST_YEAR} à {LAST_YEAR}.")
    errors.raise_if_any()
    if Roadmap.objects.select_for_update().filter(region=region, year=year).exists():
        refuse("year", f"Année : la feuille de route {year} de la région {region.name} existe déjà.")
    roadmap = Roadmap(
        region=region,
        year=year,
        title=(title or "").strip() or f"Feuille de route régionale {year} – {region.name}",
        is_demo=is_demo,
    )
    full_clean(roadmap)
    roadmap.save()
    return roadmap


@transaction.atomic
def update_roadmap(roadmap: Roadmap, *, title: str, expected_version: int | None) -> Roadmap:
    if not (title or "").strip():
        refuse("title", "Intitulé : indiquez l'intitulé de la feuille de route.")
    roadmap.title = title.strip()
    full_clean(roadmap)
    claim_version(roadmap, expected_version)
    roadmap.save()
    return roadmap


def _next_number(rows) -> int:
    return (rows.aggregate(last=Max("number"))["last"] or 0) + 1


@transaction.atomic
def save_objective(
    roadmap: Roadmap,
    objective: RoadmapObjective | None = None,
    *,
    title: str,
    axis=None,
    expected_version=None,
) -> RoadmapObjective:
    """Add an objective to `roadmap` (numbered after the last one), or change `objective`."""
    if not (title or "").strip():
        refuse("title", "Intitulé : indiquez l'intitulé de l'objectif.")
    if objective is None:
        Roadmap.objects.select_for_update().filter(pk=roadmap.pk).first()
        objective = RoadmapObjective(roadmap=roadmap, number=_next_number(roadmap.objectives.all()))
    elif objective.roadmap_id != roadmap.pk:
        refuse("title", "Cet objectif n'appartient pas à cette feuille de route.")
    objective.title = title.strip()
    objective.axis = axis
    full_clean(objective, exclude=["roadmap"])
    if objective.pk is not None:
        claim_version(objective, expected_version)
    objective.save()
    return objective


def _check_action(changes: dict) -> None:
    errors = Errors()
    if "title" in changes and not (changes["title"] or "").strip():
        errors.add("title", "Intitulé : indiquez l'intitulé de l'action.")
    if "status" in changes and changes["status"] not in RoadmapActionStatus.values:
        errors.add("status", "Statut : choisissez un statut de la liste.")
    errors.raise_if_any()


@transaction.atomic
def save_action(
    objective: RoadmapObjective,
    action: RoadmapAction | None = None,
    *,
    partners=None,
    expected_version=None,
    actor=None,
    **changes,
) -> RoadmapAction:
    """Add an action to `objective` (numbered after its last one), or change `action` (moved to `objective`
    when it differs). `changes` are fields of `ACTION_FIELDS`; `partners`, when given, replaces the partner
    organisations. A pilot organisation newly given to an open action is told (`notifications`), `actor`
    excepted."""
    unknown = set(changes) - set(ACTION_FIELDS) - {"source_decision"}
    if unknown:
        raise TypeError(f"Champs inconnus : {sorted(unknown)}")
    if action is None:
        changes.setdefault("title", "")
    _check_action(changes)
    previous_owner_id = action.owner_organisation_id if action is not None else None
    if action is None or action.objective_id != objective.pk:
        RoadmapObjective.objects.select_for_update().filter(pk=objective.pk).first()
        number = _next_number(objective.actions.all())
        if action is None:
            action = RoadmapAction(objective=objective, number=number)
        else:
            action.objective, action.number = objective, number
    for name, value in changes.items():
        setattr(action, name, value.strip() if isinstance(value, str) else value)
    full_clean(action, exclude=["objective"])
    if action.pk is not None:
        claim_version(action, expected_version)
    action.save()
    if partners is not None:
        action.partners.set(partners)
    notifications.roadmap_action_assigned(action, previous_owner_id=previous_owner_id, actor=actor)
    return action


@transaction.atomic
def set_action_status(
    action: RoadmapAction, status: str, *, expected_version: int | None, actor=None
) -> RoadmapAction:
    return save_action(
        action.objective, action, status=status, expected_version=expected_version, actor=actor
    )


# --- Publication ---------------------------------------------------------------------------------------------


def roadmap_content(roadmap: Roadmap, *, public: bool) -> dict:
    """What a version of the roadmap shows, as plain values (the published version is kept as such). With
    `public`, a source decision is linked only when the public may read it."""
    objectives = (
        roadmap.objectives.select_related("axis")
        .prefetch_related("actions__partners", "actions__owner_organisation")
        .prefetch_related("actions__source_decision__meeting__committee")
        .order_by("number")
    )
    content = {"title": roadmap.title, "objectives": []}
    for objective in objectives:
        actions = []
        for action in sorted(objective.actions.all(), key=lambda row: row.number):
            decision = action.source_decision
            source = None
            if decision is not None and (
                not public or perms.decision_is_public(decision, decision.meeting.committee)
            ):
                source = {
                    "url": decision.get_absolute_url(),
                    "label": f"Décision n°{decision.number} – {decision.meeting.committee.name}, "
                    f"{decision.meeting.title}",
                }
            actions.append(
                {
                    "pk": action.pk,
                    "number": action.number,
                    "title": action.title,
                    "description": action.description,
                    "owner": action.owner_label,
                    "partners": sorted((org.name for org in action.partners.all()), key=french_key)
                    + [name.strip() for name in action.partners_text.split(",") if name.strip()],
                    "due_date": action.due_date.isoformat() if action.due_date else None,
                    "status": action.status,
                    "status_label": action.get_status_display(),
                    "source": source,
                }
            )
        content["objectives"].append(
            {
                "pk": objective.pk,
                "number": objective.number,
                "title": objective.title,
                "axis": f"Axe {objective.axis.number} – {objective.axis.title}" if objective.axis else "",
                "actions": actions,
            }
        )
    return content


@transaction.atomic
def publish(roadmap: Roadmap, *, by, expected_version: int | None) -> Roadmap:
    """Freeze the working version as the public one."""
    content = roadmap_content(roadmap, public=True)
    if not any(objective["actions"] for objective in content["objectives"]):
        refuse("title", "La feuille de route n'a encore aucune action : ajoutez-en une avant de la publier.")
    claim_version(roadmap, expected_version)
    roadmap.published_content = content
    roadmap.published_at = timezone.now()
    roadmap.published_by = by
    roadmap.publication_number += 1
    roadmap.status = RoadmapStatus.PUBLISHED
    roadmap.save()
    notifications.roadmap_published(roadmap, actor=by)
    return roadmap


# --- From a decision -----------------------------------------------------------------------------------------


@transaction.atomic
def action_from_decision(
    decision: Decision, *, objective: RoadmapObjective | None = None, title: str = "", actor=None
) -> tuple[RoadmapAction, bool]:
    """Create the action a decision of a regional working group (or COPIL, conference) brings to the roadmap
    of its région for the year of its meeting, or update the one it already created. Returns the action and
    whether it was created. Its status and due date follow the decision's; a new action needs an `objective`
    of that roadmap."""
    decision = Decision.objects.select_related("meeting__committee__territory").get(pk=decision.pk)
    committee = decision.meeting.committee
    region = perms.roadmap_region_of(committee)
    if region is None:
        refuse(
            "objective",
            "Seules les décisions d'un groupe de travail régional, d'un COPIL régional ou d'une conférence "
            "régionale alimentent la feuille de route.",
        )
    year = decision.meeting.meeting_date.year
    roadmap = Roadmap.objects.filter(region=region, year=year).first()
    if roadmap is None:
        refuse(
            "objective",
            f"La région {region.name} n'a pas encore de feuille de route {year} : créez-la d'abord.",
        )
    follow = {"status": DECISION_TO_ACTION[decision.status], "due_date": decision.due_date}
    existing = RoadmapAction.objects.select_related("objective").filter(source_decision=decision).first()
    if existing is not None:
        target = objective or existing.objective
        if target.roadmap_id != roadmap.pk:
            refuse("objective", "Objectif : choisissez un objectif de la feuille de route de la région.")
        changes = dict(follow)
        if (title or "").strip():
            changes["title"] = title
        return save_action(target, existing, expected_version=None, actor=actor, **changes), False
    if objective is None or objective.roadmap_id != roadmap.pk:
        refuse("objective", f"Objectif : choisissez un objectif de la feuille de route {year}.")
    owner_organisation = decision.owner_organisation
    if owner_organisation is None and decision.owner_member_id:
        owner_organisation = decision.owner_member.organisation
    action = save_action(
        objective,
        title=(title or "").strip() or decision.text.strip().splitlines()[0][:300],
        description=decision.text,
        owner_organisation=owner_organisation,
        owner_text="" if owner_organisation else decision.owner_label[:250],
        source_decision=decision,
        actor=actor,
        **follow,
    )
    return action, True


def readable_roadmaps_q(user) -> Q:
    """The roadmaps whose working version `user` reads (`perms.can_read_roadmap_draft` as a filter): the pages,
    the API and « Mon espace » share it."""
    if perms.is_national(user):
        return Q()
    if not (user.is_authenticated and user.is_active and user.territory_id):
        return Q(pk__in=[])
    if user.role == Role.REGIONAL_COMMISSIONER:
        return Q(region_id=user.territory_id)
    if user.role == Role.DDETS:
        return Q(region_id=user.territory.region_id)
    return Q(pk__in=[])


def roadmap_for_decision(decision: Decision) -> Roadmap | None:
    """The roadmap a decision feeds (its région, the year of its meeting), if it exists."""
    region = perms.roadmap_region_of(decision.meeting.committee)
    if region is None:
        return None
    return Roadmap.objects.filter(region=region, year=decision.meeting.meeting_date.year).first()
