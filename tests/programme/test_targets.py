from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from pacte.core.locking import StaleEditError
from pacte.programme.models import Target
from pacte.programme.services import update_target
from tests.programme.factories import TargetFactory


@pytest.fixture
def target():
    return TargetFactory(code="places-creches", label="Places en crèche", target_value=Decimal("1000"))


def test_a_correction_moves_the_version_on(target):
    update_target(target, expected_version=0, target_value=Decimal("1200"), notes="chiffre révisé")
    target.refresh_from_db()
    assert (target.target_value, target.notes, target.lock_version) == (Decimal("1200"), "chiffre révisé", 1)


def test_a_correction_from_a_stale_version_is_refused_and_nothing_is_written(target):
    update_target(target, expected_version=0, target_value=Decimal("1200"))
    stale = Target.objects.get(pk=target.pk)
    with pytest.raises(StaleEditError):
        update_target(stale, expected_version=0, target_value=Decimal("1300"))
    target.refresh_from_db()
    assert (target.target_value, target.lock_version) == (Decimal("1200"), 1)


def test_a_correction_that_breaks_the_rules_is_refused_field_by_field(target):
    with pytest.raises(ValidationError) as error:
        update_target(target, expected_version=0, kind="reference", baseline_year=2030, target_year=2020)
    assert error.value.message_dict == {
        "baseline_value": ["Une valeur de référence se note dans baseline_value."],
        "target_value": ["Une valeur de référence n'a ni valeur cible ni année cible."],
        "baseline_year": ["Année de départ sans valeur de départ."],
        "target_year": ["L'année cible précède l'année de départ."],
    }
    target.refresh_from_db()
    assert (target.kind, target.lock_version) == ("cible", 0)


def test_a_territorial_figure_needs_its_territory(target):
    with pytest.raises(ValidationError) as error:
        update_target(target, expected_version=0, scope="territoire")
    assert error.value.message_dict == {"territory": ["Le périmètre « territoire » demande un territoire."]}


def test_only_the_fields_of_a_target_can_change(target):
    with pytest.raises(TypeError):
        update_target(target, expected_version=0, lock_version=5)
    assert Target.objects.get(pk=target.pk).lock_version == 0
