"""The cast of « Mon espace »: the Pays de la Loire (Loire-Atlantique with Nantes Métropole, Vendée) and its users
of every role, a département (Bouches-du-Rhône) and a région (PACA) outside it."""

import pytest

from tests.accounts.factories import UserFactory
from tests.contracts.factories import Places, make_places
from tests.programme.factories import AxisFactory


@pytest.fixture
def places() -> Places:
    AxisFactory(number=1, title="Prévenir la pauvreté dès l'enfance")
    return make_places()


@pytest.fixture
def council(places):
    return UserFactory(username="alice", departement_council=True, territory=places.loire_atlantique)


@pytest.fixture
def other_council(places):
    return UserFactory(username="charles", departement_council=True, territory=places.vendee)


@pytest.fixture
def ddets(places):
    return UserFactory(username="denis", ddets=True, territory=places.loire_atlantique)


@pytest.fixture
def other_ddets(places):
    return UserFactory(username="diane", ddets=True, territory=places.bouches_du_rhone)


@pytest.fixture
def commissioner(places):
    return UserFactory(username="camille", commissioner=True, territory=places.pays_de_la_loire)


@pytest.fixture
def other_commissioner(places):
    return UserFactory(username="claude", commissioner=True, territory=places.paca)


@pytest.fixture
def national(places):
    return UserFactory(username="nadia", national=True)
