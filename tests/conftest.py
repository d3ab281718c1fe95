import pytest

from tests.territories.factories import DepartementFactory, RegionFactory


@pytest.fixture(autouse=True)
def _db_and_cache(db, settings):
    """Every test may touch the database; axes counts failures per test, not across tests."""
    from django.core.cache import cache

    cache.clear()


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
