"""What the benchmark scripts share: timing, formatting, measuring a page, and a throwaway database.

The scripts put the repository root on sys.path and set DJANGO_SETTINGS_MODULE before importing this
module; Django itself is set up by `throwaway_database()`.
"""

import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import django
from django.conf import settings

from pacte.formatting import plural


def timed(function: Callable[[], object]) -> float:
    """The duration of one call, in seconds."""
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def seconds(values: list[float], decimals: int) -> str:
    """Durations in seconds, with `decimals` decimals, separated by commas."""
    return ", ".join(f"{value:.{decimals}f}" for value in values)


def milliseconds(values: list[float]) -> str:
    """Durations given in seconds, written as whole milliseconds separated by commas."""
    return ", ".join(f"{value * 1000:.0f}" for value in values)


def print_database() -> None:
    database = settings.DATABASES["default"]
    print(f"Base : {database['ENGINE'].rsplit('.', 1)[-1]} ({database['NAME']})")


def steering_client():
    """Django's test client signed in as a national steering user (created unless it exists already)."""
    from django.test import Client

    from pacte.accounts.enums import Role
    from pacte.accounts.models import User

    user = User.objects.filter(username="pilotage-benchmark").first() or User.objects.create_user(
        "pilotage-benchmark", role=Role.NATIONAL_STEERING
    )
    client = Client()
    client.force_login(user)
    return client


def measure_page(client, url: str, rounds: int) -> tuple[list[float], int, int]:
    """Times of `rounds` GETs (after one warm-up), the number of queries and the response size (a
    streamed response is read to the end inside the timing)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def get():
        response = client.get(url)
        if response.streaming:
            response.content_length = sum(len(chunk) for chunk in response.streaming_content)
        else:
            response.content_length = len(response.content)
        return response

    response = get()
    assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        response = get()
    count = len(queries)  # before the next request resets the query log
    times = [timed(get) for _ in range(rounds)]
    return times, count, response.content_length


def print_page_report(
    results: list[tuple[str, list[float], int, int]], rounds: int, label_width: int
) -> None:
    """One line a page: median, ratio to the first page (the home page), queries, size and every time."""
    baseline = statistics.median(results[0][1])
    print(
        f"\n{plural(rounds, 'tour')} par page (temps serveur, client de test de Django), en millisecondes :"
    )
    for label, times, queries, size in results:
        median = statistics.median(times)
        print(
            f"{label:<{label_width}} médiane {median * 1000:7.0f} ms  ({median / baseline:5.1f} × l'accueil)  "
            f"{queries:3d} requêtes  {size / 1024:6.0f} Kio  [{milliseconds(times)}]"
        )


@contextmanager
def throwaway_database(sqlite_file: Path | None = None) -> Iterator[bool]:
    """Set Django up on a database of its own, migrated, for the time of the block.

    SQLite runs in a temporary file, or in `sqlite_file` when given (kept afterwards); with PostgreSQL,
    Django's test database (test_<name>) is created and dropped, so the database named in the settings is
    never touched. Yields whether `sqlite_file` already existed (its data can then be reused).
    """
    is_sqlite = settings.DATABASES["default"]["ENGINE"].endswith("sqlite3")
    reused = bool(is_sqlite and sqlite_file and sqlite_file.exists())
    with tempfile.TemporaryDirectory() as folder:
        if is_sqlite:
            path = sqlite_file or Path(folder) / "benchmark.sqlite3"
            settings.DATABASES["default"]["NAME"] = str(path)
        django.setup()
        from django.core.management import call_command
        from django.db import connection

        if is_sqlite:
            call_command("migrate", verbosity=0)
        else:
            connection.creation.create_test_db(verbosity=0, autoclobber=True)
        try:
            yield reused
        finally:
            if not is_sqlite:
                connection.creation.destroy_test_db(settings.DATABASES["default"]["NAME"], verbosity=0)
