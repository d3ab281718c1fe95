"""The tasks of the governance: meetings to convene, instances whose cadence is late and that have no meeting
planned, minutes to write or to validate (for the instances the user manages: `perms.can_manage_committee`), and
the open decisions the user carries (`queries.my_decisions`).

National steering manages every instance, but « Mon espace » shows it the national ones (and those whose
secretariat it holds): a territory's instances are its services' task. A fixed number of queries for the
instances the user manages, whatever makes it a manager (State services, the organisation holding the
secretariat, or a seat as secretariat: `perms.secretariat_seats` reads those once).
"""

from datetime import date, timedelta

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone

from pacte import formatting
from pacte.accounts.scope import is_national
from pacte.core.collation import french
from pacte.governance import perms, queries
from pacte.governance.enums import MINUTES_DUE_DAYS, MeetingStatus, MinutesStatus
from pacte.governance.models import Committee, Meeting
from pacte.workspace.tasks import Task


def _managed_committees(user) -> list[Committee]:
    """The active instances `user` manages, each with its meetings (and their minutes)."""
    candidates = Committee.objects.filter(perms.insider_committees_q(user), is_active=True)
    if is_national(user):
        national = Q(territory__isnull=True)
        if user.organisation_id:
            national |= Q(secretariat_id=user.organisation_id)
        candidates = candidates.filter(national)
    candidates = (
        Committee.objects.filter(pk__in=candidates.values("pk"))
        .select_related("territory")
        .prefetch_related(
            Prefetch("meetings", queryset=Meeting.objects.select_related("minutes").order_by("starts_at"))
        )
        .order_by(french("name"), "pk")
    )
    seats = perms.secretariat_seats(user)
    return [committee for committee in candidates if perms.can_manage_committee(user, committee, seats)]


def governance_tasks(user, today: date) -> list[Task]:
    if not (user.is_authenticated and user.is_active and user.role):
        return []
    now = timezone.now()
    tasks = []
    for committee in _managed_committees(user):
        meetings = list(committee.meetings.all())
        for meeting in meetings:
            tasks += _meeting_tasks(committee, meeting, now)
        cadence = queries.cadence(committee, meetings, today)
        if cadence.state == "en_retard" and not cadence.planned_next_year:
            tasks.append(
                Task(
                    kind="committees_to_meet",
                    title=committee.name,
                    url=reverse("governance:meeting_create", kwargs={"pk": committee.pk}),
                    action="Planifier une réunion",
                    detail=f"{formatting.plural(cadence.held_last_year, 'réunion')} sur les 12 derniers mois ; attendu : {cadence.expected}",
                    is_demo=committee.is_demo,
                )
            )
    tasks += _decisions(user)
    return tasks


def _meeting_tasks(committee, meeting, now) -> list[Task]:
    if meeting.is_cancelled:
        return []
    name = f"{meeting} – {committee.name}"
    if meeting.status == MeetingStatus.PLANNED and meeting.starts_at >= now:
        return [
            Task(
                kind="meetings_to_convene",
                title=name,
                url=meeting.get_absolute_url(),
                action="Convoquer",
                due_on=meeting.meeting_date,
                detail="réunion planifiée, convocations non envoyées",
                is_demo=meeting.is_demo,
            )
        ]
    if meeting.ends_at >= now:
        return []
    minutes = getattr(meeting, "minutes", None)
    if minutes is None:
        return [
            Task(
                kind="minutes",
                title=name,
                url=reverse("governance:minutes_edit", kwargs={"pk": meeting.pk}),
                action="Rédiger le compte rendu",
                due_on=meeting.meeting_date + timedelta(days=MINUTES_DUE_DAYS),
                detail=f"compte rendu attendu dans les {MINUTES_DUE_DAYS} jours qui suivent la réunion",
                is_demo=meeting.is_demo,
            )
        ]
    if minutes.status == MinutesStatus.DRAFT:
        return [
            Task(
                kind="minutes",
                title=name,
                url=meeting.get_absolute_url(),
                action="Valider le compte rendu",
                detail="projet de compte rendu à valider",
                is_demo=meeting.is_demo,
            )
        ]
    return []


def _decisions(user) -> list[Task]:
    return [
        Task(
            kind="decisions",
            title=f"Décision n°{decision.number} – {decision.meeting.committee.name}",
            url=reverse("governance:decision_edit", kwargs={"pk": decision.pk}),
            action="Mettre à jour le suivi",
            due_on=decision.due_date,
            detail=_excerpt(decision.text),
            is_demo=decision.is_demo,
        )
        for decision in queries.my_decisions(user, open_only=True)
    ]


def _excerpt(text: str, length: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"
