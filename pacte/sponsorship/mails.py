"""The e-mails to a company's contact, who has no account on the platform: its registration validated or
refused, a pledge accepted or declined by the association. Queued in the action's transaction
(`pacte.core.mail.queue`), sent by the worker. What a message holds: the company's and the association's names, the
project's title, the pledge's kind and, for a refusal, the commissioner's reason (written for the company, the
form says so); never household data."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse

from pacte.accounts.notifications import SUBJECT_PREFIX, absolute
from pacte.core import mail
from pacte.core.validators import one_line
from pacte.sponsorship.enums import PledgeStatus


def _queue(template: str, subject: str, address: str, context: dict) -> None:
    body = render_to_string(f"sponsorship/email/{template}.txt", context)
    mail.queue(
        EmailMessage(
            subject=SUBJECT_PREFIX + one_line(subject)[:200],
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
        )
    )


def company_decided(company) -> None:
    validated = company.is_validated
    _queue(
        "entreprise_validee" if validated else "entreprise_refusee",
        f"Mécénat de proximité – inscription {'validée' if validated else 'refusée'} – {company.name}",
        company.contact_email,
        {"company": company, "url": absolute(reverse("sponsorship:index"))},
    )


def pledge_answered(pledge) -> None:
    project = pledge.project
    accepted = pledge.status == PledgeStatus.ACCEPTED
    _queue(
        "promesse_acceptee" if accepted else "promesse_declinee",
        f"Mécénat de proximité – promesse {'acceptée' if accepted else 'déclinée'} – "
        f"{project.application.project_title}",
        pledge.company.contact_email,
        {"pledge": pledge, "project": project, "association": project.application.organisation},
    )
