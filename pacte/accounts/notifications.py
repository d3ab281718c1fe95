"""E-mail notifications of the workflow events (issue 17): a report filed, sent back or validated, a contract
submitted, validated or signed, credits notified, a candidature filed or decided, a decision given an owner.

One entry point, `notify`, called by a service inside its transaction: the recipients and the messages are worked
out at once, and written only **after the commit** (`transaction.on_commit`), so an action rolled back notifies
nobody. Per recipient and their `User.notification_frequency`:
- « À chaque événement » (`immediat`): one e-mail put in the queue of outgoing mails (`pacte.core.mail`), which the
  worker sends;
- « Un résumé par jour » (`quotidien`): a `Notification` row, sent with the others of the day by `send_digests`
  (`pacte notifications resume`, run once a day);
- « Aucun courriel » (`aucun`): nothing.
Inactive users, users without an e-mail address and the user who acted are skipped.

Who is told is decided by each app (`contracts/notifications.py`, `grants/notifications.py`,
`governance/notifications.py`), from its own rules (`perms`): `candidates` below only narrows the users down by role
and territory, and the app keeps those its rules say must act next.

What a message holds: the object (a convention, a report and its year, a call and a candidature's project, an
instance's decision), the names of organisations and collectivités, the link to the page where the user acts, and
how to change the frequency. Never household data, never an amount, never free text typed by someone else (the
State's observations, a decision's motivation, a decision's text): the page shows them to whoever may read them.
The links are made absolute with `PACTE_SITE_URL` (« https://pacte.example.gouv.fr »)."""

import contextvars
import logging
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from pacte.accounts.enums import NotificationFrequency
from pacte.accounts.models import Notification, User
from pacte.core import mail
from pacte.core.validators import one_line
from pacte.formatting import plural

logger = logging.getLogger(__name__)

SUBJECT_PREFIX = "Pacte – "
DEFAULT_RETENTION_DAYS = 30

_muted: contextvars.ContextVar[bool] = contextvars.ContextVar("pacte_notifications_muted", default=False)


@contextmanager
def muted():
    """No notification for the actions run inside (the demo loader replays a whole history of events)."""
    token = _muted.set(True)
    try:
        yield
    finally:
        _muted.reset(token)


def site_url() -> str:
    """The address of the site, without a trailing slash ('' when PACTE_SITE_URL is not set)."""
    return (getattr(settings, "PACTE_SITE_URL", "") or "").rstrip("/")


def absolute(path: str, base: str | None = None) -> str:
    """`path` as a full address on the site (left as is when no address is set, or when already absolute)."""
    if path.startswith(("http://", "https://")):
        return path
    base = site_url() if base is None else base.rstrip("/")
    return base + path if base else path


# --- Who --------------------------------------------------------------------------------------------------


def candidates(roles: Iterable[str], territories: Iterable) -> QuerySet[User]:
    """The active users of `roles` with an address whose territory is one of `territories` or holds one of them
    (its région, département, EPCI or parent): a superset of those a rule of scope lets act there, which the
    caller narrows with its own `perms`. Their territory is fetched with them (one query)."""
    ids: set[int] = set()
    for territory in territories:
        if territory is None:
            continue
        ids.add(territory.pk)
        for name in ("region_id", "departement_id", "epci_id", "parent_id"):
            value = getattr(territory, name, None)
            if value:
                ids.add(value)
    return (
        User.objects.filter(role__in=list(roles), territory_id__in=ids, is_active=True)
        .exclude(email="")
        .select_related("territory", "organisation")
        .order_by("pk")
    )


def reachable(users: Iterable[User], actor=None) -> list[User]:
    """`users` once each, without the one who acted, inactive users and users without an address."""
    seen: dict[int, User] = {}
    actor_id = getattr(actor, "pk", None)
    for user in users:
        if user is None or user.pk in seen or user.pk == actor_id:
            continue
        if user.is_active and (user.email or "").strip():
            seen[user.pk] = user
    return list(seen.values())


# --- Telling them ---------------------------------------------------------------------------------------


def notify(
    event: str,
    *,
    recipients: Iterable[User],
    subject: str,
    url: str,
    context: dict | None = None,
    actor=None,
) -> int:
    """Tell `recipients` about `event` once the current transaction commits (at once outside a transaction):
    an e-mail from `notifications/<event>.txt` for those who want each event, a line of the daily digest for
    those who want one. `url` is the path of the page where they act. Returns the number of users told.
    The messages are rendered here (a template error fails the action, as the tests would see it); writing them
    after the commit is `robust`: should it fail, Django logs the error and the action, already recorded, stands."""
    if _muted.get():
        return 0
    users = [
        user
        for user in reachable(recipients, actor)
        if user.notification_frequency != NotificationFrequency.NONE
    ]
    if not users:
        return 0
    subject = one_line(subject)[:250]
    messages, digest = [], []
    for user in users:
        if user.notification_frequency == NotificationFrequency.DAILY:
            digest.append(Notification(user=user, event=event, subject=subject, url=url))
        else:
            messages.append(_message(event, user, subject, url, context or {}))
    transaction.on_commit(lambda: _write(messages, digest), robust=True)
    return len(users)


