"""Who is invited to a meeting, and who came."""

from django.db import transaction
from django.utils import timezone

from pacte.core.locking import claim_version
from pacte.governance.enums import Attendance, MeetingStatus
from pacte.governance.models import Meeting, MeetingAttendance
from pacte.governance.services.common import refuse


def sync_attendances(meeting: Meeting) -> int:
    """Invite every member whose seat is active on the meeting day and who is not invited yet. Returns the
    number of members invited now."""
    day = meeting.meeting_date
    invited = set(meeting.attendances.values_list("member_id", flat=True))
    new = [
        MeetingAttendance(meeting=meeting, member=member)
        for member in meeting.committee.members.all()
        if member.is_active_on(day) and member.pk not in invited
    ]
    MeetingAttendance.objects.bulk_create(new)
    return len(new)


@transaction.atomic
def record_attendance(meeting: Meeting, statuses: dict[int, str], *, participants_count=None) -> int:
    """Record who came (attendance id → status). A past meeting becomes "tenue". Returns rows changed."""
    if meeting.is_cancelled:
        refuse("status", "Cette réunion est annulée : les présences ne s'y enregistrent pas.")
    if meeting.starts_at > timezone.now() and any(
        status == Attendance.PRESENT for status in statuses.values()
    ):
        refuse("attendance", "La réunion n'a pas commencé : personne ne peut encore y être présent.")
    changed = 0
    rows = {attendance.pk: attendance for attendance in meeting.attendances.all()}
    for pk, status in statuses.items():
        if pk not in rows:
            refuse(
                "attendance", "Une ligne de présence n'appartient pas à cette réunion : rechargez la page."
            )
        if status not in Attendance.values:
            refuse("attendance", f"Présence inconnue : « {status} ».")
        attendance = rows[pk]
        if attendance.status != status:
            attendance.status = status
            attendance.save(update_fields=["status"])
            changed += 1
    if participants_count is not None:
        meeting.participants_count = participants_count
    if meeting.starts_at <= timezone.now():
        meeting.status = MeetingStatus.HELD
    meeting.save()
    claim_version(meeting, None)
    return changed
