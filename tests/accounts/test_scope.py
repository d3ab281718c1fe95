import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from pacte.accounts.scope import covers
from pacte.territories.models import Territory
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.territories.factories import CommuneFactory, DepartementFactory, EpciFactory, RegionFactory


@pytest.fixture
def tree():
    region = RegionFactory(code="52")
    other_region = RegionFactory(code="53")
    dep = DepartementFactory(code="44", parent=region)
    other_dep = DepartementFactory(code="85", parent=region)
    metropole = EpciFactory(code="244400404", parent=dep, metropole=True)
    nantes = CommuneFactory(code="44109", parent=dep, epci=metropole)
    saint_nazaire = CommuneFactory(code="44184", parent=dep)
    return locals()


def test_national_steering_covers_everything(tree):
    user = UserFactory(national=True)
    assert all(covers(user, territory) for territory in Territory.objects.all())


def test_a_regional_commissioner_covers_its_region_only(tree):
    user = UserFactory(commissioner=True, territory=tree["region"])
    assert (
        covers(user, tree["nantes"]) and covers(user, tree["other_dep"]) and covers(user, tree["metropole"])
    )
    assert not covers(user, tree["other_region"])


def test_ddets_covers_its_departement_its_epci_and_communes(tree):
    user = UserFactory(ddets=True, territory=tree["dep"])
    assert (
        covers(user, tree["dep"]) and covers(user, tree["metropole"]) and covers(user, tree["saint_nazaire"])
    )
    assert not covers(user, tree["other_dep"])
    assert not covers(user, tree["region"])


def test_a_metropole_covers_its_member_communes_only(tree):
    user = UserFactory(metropole=True, territory=tree["metropole"])
    assert covers(user, tree["nantes"])
    assert not covers(user, tree["saint_nazaire"])
    assert not covers(user, tree["dep"])


def test_anonymous_and_role_less_users_cover_nothing(tree):
    assert not covers(AnonymousUser(), tree["nantes"])
    assert not covers(UserFactory(), tree["nantes"])


def test_a_ddets_user_must_be_attached_to_a_departement(tree):
    user = UserFactory(ddets=True, territory=tree["region"])
    with pytest.raises(ValidationError) as error:
        user.full_clean()
    assert "département" in str(error.value)


def test_a_local_authority_on_an_epci_must_be_a_metropole(tree):
    user = UserFactory(departement_council=True, territory=EpciFactory(parent=tree["dep"]))
    with pytest.raises(ValidationError) as error:
        user.full_clean()
    assert "métropole" in str(error.value)


def test_an_organisation_checks_its_siren_and_rna(tree):
    organisation = OrganisationFactory.build(territory=tree["dep"], siren="12345", rna="X123")
    with pytest.raises(ValidationError) as error:
        organisation.full_clean()
    assert set(error.value.message_dict) >= {"siren"}
