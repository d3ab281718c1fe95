"""The queue of outgoing e-mails: an action writes its messages in the database (`queue`, inside the action's own
transaction: an action rolled back sends nothing) and the worker sends them (`send_pending`), with a timeout on
the mail server (`EMAIL_TIMEOUT`, 10 s by default) and retries after 1, 5, 15, 60 minutes, 3, 6 and 12 hours. After
`PACTE_MAIL_MAX_ATTEMPTS` failures (8), or at once when the server refuses the message for good (a 5xx code, a
malformed address), the mail is marked « échec définitif » and the log says so, with the mail's number, the error
class and the SMTP code, never an address. `purge` deletes the mails sent (or failed) more than
`PACTE_MAIL_RETENTION_DAYS` ago (30): they hold addresses.

Two workers may send at once: a pass claims its rows first (`select_for_update(skip_locked=True)` where the
database has it, and on every database a conditional update that only one pass can win), by moving their next
attempt `CLAIM_FOR` later; a worker killed while sending leaves its rows due again after that. A mail is thus sent
at least once: a worker killed between the server's answer and the row's update sends it again.

The bodies are plain text, with optional alternatives (an HTML version) and attachments (text kept as is, bytes in
base64)."""

import base64
import logging
import smtplib
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.mime.base import MIMEBase

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import Count, Min
from django.utils import timezone

from pacte.core.models import MailStatus, OutgoingMail

logger = logging.getLogger(__name__)

RETRY_DELAYS = (1, 5, 15, 60, 180, 360, 720)  # minutes before the 2nd, 3rd… attempt (the last one repeats)
DEFAULT_TIMEOUT = 10  # seconds, when EMAIL_TIMEOUT is not set
DEFAULT_MAX_ATTEMPTS = 8
DEFAULT_RETENTION_DAYS = 30
CLAIM_FOR = timedelta(minutes=15)  # a claimed row is due again after that if its worker died while sending


def timeout() -> float:
    return getattr(settings, "EMAIL_TIMEOUT", None) or DEFAULT_TIMEOUT


def max_attempts() -> int:
    return getattr(settings, "PACTE_MAIL_MAX_ATTEMPTS", None) or DEFAULT_MAX_ATTEMPTS


def retention_days() -> int:
    return getattr(settings, "PACTE_MAIL_RETENTION_DAYS", None) or DEFAULT_RETENTION_DAYS


# --- Writing the queue ------------------------------------------------------------------------------------


def queue(message: EmailMessage) -> OutgoingMail:
    """Put `message` in the queue (in the caller's transaction); the worker sends it."""
    row = _row(message)
    row.save()
    return row


def queue_messages(messages: list[EmailMessage]) -> int:
    """Put every message in the queue in one query; the number queued."""
    return len(OutgoingMail.objects.bulk_create([_row(message) for message in messages]))


def _row(message: EmailMessage) -> OutgoingMail:
    if message.content_subtype != "plain":
        raise ValueError(
            "La file des courriels n'accepte qu'un texte brut (une version HTML va en alternative)."
        )
    if not message.recipients():
        raise ValueError("Courriel sans destinataire : rien à mettre en file d'envoi.")
    # Built once here so that a message that cannot be sent (a line break in the subject) fails in the action.
    message.message()
    attachments = []
    for attachment in message.attachments:
        if isinstance(attachment, MIMEBase):
            raise ValueError("La file des courriels n'accepte que des pièces jointes (nom, contenu, type).")
        filename, content, mimetype = attachment
        binary = isinstance(content, bytes)
        attachments.append(
            {
                "filename": filename,
                "content": base64.b64encode(content).decode("ascii") if binary else content,
                "mimetype": mimetype,
                "base64": binary,
            }
        )
    alternatives = [
        {"content": content, "mimetype": mimetype}
        for content, mimetype in getattr(message, "alternatives", [])
    ]
    return OutgoingMail(
        subject=str(message.subject),
        body=str(message.body),
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        to=list(message.to),
        cc=list(message.cc),
        bcc=list(message.bcc),
        reply_to=list(message.reply_to),
        headers=dict(message.extra_headers),
        attachments=attachments,
        alternatives=alternatives,
    )


