"""The sponsorship cast: in Pays de la Loire the commissioner (alice), an association of Loire-Atlantique (bob,
`member`) whose selected project is published (`project`), a validated company of Nantes (`company`); in
Bretagne the same roles outside the scope (charlie, dan)."""

import pytest

from pacte.grants.enums import ApplicationStatus
from tests.accounts.factories import UserFactory
from tests.grants.factories import ApplicationFactory, AssociationFactory, CallFactory, PrefectureFactory
from tests.sponsorship.factories import CompanyFactory, PublishedProjectFactory
from tests.territories.factories import CommuneFactory, DepartementFactory, RegionFactory


@pytest.fixture
def bretagne():
    return RegionFactory(code="53", name="Bretagne")


@pytest.fixture
def finistere(bretagne):
    return DepartementFactory(code="29", name="Finistère", parent=bretagne)


@pytest.fixture
def nantes(loire_atlantique):
    return CommuneFactory(code="44109", name="Nantes", parent=loire_atlantique)


@pytest.fixture
def brest(finistere):
    return CommuneFactory(code="29019", name="Brest", parent=finistere)


@pytest.fixture
def commissioner(region):
    prefecture = PrefectureFactory(name="Préfecture de la région Pays de la Loire", territory=region)
    return UserFactory(username="alice", commissioner=True, territory=region, organisation=prefecture)


@pytest.fixture
def other_commissioner(bretagne):
    return UserFactory(username="charlie", commissioner=True, territory=bretagne)


@pytest.fixture
def national():
    return UserFactory(username="nina", national=True)


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
def selected(region, association, loire_atlantique):
    """The association's selected candidature, not yet published."""
    call = CallFactory(region=region, owner=PrefectureFactory(territory=region))
    return ApplicationFactory(
        call=call,
        organisation=association,
        territory=loire_atlantique,
        status=ApplicationStatus.SELECTED,
        project_title="Épicerie solidaire",
    )


@pytest.fixture
def project(selected):
    return PublishedProjectFactory(application=selected)


@pytest.fixture
def company(nantes):
    return CompanyFactory(name="Boulangerie Dupont", commune=nantes)
