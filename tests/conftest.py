import csv

import pytest

from tests.territories.factories import DepartementFactory, RegionFactory


@pytest.fixture(autouse=True)
def _db_and_cache(db, settings):
    """Every test may touch the database; axes counts failures per test, not across tests, and no page kept by
    a test is served to the next."""
    from django.core.cache import caches

    for store in caches.all():
        store.clear()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test databases, and before they are dropped at the end of the run, on PostgreSQL, the end of
    any other session still connected to the test database. A request thread of the live server (browser tests)
    can outlive its test with its connection open; DROP DATABASE then fails with « database "test_pacte" is being
    accessed by other users », an error of the test run, not of the platform."""
    yield
    from django.db import connections

    with django_db_blocker.unblock():
        for connection in connections.all():
            if connection.vendor != "postgresql":
                continue
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


# The csv module's field limit is one setting of the process: a library imported by a test (frictionless raises it
# at import) must not decide what the platform's readers refuse. Every test starts from Python's default.
CSV_FIELD_LIMIT = 131_072


@pytest.fixture(autouse=True)
def _csv_field_limit():
    previous = csv.field_size_limit(CSV_FIELD_LIMIT)
    yield
    csv.field_size_limit(previous)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory):
    """Uploaded and generated files (stored PDFs, household files) go to a directory of the test run."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


# The territories most tests stand on (a test module or an app's conftest may tell another story under the same name).


@pytest.fixture
def region():
    return RegionFactory(code="52", name="Pays de la Loire")


@pytest.fixture
def loire_atlantique(region):
    return DepartementFactory(code="44", name="Loire-Atlantique", parent=region)


@pytest.fixture
def vendee(region):
    return DepartementFactory(code="85", name="Vendée", parent=region)
