"""Meetings: planning with their agenda, changes (raising the calendar SEQUENCE), cancellation, held."""

from django.db import transaction
from django.utils import timezone

from pacte import formatting
from pacte.core.locking import claim_version
from pacte.governance import rules
from pacte.governance.enums import CommitteeKind, MeetingStatus
from pacte.governance.models import AgendaItem, Committee, Meeting
from pacte.governance.services.attendance import sync_attendances
from pacte.governance.services.common import full_clean, refuse
from pacte.governance.services.invitations import send_to_members

# The fields of a meeting a person edits (the agenda aside).
MEETING_FIELDS = (
    "title",
    "concertation_theme",
    "starts_at",
    "ends_at",
    "place",
    "visio_url",
    "details",
    "participants_count",
)
# A change of these fields reaches the calendars of the invited members (SEQUENCE is raised).
CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "place", "visio_url", "status")
AGENDA_ITEM_LENGTH = 300


def _check_times(starts_at, ends_at) -> None:
    if starts_at and ends_at and ends_at <= starts_at:
        refuse("ends_at", "La fin de la réunion doit suivre son début.")


def _check_existed(committee: Committee, starts_at) -> None:
    """The comité départemental pour l'emploi meets from 1 July 2024, when décret n° 2024-560 came into force
    (`rules.EMPLOYMENT_COMMITTEE_START`, source there)."""
    if (
        committee.kind == CommitteeKind.EMPLOYMENT_COMMITTEE
        and starts_at
        and timezone.localtime(starts_at).date() < rules.EMPLOYMENT_COMMITTEE_START
    ):
        refuse(
            "starts_at",
            "Le comité départemental pour l'emploi existe depuis le "
            f"{formatting.date(rules.EMPLOYMENT_COMMITTEE_START)} (décret n° 2024-560 du 18 juin 2024) : "
            "choisissez une date à partir de ce jour.",
        )


def _agenda_lines(agenda) -> list[str]:
    return [line.strip() for line in agenda if line.strip()]


def _set_agenda(meeting: Meeting, agenda: list[str]) -> bool:
    """Replace the agenda by `agenda` (blank lines left out); True when it changed."""
    items = _agenda_lines(agenda)
    for index, title in enumerate(items, start=1):
        if len(title) > AGENDA_ITEM_LENGTH:
            refuse(
                "agenda", f"Le point n°{index} de l'ordre du jour dépasse {AGENDA_ITEM_LENGTH} caractères."
            )
    if list(meeting.agenda_items.order_by("order").values_list("title", flat=True)) == items:
        return False
    meeting.agenda_items.all().delete()
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, order=index, title=title) for index, title in enumerate(items, start=1)
    )
    return True


@transaction.atomic
def create_meeting(committee: Committee, *, agenda: list[str] = (), **fields) -> Meeting:
    """Plan a meeting; the members active on its day are invited."""
    _check_times(fields.get("starts_at"), fields.get("ends_at"))
    _check_existed(committee, fields.get("starts_at"))
    meeting = Meeting(committee=committee, **fields)
    full_clean(meeting, exclude=["committee"])
    meeting.save()
    _set_agenda(meeting, list(agenda))
    sync_attendances(meeting)
    return meeting


@transaction.atomic
def update_meeting(meeting: Meeting, *, expected_version: int | None, agenda=None, **changes) -> Meeting:
    """Change a meeting; a change of what calendars show (date, place, title, agenda) raises its SEQUENCE."""
    if meeting.is_cancelled:
        refuse("status", "Cette réunion est annulée : elle ne peut plus être modifiée.")
    _check_times(changes.get("starts_at", meeting.starts_at), changes.get("ends_at", meeting.ends_at))
    _check_existed(meeting.committee, changes.get("starts_at", meeting.starts_at))
    before = {name: getattr(meeting, name) for name in CALENDAR_FIELDS}
    for name, value in changes.items():
        setattr(meeting, name, value)
    full_clean(meeting, exclude=["committee"])
    claim_version(meeting, expected_version)
    agenda_changed = agenda is not None and _set_agenda(meeting, list(agenda))
    if agenda_changed or any(getattr(meeting, name) != value for name, value in before.items()):
        meeting.sequence += 1
    meeting.save()
    if meeting.starts_at >= timezone.now():
        sync_attendances(meeting)
    return meeting


@transaction.atomic
def cancel_meeting(meeting: Meeting, *, reason: str, notify: bool = True, base_url: str = "") -> int:
    """Cancel a meeting; the members who were convened are told (with a cancelling calendar event).
    Returns the number of e-mails sent."""
    if meeting.is_cancelled:
        refuse("status", "Cette réunion est déjà annulée.")
    if meeting.status == MeetingStatus.HELD:
        refuse("status", "Cette réunion s'est tenue : elle ne peut plus être annulée.")
    reason = (reason or "").strip()
    if not reason:
        refuse("reason", "Indiquez le motif de l'annulation.")
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancel_reason = reason[:300]
    meeting.sequence += 1
    meeting.save()
    claim_version(meeting, None)
    if notify and meeting.invitations_sent_at:
        return send_to_members(meeting, base_url, kind="annulation")
    return 0


@transaction.atomic
def mark_held(meeting: Meeting) -> Meeting:
    if meeting.is_cancelled:
        refuse("status", "Cette réunion est annulée.")
    if meeting.starts_at > timezone.now():
        refuse("status", "Une réunion ne peut être déclarée tenue avant son début.")
    meeting.status = MeetingStatus.HELD
    meeting.save()
    claim_version(meeting, None)
    return meeting
