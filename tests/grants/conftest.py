"""The Pays de la Loire call of the page tests: its commissioner (alice), an association of Loire-Atlantique
(bob) and the same roles in Bretagne (charlie, the commissioner outside the scope; dan, another association).
A test module may define a fixture of the same name to tell another story."""

import pytest

from tests.accounts.factories import UserFactory
from tests.grants.factories import AssociationFactory, CallFactory, PrefectureFactory
from tests.territories.factories import DepartementFactory, RegionFactory


@pytest.fixture
def region():
    return RegionFactory(code="52", name="Pays de la Loire")


@pytest.fixture
def bretagne():
    return RegionFactory(code="53", name="Bretagne")


@pytest.fixture
def loire_atlantique(region):
    return DepartementFactory(code="44", name="Loire-Atlantique", parent=region)


@pytest.fixture
def finistere(bretagne):
    return DepartementFactory(code="29", name="Finistère", parent=bretagne)


@pytest.fixture
def prefecture(region):
    return PrefectureFactory(name="Préfecture de la région Pays de la Loire", territory=region)


@pytest.fixture
def commissioner(region, prefecture):
    return UserFactory(
        username="alice", commissioner=True, territory=region, organisation=prefecture, first_name="Alice"
    )


@pytest.fixture
def other_commissioner(bretagne):
    return UserFactory(username="charlie", commissioner=True, territory=bretagne)


@pytest.fixture
def association(loire_atlantique):
    return AssociationFactory(name="Entraide de test", territory=loire_atlantique)


@pytest.fixture
def member(association, loire_atlantique):
    return UserFactory(username="bob", association=True, organisation=association, territory=loire_atlantique)


@pytest.fixture
def other_member(finistere):
    return UserFactory(
        username="dan",
        association=True,
        organisation=AssociationFactory(territory=finistere),
        territory=finistere,
    )


@pytest.fixture
def call(region, prefecture):
    return CallFactory(region=region, owner=prefecture, reference="AAP-52-2025", title="Appel à projets 2025")
