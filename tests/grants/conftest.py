"""The grants cast: the Pays de la Loire call (`call`) with its commissioner (alice), an association of
Loire-Atlantique (bob, `member`) and its filed candidature (`application`), a DDETS reviewer assigned to the call
(eve, `reviewer`), the convention of the selected candidature (`agreement`), and the same roles in Bretagne
(charlie, the commissioner outside the scope; dan, another association). A test module may define a fixture of
the same name to tell another story."""

import pytest

from pacte.grants.models import Application, GrantAgreement
from pacte.grants.services import calls, evaluations
from tests.accounts.factories import UserFactory
from tests.grants.factories import (
    ApplicationFactory,
    AssociationFactory,
    CallFactory,
    PrefectureFactory,
    select,
)
from tests.territories.factories import DepartementFactory, RegionFactory


@pytest.fixture
def bretagne():
    return RegionFactory(code="53", name="Bretagne")


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


@pytest.fixture
def application(call, member, loire_atlantique):
    """The member's filed candidature to the open call."""
    return ApplicationFactory(call=call, organisation=member.organisation, territory=loire_atlantique)


@pytest.fixture
def reviewer(call, loire_atlantique):
    user = UserFactory(username="eve", ddets=True, territory=loire_atlantique)
    evaluations.assign_reviewer(call, user)
    return user


@pytest.fixture
def agreement(application, commissioner):
    """The convention of the member's candidature, selected once the call is closed (amounts as asked)."""
    calls.close_call(application.call, commissioner)
    select(Application.objects.get(pk=application.pk), commissioner)
    return GrantAgreement.objects.get()
