"""Who is told when a decision of an instance gets an owner, when an action of a regional roadmap gets a pilot
organisation, when a roadmap is published, and what (`pacte.accounts.notifications`).

The owner acts on its decision (`governance.perms.is_decision_owner`: its status and follow-up): when a decision is
recorded with a member as its owner, or its owner changes to another member, the platform user of that member is
told (an owner given only as an organisation, or a member without an account, is told by the secretariat as
before). Not for a decision already closed. Convocations are sent by `services.invitations`, not here.
The message names the instance, the meeting, the decision's number and due date; never its text (a decision may be
reserved to the members, and the page shows it to those who may read it)."""

from django.urls import reverse

from pacte.accounts import notifications
from pacte.accounts.enums import Role
from pacte.accounts.models import User
from pacte.governance import perms


def decision_assigned(decision, *, previous_owner_member_id=None, actor=None) -> int:
    member = decision.owner_member
    if member is None or not member.user_id or decision.owner_member_id == previous_owner_member_id:
        return 0
    if not decision.is_open:
        return 0
    owner = member.user
    if not perms.is_decision_owner(owner, decision):
        return 0
    meeting = decision.meeting
    return notifications.notify(
        "decision_attribuee",
        recipients=[owner],
        subject=f"Décision n°{decision.number} à porter – {meeting.committee.name}",
        url=decision.get_absolute_url(),
        context={"decision": decision, "meeting": meeting, "committee": meeting.committee},
        actor=actor,
    )


# --- Regional roadmap -------------------------------------------------------------------------------------------
#
# An action of a roadmap given a pilot organisation (at its creation, or its pilot changed to another organisation)
# while it is open: the members of that organisation are told (they carry it). A roadmap published (each new
# publication): the DDETS of the départements of its région are told (the State services of the région, who read
# the working version too: `perms.can_read_roadmap_draft`). The messages name the roadmap, the action's number and
# title (written by the commissioner for the roadmap, which is published) and its due date; never a description.


def _roadmap_url_for(user, roadmap) -> str:
    """The page of the roadmap `user` may read: the working version, else the published one, else the list."""
    if perms.can_read_roadmap_draft(user, roadmap.region):
        return roadmap.get_absolute_url()
    if roadmap.is_published:
        return roadmap.get_public_url()
    return reverse("governance:roadmaps")


def roadmap_action_assigned(action, *, previous_owner_id=None, actor=None) -> int:
    organisation_id = action.owner_organisation_id
    if not organisation_id or organisation_id == previous_owner_id or not action.is_open:
        return 0
    roadmap = action.objective.roadmap
    members = list(
        User.objects.filter(organisation_id=organisation_id, is_active=True)
        .exclude(email="")
        .select_related("territory")
        .order_by("pk")
    )
    told = 0
    # One call per page to link (a member may read the working version or only the published one).
    by_url: dict[str, list] = {}
    for member in members:
        by_url.setdefault(_roadmap_url_for(member, roadmap), []).append(member)
    for url, recipients in by_url.items():
        told += notifications.notify(
            "feuille_de_route_action_attribuee",
            recipients=recipients,
            subject=f"Action {action.objective.number}.{action.number} à piloter – {roadmap}",
            url=url,
            context={"action": action, "objective": action.objective, "roadmap": roadmap},
            actor=actor,
        )
    return told


def roadmap_published(roadmap, *, actor=None) -> int:
    recipients = [
        user
        for user in User.objects.filter(
            role=Role.DDETS, territory__region_id=roadmap.region_id, is_active=True
        )
        .exclude(email="")
        .select_related("territory")
        .order_by("pk")
        if perms.can_read_roadmap_draft(user, roadmap.region)
    ]
    return notifications.notify(
        "feuille_de_route_publiee",
        recipients=recipients,
        subject=f"{roadmap} publiée (version n°{roadmap.publication_number})",
        url=roadmap.get_public_url(),
        context={"roadmap": roadmap},
        actor=actor,
    )
