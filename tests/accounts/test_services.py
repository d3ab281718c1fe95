import pytest
from django.core.exceptions import ValidationError

from pacte.accounts import services
from pacte.accounts.models import Organisation
from pacte.core.locking import StaleEditError
from tests.accounts.factories import OrganisationFactory


def test_a_change_moves_the_version_on(association):
    services.update_organisation(association, expected_version=0, email="contact@entraide.example")
    association.refresh_from_db()
    assert association.email == "contact@entraide.example"
    assert association.lock_version == 1


def test_a_change_from_a_stale_version_is_refused_and_nothing_is_written(association):
    services.update_organisation(association, expected_version=0, email="premier@example.org")
    stale = Organisation.objects.get(pk=association.pk)
    stale.lock_version = 0
    with pytest.raises(StaleEditError):
        services.update_organisation(stale, expected_version=0, email="second@example.org")
    association.refresh_from_db()
    assert (association.email, association.lock_version) == ("premier@example.org", 1)


def test_a_script_without_a_version_still_moves_it_on(association):
    services.update_organisation(association, expected_version=None, website="https://entraide.example")
    assert Organisation.objects.get(pk=association.pk).lock_version == 1


def test_bad_values_are_refused_field_by_field_and_nothing_is_written(association):
    with pytest.raises(ValidationError) as error:
        services.update_organisation(
            association, expected_version=0, siren="12", rna="X1", email="pas-un-mail"
        )
    assert set(error.value.message_dict) == {"siren", "rna", "email"}
    assert error.value.message_dict["siren"] == ["Le SIREN compte 9 chiffres."]
    association.refresh_from_db()
    assert (association.siren, association.lock_version) == ("", 0)


def test_two_organisations_of_a_kind_cannot_bear_the_same_name(association):
    other = OrganisationFactory(name="Secours ligérien", kind="association", territory=association.territory)
    with pytest.raises(ValidationError) as error:
        services.update_organisation(other, expected_version=0, name="Entraide Ligérienne")
    assert error.value.message_dict == {"name": ["Une organisation de ce type porte déjà ce nom."]}
    OrganisationFactory(name="Entraide Ligérienne", kind="ccas", territory=association.territory)


def test_an_organisation_is_created_after_its_checks(loire_atlantique):
    created = services.create_organisation(
        name="Solidarité Atlantique", kind="association", territory=loire_atlantique, siren="214401093"
    )
    assert Organisation.objects.get(pk=created.pk).lock_version == 0
    with pytest.raises(ValidationError) as error:
        services.create_organisation(name="DDETS nationale", kind="ddets", territory=None)
    assert set(error.value.message_dict) == {"territory"}
    assert not Organisation.objects.filter(name="DDETS nationale").exists()


def test_only_the_fields_of_an_organisation_can_change(association):
    with pytest.raises(TypeError):
        services.update_organisation(association, expected_version=0, lock_version=9)
