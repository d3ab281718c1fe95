"""The governance cast: a Pays de la Loire COPIL with its people: alice (commissioner of the région), bob (DDETS
44), charlie (commissioner of another région, same role outside the scope), dora (whose association is seated),
eve (an association outside), nadia (national steering); a meeting of the COPIL held a month ago and one to come,
each with its members invited."""

import pytest

from pacte.governance.enums import MemberCategory, MemberRole
from pacte.governance.services import roadmap as roadmap_services
from tests.accounts.factories import UserFactory
from tests.governance.factories import ROADMAP_YEAR, CommitteeFactory, MemberFactory, invited_meeting
from tests.territories.factories import RegionFactory


@pytest.fixture
def other_region():
    return RegionFactory(code="53", name="Bretagne")


@pytest.fixture
def commissioner(region):
    return UserFactory(username="alice", commissioner=True, territory=region)


@pytest.fixture
def other_commissioner(other_region):
    return UserFactory(username="charlie", commissioner=True, territory=other_region)


@pytest.fixture
def ddets(loire_atlantique):
    return UserFactory(username="bob", ddets=True, territory=loire_atlantique)


@pytest.fixture
def association_user(loire_atlantique):
    return UserFactory(username="dora", association=True, territory=loire_atlantique)


@pytest.fixture
def outsider_association(loire_atlantique):
    return UserFactory(username="eve", association=True, territory=loire_atlantique)


@pytest.fixture
def committee(region):
    return CommitteeFactory(territory=region, name="COPIL régional Pays de la Loire")


@pytest.fixture
def seated(committee, association_user):
    """dora's association seated in the COPIL."""
    return MemberFactory(
        committee=committee,
        organisation=association_user.organisation,
        person_name="Dora Martin",
        email="dora@example.org",
        category=MemberCategory.ASSOCIATIONS,
        role=MemberRole.MEMBER,
    )


@pytest.fixture
def national():
    return UserFactory(username="nadia", national=True)


@pytest.fixture
def meeting(committee, seated):
    """The COPIL's spring meeting, held a month ago, dora's association invited."""
    return invited_meeting(committee=committee, past=True, title="COPIL de printemps")


@pytest.fixture
def upcoming(committee, seated):
    """The COPIL's autumn meeting, in ten days, dora's association invited."""
    return invited_meeting(committee=committee, title="COPIL d'automne")


@pytest.fixture
def roadmap(region):
    """The roadmap of the Pays de la Loire for the current year, empty."""
    return roadmap_services.create_roadmap(region, ROADMAP_YEAR)


@pytest.fixture
def objective(roadmap):
    return roadmap_services.save_objective(roadmap, title="Aller vers les publics éloignés des droits")
