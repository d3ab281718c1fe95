"""E-mail reminders of the financial reports (`pacte grants relancer`): from a month before the due date (30 June
of the next year), then once a month while the report is not filed, to the association's members and the
project's contact; never twice the same day; nothing once the report is filed. The reminders are queued
(`pacte.core.mail`): the tests send the queue before reading what went out."""

import datetime
import io
from decimal import Decimal

from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from pacte.core.mail import send_pending
from pacte.core.models import OutgoingMail
from pacte.grants import services
from pacte.grants.enums import ReminderKind
from pacte.grants.models import ReportReminder
from tests.accounts.factories import UserFactory


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(7, 0)))


def recipients() -> list[str]:
    """Who received a message, once the queue is sent."""
    send_pending()
    return sorted(address for message in mail.outbox for address in message.to)


def test_no_reminder_before_a_month_ahead_of_the_due_date(agreement, member):
    outcome = services.send_report_reminders(now=at(datetime.date(2026, 5, 30)))
    assert (outcome.reports, OutgoingMail.objects.count()) == (0, 0)


def test_a_month_ahead_the_members_and_the_contact_are_reminded_once(agreement, member):
    member.email = "bob@association.example.org"
    member.save()
    UserFactory(association=True, organisation=member.organisation, email="", username="sans-adresse")
    outcome = services.send_report_reminders(
        now=at(datetime.date(2026, 5, 31)), base_url="https://pacte.example"
    )
    assert (outcome.reports, outcome.messages) == (1, 2)
    assert (OutgoingMail.objects.count(), mail.outbox) == (2, [])  # queued, not sent by the action
    assert recipients() == ["bob@association.example.org", "contact@association.example.org"]
    message = mail.outbox[0]
    assert message.subject == f"Compte rendu 2025 à déposer avant le 30 juin 2026 – {agreement.number}"
    assert (
        f"https://pacte.example/appels-a-projets/conventions/{agreement.pk}/comptes-rendus/2025/"
        in message.body
    )
    assert "CERFA n° 15059*02" in message.body and "six mois suivant la fin de l'exercice" in message.body
    reminder = ReportReminder.objects.get()
    assert (reminder.year, reminder.kind) == (2025, ReminderKind.DUE)
    again = services.send_report_reminders(now=at(datetime.date(2026, 5, 31)))
    assert (again.reports, OutgoingMail.objects.count()) == (0, 2)


def test_a_late_report_is_reminded_each_month_until_it_is_filed(agreement, member):
    services.send_report_reminders(now=at(datetime.date(2026, 6, 1)))
    assert services.send_report_reminders(now=at(datetime.date(2026, 6, 30))).reports == 0  # within the month
    send_pending()
    mail.outbox.clear()
    late = services.send_report_reminders(now=at(datetime.date(2026, 7, 1)))
    assert late.reports == 1
    send_pending()
    assert mail.outbox[0].subject == f"Compte rendu 2025 en retard – {agreement.number}"
    assert "était attendu au plus tard le 30 juin 2026" in mail.outbox[0].body
    assert ReportReminder.objects.filter(kind=ReminderKind.LATE).count() == 1
    report = services.open_report(agreement, 2025)
    indicator = agreement.application.indicators.get()
    services.save_report(report, narrative="Bilan.", amount_spent=Decimal("100"), values={indicator.pk: 3})
    services.submit_report(report, member)
    assert services.send_report_reminders(now=at(datetime.date(2026, 9, 1))).reports == 0


def test_the_command_and_its_english_alias_send_the_reminders(agreement):
    for action in ("relancer", "remind"):
        mail.outbox.clear()
        ReportReminder.objects.all().delete()
        OutgoingMail.objects.all().delete()
        out = io.StringIO()
        call_command("grants", action, "--adresse-site", "https://pacte.example", stdout=out)
        # The real date is after 30 June 2026: the 2025 report of the agreement is due or late.
        assert (
            out.getvalue()
            == "Comptes rendus relancés : 1 (2 courriels en file d'envoi) ; sans adresse : 0.\n"
        )
        assert recipients() == ["bob@example.org", "contact@association.example.org"]
        assert "https://pacte.example/appels-a-projets/" in mail.outbox[0].body
