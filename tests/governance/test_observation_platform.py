"""A seat in a région's GT « Pauvreté » gives its holder the région's observation imports, and leaving the GT takes
them back (pacte.governance.services.observation_platform): by the seat's dates, the instance's activity and
kind, the région of the account; a permission given by hand is never touched; `pacte governance synchroniser`
ends the seats that expire on a date."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from pacte.governance.enums import CommitteeKind, MemberCategory
from pacte.governance.services import committees as services
from pacte.governance.services.observation_platform import (
    IMPORTERS_GROUP,
    importers_group,
    sync_all_importers,
)
from pacte.observation import perms
from tests.accounts.factories import UserFactory
from tests.governance.factories import CommitteeFactory, MemberFactory
from tests.observation.import_factories import grant_regional_import, regional_cog

pytestmark = pytest.mark.django_db

YESTERDAY = datetime.date.today() - datetime.timedelta(days=1)


def fresh(user):
    """The account as the next request reads it (Django caches permissions per instance)."""
    return get_user_model().objects.get(pk=user.pk)


@pytest.fixture
def cog():
    return regional_cog()


@pytest.fixture
def gt(cog):
    return CommitteeFactory(
        kind=CommitteeKind.POVERTY_WORKING_GROUP, name="GT Pauvreté PdL", territory=cog.pdl
    )


@pytest.fixture
def observer(cog):
    """An association of Loire-Atlantique (Pays de la Loire), no import right of its own."""
    return UserFactory(association=True, territory=cog.la)


def seat(committee, user, **fields):
    fields = {"category": MemberCategory.ASSOCIATIONS, "start_date": datetime.date(2024, 1, 1), **fields}
    return services.save_member(committee, user=user, **fields)


def test_a_seat_in_the_regions_gt_gives_the_regions_imports(gt, observer, cog):
    assert not perms.can_import_observations(observer)
    seat(gt, observer)
    user = fresh(observer)
    assert user.has_perm(perms.REGIONAL_IMPORT_PERMISSION)
    assert user.groups.filter(name=IMPORTERS_GROUP).exists()
    assert perms.import_limit(user) == cog.pdl


def test_the_end_of_the_seat_takes_them_back(gt, observer):
    member = seat(gt, observer)
    services.save_member(gt, member=member, expected_version=member.lock_version, end_date=YESTERDAY)
    user = fresh(observer)
    assert not user.has_perm(perms.REGIONAL_IMPORT_PERMISSION)
    assert not perms.can_import_observations(user)


def test_a_seat_given_to_another_account_moves_the_right(gt, observer, cog):
    member = seat(gt, observer)
    successor = UserFactory(association=True, territory=cog.ml)
    services.save_member(gt, member=member, expected_version=member.lock_version, user=successor)
    assert not fresh(observer).has_perm(perms.REGIONAL_IMPORT_PERMISSION)
    assert fresh(successor).has_perm(perms.REGIONAL_IMPORT_PERMISSION)


def test_an_instance_put_out_of_activity_or_of_another_kind_gives_nothing(gt, observer):
    seat(gt, observer)
    services.update_committee(gt, expected_version=gt.lock_version, is_active=False)
    assert not fresh(observer).has_perm(perms.REGIONAL_IMPORT_PERMISSION)
    copil = CommitteeFactory(kind=CommitteeKind.REGIONAL_COPIL, territory=gt.territory)
    seat(copil, observer)
    assert not fresh(observer).has_perm(perms.REGIONAL_IMPORT_PERMISSION)


def test_a_seat_in_another_regions_gt_gives_nothing(cog, observer):
    breton_gt = CommitteeFactory(kind=CommitteeKind.POVERTY_WORKING_GROUP, territory=cog.bretagne)
    seat(breton_gt, observer)
    assert not fresh(observer).has_perm(perms.REGIONAL_IMPORT_PERMISSION)


def test_a_seat_not_yet_begun_gives_nothing(gt, observer):
    seat(gt, observer, start_date=datetime.date.today() + datetime.timedelta(days=30))
    assert not fresh(observer).has_perm(perms.REGIONAL_IMPORT_PERMISSION)


def test_a_permission_given_by_hand_is_never_taken_back(gt, observer):
    observer = grant_regional_import(observer)
    member = seat(gt, observer)
    services.save_member(gt, member=member, expected_version=member.lock_version, end_date=YESTERDAY)
    user = fresh(observer)
    assert user.has_perm(perms.REGIONAL_IMPORT_PERMISSION)
    assert not user.groups.filter(name=IMPORTERS_GROUP).exists()


def test_the_daily_command_ends_the_seats_that_expired_on_their_date(gt, observer):
    seat(gt, observer)
    leaving = UserFactory(association=True, territory=gt.territory)
    seat(gt, leaving, end_date=datetime.date.today() + datetime.timedelta(days=10))
    assert fresh(leaving).has_perm(perms.REGIONAL_IMPORT_PERMISSION)
    # Eleven days later the second seat has ended without anyone saving it.
    assert sync_all_importers(day=datetime.date.today() + datetime.timedelta(days=11)) == (1, 1)
    assert not fresh(leaving).has_perm(perms.REGIONAL_IMPORT_PERMISSION)
    assert fresh(observer).has_perm(perms.REGIONAL_IMPORT_PERMISSION)
    out = io.StringIO()
    call_command("governance", "synchroniser", stdout=out)
    assert f"Groupe « {IMPORTERS_GROUP} » : 2 comptes ; 0 compte retiré." in out.getvalue()


def test_the_command_takes_out_a_seat_ended_without_a_save(gt, observer):
    MemberFactory(committee=gt, user=observer, end_date=YESTERDAY)  # written around the services
    observer.groups.add(importers_group())
    out = io.StringIO()
    call_command("governance", "sync", stdout=out)
    assert "0 compte ; 1 compte retiré." in out.getvalue()
    assert not fresh(observer).has_perm(perms.REGIONAL_IMPORT_PERMISSION)


def test_the_seated_member_opens_the_import_page_an_other_region_member_and_a_visitor_do_not(client, gt, cog):
    member = UserFactory(association=True, territory=cog.la)
    seat(gt, member)
    outsider = UserFactory(association=True, territory=cog.iv)
    seat(CommitteeFactory(kind=CommitteeKind.POVERTY_WORKING_GROUP, territory=cog.pdl), outsider)
    url = reverse("observation:import")
    assert client.get(url).status_code == 302
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    client.force_login(member)
    assert client.get(url).status_code == 200
