"""Who follows an experiment and who is told: the porteur, the DDETS of the département (of any of them for an
experiment over several), the commissioner of the région and national steering; the same roles elsewhere and
the public never; the messages carry no figure of the period."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from pacte.accounts.enums import NotificationFrequency
from pacte.accounts.models import Notification
from pacte.core.models import OutgoingMail
from pacte.tznr import perms, queries, services
from tests.tznr.factories import ExperimentFactory, PeriodFactory


@pytest.mark.parametrize(
    ("who", "follows"),
    [
        ("porteur", True),
        ("ddets", True),
        ("commissioner", True),
        ("national", True),
        ("other_porteur", False),
        ("other_ddets", False),
        ("other_commissioner", False),
    ],
)
def test_who_follows_an_experiment(request, experiment, who, follows):
    user = request.getfixturevalue(who)
    assert perms.can_follow(user, experiment) is follows
    assert (experiment in queries.followed(user)) is follows


def test_the_public_reads_the_register_but_not_the_follow_up(experiment):
    anonymous = AnonymousUser()
    assert perms.can_view_register(anonymous)
    assert not perms.can_follow(anonymous, experiment)
    assert not perms.can_view_costs(anonymous)
    assert list(queries.followed(anonymous)) == []


def test_an_experiment_over_two_departements_is_followed_by_both_ddets(ddets, other_ddets, nantes, vendee):
    from tests.territories.factories import CommuneFactory

    in_vendee = CommuneFactory(parent=vendee)
    experiment = ExperimentFactory(commune=nantes, departement=None, covers=[nantes, in_vendee])
    assert perms.can_follow(ddets, experiment) and perms.can_follow(other_ddets, experiment)
    assert list(queries.followed(ddets)).count(experiment) == 1  # once, not once per territory


def test_a_transmitted_period_tells_the_state_and_a_validation_tells_the_porteur(
    porteur,
    ddets,
    commissioner,
    other_ddets,
    other_commissioner,
    experiment,
    django_capture_on_commit_callbacks,
):
    commissioner.notification_frequency = NotificationFrequency.DAILY
    commissioner.save()
    period = PeriodFactory(experiment=experiment, end=datetime.date(2024, 6, 30))
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_period(porteur, period, version=period.lock_version)
    mails = list(OutgoingMail.objects.all())
    assert [m.to for m in mails] == [[ddets.email]]  # the other DDETS and commissioner are told nothing
    assert (
        Notification.objects.filter(user=commissioner).count() == 1
    )  # the commissioner chose a daily digest
    assert "Ville de Nantes" in mails[0].body and "du 01/01/2024 au 30/06/2024" in mails[0].body
    assert "60 000" not in mails[0].body and "400" not in mails[0].body  # no figure of the period
    OutgoingMail.objects.all().delete()
    period.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        services.review_period(ddets, period, validate=True, version=period.lock_version)
    assert [m.to for m in OutgoingMail.objects.all()] == [[porteur.email]]