def _footer_context(user: User, base_url: str | None = None) -> dict:
    return {
        "profile_url": absolute(reverse("accounts:profile"), base_url),
        "frequency": user.get_notification_frequency_display(),
    }


def _message(event: str, user: User, subject: str, url: str, context: dict) -> EmailMessage:
    body = render_to_string(
        f"notifications/{event}.txt",
        {**context, **_footer_context(user), "recipient": user, "url": absolute(url)},
    )
    return EmailMessage(
        subject=SUBJECT_PREFIX + subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email.strip()],
    )


def _write(messages: list[EmailMessage], digest: list[Notification]) -> None:
    with transaction.atomic():
        if messages:
            mail.queue_messages(messages)
        if digest:
            Notification.objects.bulk_create(digest)


# --- The daily digest -------------------------------------------------------------------------------------


@dataclass
class DigestReport:
    users: int = 0  # digests queued
    items: int = 0  # notifications they carry
    dropped: int = 0  # notifications of users no longer reachable (inactive, no address, « aucun »)
    purged: int = 0  # notifications sent long ago, deleted

    def __str__(self) -> str:
        return (
            f"résumés mis en file d'envoi : {self.users} ; notifications résumées : {self.items} ; "
            f"abandonnées (compte inactif, sans adresse ou sans courriel) : {self.dropped} ; "
            f"anciennes supprimées : {self.purged}"
        )


def retention_days() -> int:
    return getattr(settings, "PACTE_MAIL_RETENTION_DAYS", None) or DEFAULT_RETENTION_DAYS


def send_digests(*, now: datetime | None = None, base_url: str | None = None) -> DigestReport:
    """Queue one e-mail per user with the notifications kept for their digest and mark them sent. Running it
    twice sends nothing more; two runs at once share the work without sending an item twice: each user's rows
    are claimed in one transaction (`select_for_update(skip_locked=True)` where the database has it, and on every
    database a conditional update that only one run can win), together with the queuing of their digest."""
    now = now or timezone.now()
    report = DigestReport()
    pending = Notification.objects.filter(sent_at__isnull=True, created_at__lte=now)
    for user_id in pending.values_list("user_id", flat=True).distinct().order_by("user_id"):
        told, dropped = _digest_of(user_id, now, base_url)
        report.users += 1 if told else 0
        report.items += told
        report.dropped += dropped
    limit = now - timedelta(days=retention_days())
    report.purged = Notification.objects.filter(sent_at__lt=limit).delete()[0]
    logger.info("résumé quotidien des notifications : %s", report)
    return report


def _digest_of(user_id: int, now: datetime, base_url: str | None) -> tuple[int, int]:
    """(items sent, items dropped) for one user, claimed and queued in one transaction."""
    with transaction.atomic():
        rows = Notification.objects.filter(user_id=user_id, sent_at__isnull=True, created_at__lte=now)
        if connection.features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True)
        claimed = []
        for row in rows.order_by("created_at", "pk"):
            if Notification.objects.filter(pk=row.pk, sent_at__isnull=True).update(sent_at=now):
                claimed.append(row)
        if not claimed:
            return 0, 0
        user = User.objects.get(pk=user_id)
        wanted = user.notification_frequency != NotificationFrequency.NONE
        if not (wanted and user.is_active and (user.email or "").strip()):
            return 0, len(claimed)
        body = render_to_string(
            "notifications/resume.txt",
            {
                **_footer_context(user, base_url),
                "recipient": user,
                "items": [(row, absolute(row.url, base_url)) for row in claimed],
                "count": len(claimed),
            },
        )
        mail.queue(
            EmailMessage(
                subject=SUBJECT_PREFIX + _digest_subject(len(claimed)),
                body=body,
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=[user.email.strip()],
            )
        )
        return len(claimed), 0


def _digest_subject(count: int) -> str:
    return f"votre résumé du jour ({plural(count, 'événement')})"


def pending_for(user: User) -> QuerySet[Notification]:
    """The notifications waiting for `user`'s next digest."""
    return Notification.objects.filter(user=user, sent_at__isnull=True)


def set_frequency(user: User, frequency: str) -> User:
    """« Mon compte » : the user's choice of `NotificationFrequency`; a French message naming the field for any
    other value."""
    if frequency not in NotificationFrequency.values:
        raise ValidationError(
            {
                "notification_frequency": "Courriels de notification : choisissez l’une des trois possibilités proposées."
            }
        )
    user.notification_frequency = frequency
    user.save(update_fields=["notification_frequency"])
    return user
