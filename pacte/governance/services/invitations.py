"""Convocations by e-mail: one message per invited member with an address, the calendar event attached
(`reunion.ics`); the same for a change and for a cancellation. The messages are put in the queue of outgoing
e-mails (`pacte.core.mail`) in the action's transaction and sent by the worker: a mail server that is slow or
stopped never fails the action."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone

from pacte import formatting
from pacte.core import mail
from pacte.core.validators import one_line
from pacte.governance import ics, queries
from pacte.governance.enums import MeetingStatus
from pacte.governance.models import Meeting, MeetingAttendance
from pacte.governance.services.attendance import sync_attendances
from pacte.governance.services.common import refuse

SUBJECTS = {
    "convocation": "Convocation",
    "modification": "Réunion modifiée",
    "annulation": "Réunion annulée",
}


def send_to_members(meeting: Meeting, base_url: str, *, kind: str) -> int:
    """Queue the message of `kind` (convocation, modification, annulation) for every invited member with an
    e-mail address; returns the number queued."""
    recipients = queries.invitation_recipients(meeting)
    if not recipients:
        return 0
    url = base_url + meeting.get_absolute_url() if base_url else ""
    agenda = list(meeting.agenda_items.order_by("order"))
    method = "CANCEL" if kind == "annulation" else "REQUEST"
    attachment = ics.calendar(meeting.committee.name, [meeting], lambda _m: url, method=method)
    local_start = timezone.localtime(meeting.starts_at)
    # The forms and the models refuse a line break in a title; one saved before that rule must not make the
    # sending fail (`BadHeaderError`): the subject is put on one line whatever the row holds.
    subject = one_line(
        f"{SUBJECTS[kind]} – {meeting.committee.name} – {meeting.title} – {formatting.short_date(local_start)}"
    )
    messages = []
    for attendance in recipients:
        body = render_to_string(
            "governance/email/invitation.txt",
            {
                "meeting": meeting,
                "member": attendance.member,
                "agenda": agenda,
                "kind": kind,
                "url": url,
                "starts_at": local_start,
                "ends_at": timezone.localtime(meeting.ends_at),
            },
        )
        message = EmailMessage(
            subject=subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[attendance.member.contact_email],
        )
        message.attach("reunion.ics", attachment, f"text/calendar; charset=utf-8; method={method}")
        messages.append(message)
    queued = mail.queue_messages(messages)
    MeetingAttendance.objects.filter(pk__in=[a.pk for a in recipients]).update(invited_at=timezone.now())
    return queued


@transaction.atomic
def convene(meeting: Meeting, *, base_url: str = "") -> tuple[int, bool]:
    """Queue the invitation for every invited member with an e-mail (one message each, the .ics attached).
    After a change of an already convened meeting the message says "modifiée". Returns (number queued,
    whether it was a modification)."""
    if meeting.is_cancelled:
        refuse("status", "Cette réunion est annulée : elle ne peut pas être convoquée.")
    if meeting.status == MeetingStatus.HELD or meeting.ends_at < timezone.now():
        refuse("status", "Cette réunion est passée : elle ne peut plus être convoquée.")
    sync_attendances(meeting)
    if not queries.invitation_recipients(meeting):
        refuse(
            "members",
            "Aucun membre invité n'a d'adresse électronique : ajoutez les adresses des membres avant de convoquer.",
        )
    modification = meeting.invitations_sent_at is not None
    sent = send_to_members(meeting, base_url, kind="modification" if modification else "convocation")
    Meeting.objects.filter(pk=meeting.pk).update(
        status=MeetingStatus.CONVENED,
        invitations_sent_at=timezone.now(),
        invitations_count=sent,
        invitations_sequence=F("sequence"),
    )
    meeting.refresh_from_db()
    # Through save() so that the audit history records the convocation.
    meeting.save()
    return sent, modification
