"""The platform's logs and error reports (issue 16): one line per event, with its time in Paris, level, logger and
the id of the request it belongs to.

- `RequestIdMiddleware` (second middleware, right after `DatabaseUnavailableMiddleware`) gives each request an id:
  the `X-Request-ID` the reverse proxy sent (nginx's `$request_id`) when it is a safe token
  (`[A-Za-z0-9-]{8,64}`), a new one otherwise; it is sent back in the answer's `X-Request-ID` header and shown
  on the 500 page, so an operator finds the lines of a request in nginx's log and in the platform's.
- `RequestIdFilter` (on the handlers) adds `request_id` to every record (« - » outside a request).
- `TextFormatter`: `2026-12-05T10:15:02.123+01:00 INFO pacte.screening.jobs [-] traitement par lot prêt …`;
  `JsonFormatter` (`PACTE_LOG_FORMAT=json`): one JSON object per line (time, level, logger, request_id, message,
  exc_info). Times are in Europe/Paris with their offset, whatever the machine's time zone (`TIME_ZONE`).
- `AdminEmailHandler`: the mail sent to `ADMINS` (`PACTE_ADMINS`) on a server error names the request id, the
  view, the exception's type and where it was raised, never the request's data nor the exception's message
  (they may hold personal data): the whole traceback is in the server's log, under the same request id.
- `init_sentry`: Sentry when `SENTRY_DSN` is set (the `sentry-sdk` package, 2.x), without personal data.

The calendar keys stay masked: `pacte.governance.logs.HideCalendarKeys` filters the records of `django.request`
and `django.server` on the loggers themselves, before any handler, formatter or mail sees them.

This module imports nothing of Django at load time: the settings import it.
"""

import contextvars
import functools
import json
import logging
import re
import secrets
import traceback
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")  # TIME_ZONE of the settings: one time zone in every log
TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
HEADER = "X-Request-ID"
SAFE_ID = re.compile(r"[A-Za-z0-9-]{8,64}")
NO_REQUEST = "-"
REVISION_FILE = (
    "REVISION"  # written at release beside pyproject.toml: the commit (`git rev-parse --short HEAD`)
)
SAFE_REVISION = re.compile(r"[0-9A-Za-z._-]{1,64}")

_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("pacte_request_id", default=NO_REQUEST)
_sentry = False


# --- Request ids ------------------------------------------------------------------------------------------


def request_id() -> str:
    """The id of the request being served, « - » outside a request."""
    return _request_id.get()


def new_request_id() -> str:
    return secrets.token_hex(16)


def accepted_request_id(value: str | None) -> str:
    """The proxy's id when it is a safe token, else a new one (nothing the client made up reaches a log line)."""
    if value and SAFE_ID.fullmatch(value):
        return value
    return new_request_id()


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from pacte.core.unavailable import ERRORS, unavailable

        identifier = accepted_request_id(request.headers.get(HEADER))
        request.request_id = identifier
        token = _request_id.set(identifier)
        try:
            try:
                response = self.get_response(request)
            except ERRORS as error:  # raised by the 500 handler itself: logged with the request id
                response = unavailable(request, error)
            response[HEADER] = identifier
            return response
        finally:
            _request_id.reset(token)


def _record_request_id(record: logging.LogRecord) -> str:
    """The id of the request a record belongs to: the current one, or that of the request Django's handler
    logs its answer for (`django.request`, after the middlewares are done)."""
    current = request_id()
    if current == NO_REQUEST:
        return getattr(getattr(record, "request", None), "request_id", None) or NO_REQUEST
    return current


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = _record_request_id(record)
        return True


# --- Formats ----------------------------------------------------------------------------------------------


def paris_time(created: float) -> str:
    return datetime.fromtimestamp(created, PARIS).isoformat(timespec="milliseconds")