def _message(row: OutgoingMail) -> EmailMessage:
    kind = EmailMultiAlternatives if row.alternatives else EmailMessage
    message = kind(
        subject=row.subject,
        body=row.body,
        from_email=row.from_email,
        to=row.to,
        cc=row.cc,
        bcc=row.bcc,
        reply_to=row.reply_to,
        headers=row.headers,
    )
    for attachment in row.attachments:
        content = attachment["content"]
        if attachment["base64"]:
            content = base64.b64decode(content)
        message.attach(attachment["filename"], content, attachment["mimetype"])
    for alternative in row.alternatives:
        message.attach_alternative(alternative["content"], alternative["mimetype"])
    return message


# --- Sending ----------------------------------------------------------------------------------------------


@dataclass
class SendReport:
    sent: int = 0
    retried: int = 0  # failed this time, tried again later
    failed: int = 0  # failed for good (« échec définitif »)

    def __str__(self) -> str:
        return f"envoyés : {self.sent} ; à retenter : {self.retried} ; en échec définitif : {self.failed}"


def send_pending(limit: int = 50, *, now: datetime | None = None) -> SendReport:
    """Send up to `limit` mails that are due; never raises for a mail server that fails (the failure is
    recorded on each mail). A connection that cannot be opened, or that is lost, fails every mail of the pass
    without waiting once more for each."""
    now = now or timezone.now()
    report = SendReport()
    rows = _claim(limit, now)
    if not rows:
        return report
    try:
        connection = get_connection(timeout=timeout())
        connection.open()
    except Exception as error:  # noqa: BLE001 - whatever the backend raises is recorded, never raised
        for row in rows:
            _failed(row, error, now, report)
        _log(report)
        return report
    try:
        for index, row in enumerate(rows):
            try:
                sent = connection.send_messages([_message(row)])
            except Exception as error:  # noqa: BLE001
                _failed(row, error, now, report)
                if _connection_lost(error):
                    for rest in rows[index + 1 :]:
                        _failed(rest, error, now, report)
                    break
                continue
            if sent:
                row.status, row.sent_at, row.last_error = MailStatus.SENT, timezone.now(), ""
                row.attempts += 1
                row.save(update_fields=["status", "sent_at", "last_error", "attempts"])
                report.sent += 1
            else:
                _failed(row, RuntimeError("le serveur n'a rien envoyé"), now, report)
    finally:
        try:
            connection.close()
        except Exception:  # noqa: BLE001, S110 - the mails are recorded; a failing close changes nothing
            pass
    _log(report)
    return report


def _claim(limit: int, now: datetime) -> list[OutgoingMail]:
    """The due mails this pass takes, each moved CLAIM_FOR later so that no other pass takes it."""
    due = OutgoingMail.objects.filter(status=MailStatus.PENDING, next_attempt_at__lte=now).order_by(
        "next_attempt_at", "pk"
    )
    claimed = []
    with transaction.atomic():
        if db_connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        for pk, due_at in list(due.values_list("pk", "next_attempt_at")[:limit]):
            taken = OutgoingMail.objects.filter(
                pk=pk, status=MailStatus.PENDING, next_attempt_at=due_at
            ).update(next_attempt_at=now + CLAIM_FOR)
            if taken:
                claimed.append(pk)
    return list(OutgoingMail.objects.filter(pk__in=claimed).order_by("pk"))


def _connection_lost(error: Exception) -> bool:
    """An error of the connection rather than of one message: the rest of the pass would fail the same way."""
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return True
    return isinstance(error, OSError) and not isinstance(error, smtplib.SMTPException)


