import pytest


@pytest.fixture(autouse=True)
def _db_and_cache(db, settings):
    """Every test may touch the database; axes counts failures per test, not across tests."""
    from django.core.cache import cache

    cache.clear()
