"""The Pays de la Loire of the organisation tests: an association of Loire-Atlantique, the DDETS agents of
Loire-Atlantique (alice, whose scope holds it) and of Vendée (charlie, same role outside the scope), and bob,
the regional commissioner (who may also change it)."""

import pytest

from tests.accounts.factories import OrganisationFactory, UserFactory


@pytest.fixture
def association(loire_atlantique):
    return OrganisationFactory(name="Entraide Ligérienne", kind="association", territory=loire_atlantique)


@pytest.fixture
def ddets(loire_atlantique):
    return UserFactory(username="alice", ddets=True, territory=loire_atlantique)


@pytest.fixture
def commissioner(region):
    return UserFactory(username="bob", commissioner=True, territory=region)


@pytest.fixture
def other_ddets(vendee):
    return UserFactory(username="charlie", ddets=True, territory=vendee)
