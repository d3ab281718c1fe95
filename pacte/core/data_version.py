"""The data version: a token that changes whenever the database is written, shared by every server process.

What a public page shows depends on the database (and on the code and the day, see `pacte.core.page_cache`).
Rather than listing, page by page, the rows each one reads, every write is watched where it happens: an
execute wrapper, installed on each database connection of every process (web workers, the rights worker,
management commands and imports), looks at each SQL statement sent. An INSERT, UPDATE, DELETE or TRUNCATE
on a table outside `UNWATCHED_TABLES` draws a new token:

- at once, so that the next read in this process (a test, a page after a save) never sees the old version;
- and again when the transaction commits (`transaction.on_commit`): another process that read the old rows
  between the write and the commit may have stored its page under the token drawn at once; the second token
  leaves that page behind.

A write that is rolled back changes the token for nothing, which only costs a page rendered again. The token
is kept, without expiry, in Django's default cache, which docs/deploiement.md asks to share between the
server processes (PACTE_CACHE_DIR). Writes made outside Django (psql, a restore with pg_restore) are not
seen: `pacte pages vider` forgets the kept pages and draws a new token, and the restore procedure runs it.

`UNWATCHED_TABLES` are tables written while nobody changes what a page shows: sessions, sign-in attempts and
their logs, API and calendar tokens (their last use is written at each use), the rights worker's jobs and its
sign of life (a heartbeat every 30 s, read by /sante/ only), the queue of outgoing e-mails (written by the worker
as it sends). None of them is read by a page that is kept. The time of a sign-in (`last_login`) is
not watched either.
"""

import logging
import re
import secrets

from django.core.cache import cache
from django.db import transaction

KEY = "pacte:data-version"
logger = logging.getLogger(__name__)

UNWATCHED_TABLES = frozenset(
    {
        "django_session",
        "axes_accessattempt",
        "axes_accessattemptexpiration",
        "axes_accessfailurelog",
        "axes_accesslog",
        "accounts_apitoken",
        "governance_calendartoken",
        "screening_screeningjob",
        "screening_workerheartbeat",
        "core_outgoingmail",
    }
)

# The table of a write statement as Django and the importers write them: INSERT INTO "t", UPDATE "t",
# DELETE FROM "t", TRUNCATE "t" (with or without quotes, after optional spaces).
_WRITE = re.compile(
    r"\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|TRUNCATE(?:\s+TABLE)?)\s+[\"`]?([A-Za-z0-9_.]+)",
    re.IGNORECASE,
)


def current() -> str:
    """The data version now (a new one is drawn if the cache lost it: every page is then rendered again)."""
    version = cache.get(KEY)
    if version is None:
        cache.add(KEY, secrets.token_hex(8), None)
        version = cache.get(KEY) or "perdue"
    return version


def bump() -> None:
    """Draw a new data version. A cache that cannot be written (a full disk, a folder of another user) must not
    undo the write that asked for it: it is logged, and kept pages then live `PACTE_PAGE_CACHE_SECONDS` at most."""
    try:
        cache.set(KEY, secrets.token_hex(8), None)
    except OSError as error:
        logger.error("data version not changed, the cache cannot be written: %s", error)


# Signing in writes the time of the sign-in (django.contrib.auth.models.update_last_login), shown on no page.
_SIGN_IN = re.compile(r'\s*UPDATE\s+"?accounts_user"?\s+SET\s+"?last_login"?\s*=\s*%s\s+WHERE', re.IGNORECASE)


def written_table(sql: str) -> str | None:
    """The table a statement writes to, or None for a read (or a statement that changes no row)."""
    match = _WRITE.match(sql)
    return match.group(1).lower() if match else None


def changes_pages(sql: str) -> bool:
    """Whether a statement may change what a page shows: a write outside `UNWATCHED_TABLES`, other than the
    time of a sign-in."""
    table = written_table(sql)
    return table is not None and table not in UNWATCHED_TABLES and not _SIGN_IN.match(sql)


def _pending(connection) -> bool:
    return any(callback is bump for _, callback, *_ in connection.run_on_commit)


def watch_writes(execute, sql, params, many, context):
    """The execute wrapper (installed by `install`): run the statement, then note a write."""
    result = execute(sql, params, many, context)
    if isinstance(sql, str) and changes_pages(sql):
        bump()
        connection = context["connection"]
        if connection.in_atomic_block and not _pending(connection):
            transaction.on_commit(bump, using=connection.alias)
    return result


def install(connection, **kwargs) -> None:
    """Receiver of `connection_created`: watch the writes of this connection (once per connection object)."""
    if watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch_writes)
