"""The demo's territoires zéro non-recours: two experiments declared by demo porteurs (labelled fictitious, none of
the arrêté's 39 touched), their periods in each state, and the cost figures they give the commissioner; loading
again duplicates nothing."""

import pytest

from pacte.accounts.models import User
from pacte.demo.tznr import load_tznr_demo
from pacte.territories.models import Territory
from pacte.tznr import queries
from pacte.tznr.enums import PeriodStatus
from pacte.tznr.models import Experiment, FollowUpPeriod
from pacte.workspace.queries import all_tasks
from tests.territories.factories import EpciFactory

CHATEAUBRIANT_DERVAL = "200072726"


@pytest.fixture
def demo(prerequisites):
    EpciFactory(
        code=CHATEAUBRIANT_DERVAL, name="CC Châteaubriant-Derval", parent=Territory.objects.get(code="44")
    )
    return load_tznr_demo()


def test_two_fictitious_experiments_with_their_periods(demo):
    assert demo.created["experiments"] == 2 and demo.created["periods"] == 5
    experiments = Experiment.objects.order_by("name")
    assert all(e.is_demo and e.article is None and "donnée fictive" in e.name for e in experiments)
    statuses = sorted(FollowUpPeriod.objects.values_list("status", flat=True))
    assert statuses.count(PeriodStatus.VALIDATED) == 3
    assert PeriodStatus.SUBMITTED in statuses and PeriodStatus.DRAFT in statuses
    again = load_tznr_demo()
    assert again.kept["experiments"] == 2 and not again.created
    assert FollowUpPeriod.objects.count() == 5


def test_the_commissioner_compares_costs_and_the_ddets_has_a_period_to_review(demo):
    commissioner = User.objects.get(username="commissaire-pdl")
    followed = list(queries.followed(commissioner))
    costs = queries.costs(followed)
    assert all(costs[e.pk].is_computable for e in followed)
    national, regional = queries.comparisons(followed, costs)
    assert national.experiments == 2 and national.pooled.per_right is not None
    ddets = User.objects.get(username="ddets44")
    assert [t.kind for t in all_tasks(ddets) if t.kind.startswith("tznr")] == ["tznr_periods_to_review"]
