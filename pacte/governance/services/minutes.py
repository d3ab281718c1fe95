"""The compte rendu of a meeting: written after it, validated by its managers; a change reopens the
validation."""

from django.db import transaction
from django.utils import timezone

from pacte.core.locking import claim_version
from pacte.governance.enums import MeetingStatus, MinutesStatus
from pacte.governance.models import Meeting, Minutes
from pacte.governance.services.common import claim_once_per_parent, refuse


@transaction.atomic
def save_minutes(meeting: Meeting, *, text: str, by, expected_version: int | None) -> Minutes:
    """Write the minutes (the first version with `expected_version=NEW`)."""
    text = (text or "").strip()
    if not text:
        refuse("text", "Le compte rendu est vide.")
    if meeting.is_cancelled:
        refuse("text", "Cette réunion est annulée : elle n'a pas de compte rendu.")
    if meeting.starts_at > timezone.now():
        refuse("text", "Le compte rendu s'écrit après la réunion.")
    minutes = Minutes.objects.filter(meeting=meeting).first()
    claim_once_per_parent(minutes, expected_version)
    if minutes is None:
        minutes = Minutes(meeting=meeting, text=text, written_by=by)
        minutes.save()
        return minutes
    if minutes.text != text:
        minutes.text = text
        minutes.written_by = by
        if minutes.status == MinutesStatus.VALIDATED:
            # A change reopens the validation: the text members read is no longer the validated one.
            minutes.status = MinutesStatus.DRAFT
            minutes.validated_by = None
            minutes.validated_at = None
    minutes.save()
    return minutes


@transaction.atomic
def validate_minutes(minutes: Minutes, *, by, expected_version: int | None) -> Minutes:
    """Validate the minutes: the instance's members may read them; the meeting is held."""
    if minutes.status == MinutesStatus.VALIDATED:
        refuse("status", "Ce compte rendu est déjà validé.")
    claim_version(minutes, expected_version)
    minutes.status = MinutesStatus.VALIDATED
    minutes.validated_by = by
    minutes.validated_at = timezone.now()
    minutes.save()
    if minutes.meeting.status != MeetingStatus.HELD:
        minutes.meeting.status = MeetingStatus.HELD
        minutes.meeting.save()
    return minutes
