"""E-mail reminders of the yearly financial reports (run daily by `pacte grants relancer`): from a month before
the due date (30 June of the next year, loi n° 2000-321, art. 10: `pacte.grants.rules`) and then once a month
while the report is not filed, one message to each member of the association and to the project's contact.
Each reminder is recorded (`ReportReminder`, with the number of recipients, not their addresses): running the
command twice the same day sends nothing more. The messages are put in the queue of outgoing e-mails
(`pacte.core.mail`), in the same transaction as their record, and sent by the worker."""

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from pacte import formatting
from pacte.accounts.enums import Role
from pacte.accounts.models import User
from pacte.core import mail
from pacte.grants import rules, schedule
from pacte.grants.enums import ReminderKind
from pacte.grants.models import GrantAgreement, ReportReminder


@dataclass
class RemindersSent:
    reports: int = 0  # reports reminded
    messages: int = 0  # e-mails queued
    without_address: int = 0  # reports due with nobody to write to


def recipients(agreement: GrantAgreement) -> list[str]:
    """The active members of the association with an address, then the project's contact (each once)."""
    application = agreement.application
    addresses = list(
        User.objects.filter(
            organisation_id=application.organisation_id, role=Role.ASSOCIATION, is_active=True
        )
        .exclude(email="")
        .order_by("pk")
        .values_list("email", flat=True)
    )
    addresses.append(application.contact_email)
    seen: dict[str, str] = {}
    for address in addresses:
        if address and address.strip().lower() not in seen:
            seen[address.strip().lower()] = address.strip()
    return list(seen.values())


def _message(row: schedule.ReportDue, address: str, base_url: str) -> EmailMessage:
    agreement = row.agreement
    kind = ReminderKind.LATE if row.late else ReminderKind.DUE
    subject = (
        f"Compte rendu {row.year} en retard – {agreement.number}"
        if kind == ReminderKind.LATE
        else f"Compte rendu {row.year} à déposer avant le {formatting.date(row.due_on)} – {agreement.number}"
    )
    path = reverse("grants:report", kwargs={"pk": agreement.pk, "year": row.year})
    body = render_to_string(
        "grants/email/report_reminder.txt",
        {
            "row": row,
            "agreement": agreement,
            "application": agreement.application,
            "late": kind == ReminderKind.LATE,
            "url": base_url.rstrip("/") + path if base_url else path,
            "form": rules.REPORT_FORM,
        },
    )
    return EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[address])


def send_report_reminders(*, now: datetime | None = None, base_url: str = "") -> RemindersSent:
    """Queue a reminder for every association whose report is due within a month or late, at most once a month
    per report. `base_url` (« https://pacte.example.gouv.fr ») makes the link of the message absolute."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    outcome = RemindersSent()
    rows = [row for row in schedule.outstanding(GrantAgreement.objects.all(), today) if row.reminder_due]
    for row in rows:
        addresses = recipients(row.agreement)
        if not addresses:
            outcome.without_address += 1
            continue
        # The messages and their record together: a reminder is either queued and recorded, or neither.
        with transaction.atomic():
            queued = mail.queue_messages([_message(row, address, base_url) for address in addresses])
            ReportReminder.objects.create(
                agreement=row.agreement,
                year=row.year,
                kind=ReminderKind.LATE if row.late else ReminderKind.DUE,
                sent_at=now,
                recipient_count=len(addresses),
            )
        outcome.reports += 1
        outcome.messages += queued
    return outcome