class TextFormatter(logging.Formatter):
    def __init__(self, fmt: str | None = None, datefmt: str | None = None, style: str = "%", **kwargs):
        super().__init__(fmt or TEXT_FORMAT, datefmt, style, **kwargs)

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:  # noqa: N802
        return paris_time(record.created)

    def format(self, record: logging.LogRecord) -> str:
        if not hasattr(record, "request_id"):
            record.request_id = _record_request_id(record)
        return super().format(record)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, request_id, message, exc_info (null without one)."""

    def format(self, record: logging.LogRecord) -> str:
        exc_info = None
        if record.exc_info:
            exc_info = self.formatException(record.exc_info)
        elif record.exc_text:
            exc_info = record.exc_text
        if record.stack_info:
            exc_info = f"{exc_info}\n{record.stack_info}" if exc_info else record.stack_info
        return json.dumps(
            {
                "time": paris_time(record.created),
                "level": record.levelname,
                "logger": record.name,
                "request_id": getattr(record, "request_id", None) or _record_request_id(record),
                "message": record.getMessage(),
                "exc_info": exc_info,
            },
            ensure_ascii=False,
        )


def formatter_class(choice: str) -> str:
    """The dotted path of the formatter `PACTE_LOG_FORMAT` names (TEXT or JSON)."""
    return f"{__name__}.{'JsonFormatter' if choice.upper() == 'JSON' else 'TextFormatter'}"


# --- Version ----------------------------------------------------------------------------------------------


@functools.cache
def version(base_dir: Path | None = None) -> str:
    """The version the logs, `/sante/` and the error reports name: the package's version, followed by the commit
    of the release when the file `REVISION` (written at release beside pyproject.toml) holds one."""
    from importlib import metadata

    root = base_dir or Path(__file__).resolve().parent.parent.parent
    try:
        number = metadata.version("pacte")
    except metadata.PackageNotFoundError:
        number = "inconnue"
    try:
        revision = (root / REVISION_FILE).read_text(encoding="utf-8").strip().split()[0]
    except (OSError, UnicodeDecodeError, IndexError):
        return number
    return f"{number} ({revision})" if SAFE_REVISION.fullmatch(revision) else number


# --- Error reports ----------------------------------------------------------------------------------------


class AdminsError(ValueError):
    """`PACTE_ADMINS` is not a list of `Nom <adresse>` (French message)."""


_ADMIN = re.compile(r"\s*(?:(?P<name>[^<>,]*?)\s*<(?P<address>[^<>\s,]+)>|(?P<bare>[^<>\s,]+))\s*")
_ADDRESS = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def parse_admins(value: str | None) -> list[tuple[str, str]]:
    """`Nom <a@b.fr>, Autre <c@d.fr>` (or bare addresses) as Django's ADMINS; AdminsError on a bad item."""
    admins = []
    for item in (value or "").split(","):
        if not item.strip():
            continue
        match = _ADMIN.fullmatch(item)
        address = (match.group("address") or match.group("bare")) if match else None
        if not address or not _ADDRESS.fullmatch(address):
            raise AdminsError(
                f"PACTE_ADMINS : « {item.strip()} » n'est pas de la forme « Nom <adresse@domaine.fr> » "
                "(plusieurs destinataires séparés par des virgules)."
            )
        admins.append(((match.group("name") or "").strip() or address, address))
    return admins


def sentry_enabled() -> bool:
    return _sentry


def _tag_request(event, hint):
    """Sentry's `before_send`: the request id, to find the same request in the server's log."""
    event.setdefault("tags", {})["request_id"] = request_id()
    return event


def init_sentry(dsn: str, *, environment: str, release: str) -> None:
    """Report errors to Sentry, without personal data: no cookies, user, client address, request body or local
    variables. ImportError with a French message when the `sentry-sdk` package is missing."""
    global _sentry
    try:
        import sentry_sdk
    except ImportError:
        raise ImportError(
            "SENTRY_DSN est défini mais le paquet sentry-sdk n'est pas installé : installez-le dans "
            "l'environnement de Pacte ou retirez SENTRY_DSN."
        ) from None
    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        send_default_pii=False,
        max_request_body_size="never",
        include_local_variables=False,
        before_send=_tag_request,
    )
    _sentry = True


class AdminEmailHandler(logging.Handler):
    """Mails a server error to ADMINS without the request's data nor the exception's message (module docstring).

    The mail goes into the platform's queue (`pacte.core.mail.queue`, in its own transaction), which the worker
    sends with its timeout and retries: the error page never waits for the mail server. When the queue cannot be
    written (the database is what failed, or the request left its connection unusable), it is sent at once with
    `mail_admins(fail_silently=True)`, as before: a mail server that does not answer never hides the error page."""

    def emit(self, record: logging.LogRecord) -> None:
        if not record.exc_info or record.exc_info[0] is None:
            # An answer logged without an exception (a 503 of the database or of `/sante/`): one per request
            # while an outage lasts, no mail for each.
            return
        try:
            from django.core.mail import mail_admins

            request = getattr(record, "request", None)
            match = getattr(request, "resolver_match", None)
            kind = record.exc_info[0].__name__
            frames = "\n".join(
                f"  {frame.filename}:{frame.lineno} dans {frame.name}"
                for frame in traceback.extract_tb(record.exc_info[2])
            )
            identifier = getattr(record, "request_id", None) or _record_request_id(record)
            subject = (
                f"Erreur {getattr(record, 'status_code', '') or record.levelname} : {kind or record.name}"
            )
            body = "\n".join(
                [
                    f"Date : {paris_time(record.created)}",
                    f"Version : {version()}",
                    f"Référence de la demande : {identifier}",
                    f"Méthode : {getattr(request, 'method', '-')}",
                    f"Vue : {getattr(match, 'view_name', None) or '-'}",
                    f"Journal : {record.name} ({record.levelname})",
                    f"Exception : {kind}",
                    "",
                    "Pile d'appels (la trace complète est dans le journal du serveur, sous la même référence) :",
                    frames,
                ]
            )
            if not _queue_for_admins(f"{subject} [{identifier}]", body):
                mail_admins(f"{subject} [{identifier}]", body, fail_silently=True)
        except Exception:
            self.handleError(record)


def _queue_for_admins(subject: str, body: str) -> bool:
    """Put the mail to ADMINS in the queue, as `mail_admins` would write it; False when nothing could be queued
    (no ADMINS, or the database refused: the caller then sends it at once)."""
    from django.conf import settings
    from django.core.mail import EmailMessage
    from django.db import transaction

    from pacte.core.mail import queue

    recipients = [address for _name, address in settings.ADMINS]
    if not recipients:
        return True  # nobody to tell: mail_admins would send nothing either
    message = EmailMessage(
        f"{settings.EMAIL_SUBJECT_PREFIX}{subject}", body, settings.SERVER_EMAIL, recipients
    )
    try:
        with transaction.atomic():
            queue(message)
    except Exception:
        return False
    return True