def _permanent(error: Exception) -> bool:
    """The server refused this message for good (5xx for every recipient, or for its content), or the message
    cannot be written (a malformed address): trying again would fail the same way."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return bool(error.recipients) and all(code >= 500 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPDataError):
        return error.smtp_code >= 500
    return isinstance(error, ValueError)


def describe(error: Exception) -> str:
    """The error class and its code (SMTP or system), never its text: it may quote an address."""
    name = type(error).__name__
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = sorted({str(code) for code, _ in error.recipients.values()})
        return f"{name} (code SMTP {', '.join(codes)})" if codes else name
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{name} (code SMTP {error.smtp_code})"
    if isinstance(error, OSError) and error.errno:
        return f"{name} (errno {error.errno})"
    return name


def _failed(row: OutgoingMail, error: Exception, now: datetime, report: SendReport) -> None:
    row.attempts += 1
    row.last_error = describe(error)[:200]
    if _permanent(error) or row.attempts >= max_attempts():
        row.status = MailStatus.FAILED
        report.failed += 1
        logger.error(
            "courriel %s : échec définitif après %s tentative(s) (%s)", row.pk, row.attempts, row.last_error
        )
    else:
        delay = RETRY_DELAYS[min(row.attempts, len(RETRY_DELAYS)) - 1]
        row.next_attempt_at = now + timedelta(minutes=delay)
        report.retried += 1
        logger.warning(
            "courriel %s : tentative %s échouée (%s), nouvelle tentative dans %s min",
            row.pk,
            row.attempts,
            row.last_error,
            delay,
        )
    row.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])


def _log(report: SendReport) -> None:
    logger.info("file des courriels : %s", report)


# --- Upkeep -------------------------------------------------------------------------------------------------


def purge(days: int | None = None, *, now: datetime | None = None) -> int:
    """Delete the mails sent more than `days` ago (PACTE_MAIL_RETENTION_DAYS by default), and those failed for
    good created more than `days` ago; the number deleted. Mails waiting are kept whatever their age."""
    days = retention_days() if days is None else days
    limit = (now or timezone.now()) - timedelta(days=days)
    sent = OutgoingMail.objects.filter(status=MailStatus.SENT, sent_at__lt=limit)
    failed = OutgoingMail.objects.filter(status=MailStatus.FAILED, created_at__lt=limit)
    deleted = sent.delete()[0] + failed.delete()[0]
    if deleted:
        logger.info("file des courriels : %s courriel(s) de plus de %s jours supprimé(s)", deleted, days)
    return deleted


def requeue(mails, *, now: datetime | None = None) -> int:
    """Due at once again, with every attempt available (« renvoyer maintenant » of the admin); the number."""
    return mails.update(
        status=MailStatus.PENDING,
        next_attempt_at=now or timezone.now(),
        attempts=0,
        sent_at=None,
        last_error="",
    )


@dataclass
class QueueState:
    counts: dict[str, int]  # by status value, every status present
    oldest_waiting: datetime | None  # created_at of the oldest mail waiting
    next_attempt: datetime | None  # the next attempt of a mail waiting


def state() -> QueueState:
    counts = dict.fromkeys(MailStatus.values, 0)
    for row in OutgoingMail.objects.values("status").annotate(count=Count("pk")).order_by():
        counts[row["status"]] = row["count"]
    waiting = OutgoingMail.objects.filter(status=MailStatus.PENDING).aggregate(
        oldest=Min("created_at"), next=Min("next_attempt_at")
    )
    return QueueState(counts, waiting["oldest"], waiting["next"])


# --- In the worker ------------------------------------------------------------------------------------------


class Sender:
    """Sends the queue every `every` seconds from a thread of its own, so that a long job of the worker does not
    hold the mails back; purges once a day. Use as a context manager around the worker's loop. The thread closes
    its own database connection when it stops; a database that does not answer is logged and tried again."""

    def __init__(self, every: float = 5.0, purge_every: float = 86400.0):
        self.every, self.purge_every = every, purge_every
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="courriels", daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopped.set()
        self.thread.join(timeout() + 5)
        return False

    def _loop(self) -> None:
        last_purge = None
        try:
            while not self.stopped.wait(self.every):
                try:
                    send_pending()
                    moment = timezone.now()
                    if last_purge is None or (moment - last_purge).total_seconds() >= self.purge_every:
                        purge()
                        last_purge = moment
                except Exception as error:  # noqa: BLE001 - the next pass tries again
                    logger.warning("file des courriels : passage interrompu (%s)", type(error).__name__)
                    db_connection.close()  # a fresh connection at the next pass
        finally:
            db_connection.close()
