"""`GET /sante/`: whether the platform can serve, for a monitoring probe or a load balancer (issue 16).

The answer is JSON, never cached, open to anyone and without a session:

    {"base": "ok", "worker": "ok", "version": "0.1.0 (3f2c9ab)", "heure": "2026-12-05T10:15:02+01:00"}

- `base`: « ok » when one `SELECT 1` answers (within `STATEMENT_TIMEOUT_MS` on PostgreSQL), « injoignable »
  otherwise;
- `worker`: the last sign of life of the rights workers (`pacte rights traiter`): « ok », « en retard » when it
  is older than `PACTE_WORKER_STALE_SECONDS` (300 by default), « absent » when no worker ever gave one, « inconnu »
  when the database does not answer (the sign of life is kept there);
- `version`: `logs.version()`, the one the logs and the error reports name;
- `heure`: the server's time in Paris.

The status is 200 when the base and the worker are « ok », 503 otherwise. The view catches the database's
failure itself, so `DatabaseUnavailableMiddleware` never turns it into its HTML page; no middleware before the
view reads the database for a request without cookies.

Core knows no app above it: the worker's sign of life is read by the function `config/urls.py` passes as
`last_beat` (`pacte.screening.jobs.last_worker_beat`).
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from pacte.core import logs

logger = logging.getLogger(__name__)

STATEMENT_TIMEOUT_MS = 2000
OK, UNREACHABLE = "ok", "injoignable"
LATE, ABSENT, UNKNOWN = "en retard", "absent", "inconnu"


def stale_after() -> timedelta:
    return timedelta(seconds=getattr(settings, "PACTE_WORKER_STALE_SECONDS", 300))


def database_answers() -> bool:
    """One `SELECT 1`, bounded in time on PostgreSQL (a lock or an overloaded server answers « injoignable »)."""
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"SET LOCAL statement_timeout = {STATEMENT_TIMEOUT_MS}")
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        # The type only: the driver's message may name the server and the account.
        logger.error("health check: database unavailable (%s)", type(error).__name__)
        return False
    return True


def worker_state(last_beat: Callable[[], datetime | None] | None, now: datetime) -> str:
    if last_beat is None:
        return ABSENT
    try:
        beat_at = last_beat()
    except DatabaseError as error:
        logger.error("health check: worker heartbeat not read (%s)", type(error).__name__)
        return UNKNOWN
    if beat_at is None:
        return ABSENT
    return OK if now - beat_at <= stale_after() else LATE


@never_cache
@require_safe
def health(request, last_beat: Callable[[], datetime | None] | None = None):
    now = timezone.now()
    base = OK if database_answers() else UNREACHABLE
    worker = worker_state(last_beat, now) if base == OK else UNKNOWN
    body = {
        "base": base,
        "worker": worker,
        "version": logs.version(),
        "heure": timezone.localtime(now).isoformat(timespec="seconds"),
    }
    status = 200 if base == OK and worker == OK else 503
    if base == OK and worker != OK:
        logger.warning("health check: base %s, worker %s", base, worker)
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    if status == 503:
        response["Retry-After"] = "30"
    return response
