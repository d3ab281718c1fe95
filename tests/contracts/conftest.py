"""The casts of the contracts tests: the two parties of a Loire-Atlantique convention and their neighbours in
Vendée; and the `world` of the contract pages (two départements of the Pays de la Loire, one of PACA, a draft
and a signed contract, users of every side). A test module may define a fixture of the same name to tell
another story."""

import pytest

from tests.accounts.factories import UserFactory
from tests.contracts.factories import World, build_contract, make_world


@pytest.fixture
def contract(loire_atlantique):
    return build_contract(loire_atlantique)


@pytest.fixture
def council(loire_atlantique):
    return UserFactory(username="alice", departement_council=True, territory=loire_atlantique)


@pytest.fixture
def other_council(vendee):
    return UserFactory(username="charlie", departement_council=True, territory=vendee)


@pytest.fixture
def ddets(loire_atlantique):
    return UserFactory(username="bob", ddets=True, territory=loire_atlantique)


@pytest.fixture
def other_ddets(vendee):
    return UserFactory(username="dan", ddets=True, territory=vendee)


@pytest.fixture
def world() -> World:
    return make_world()
