"""API of the territoires zéro non-recours: the register for everyone, the follow-up of an experiment for whom
follows it (not the same role elsewhere, not an anonymous caller), the costs for the State and the porteurs (401
without a token, 401 for a refused one, 403 for a role without costs)."""

import datetime
from decimal import Decimal

import pytest

from pacte.accounts.models import ApiToken
from tests.accounts.factories import UserFactory
from tests.helpers import api_get, ids
from tests.tznr.factories import (
    FundingFactory,
    OpenedRightFactory,
    PeriodFactory,
    tznr_cast,
)

API = "/api/v1/zero-non-recours/"
COSTS = f"{API}couts"


@pytest.fixture
def cast(region, loire_atlantique, vendee):
    return tznr_cast(region, loire_atlantique, vendee)


@pytest.fixture
def figures(cast):
    """Nantes: 60 000 € for 40 rights (1 500 € each); Brest: 30 000 € for 10 rights (3 000 €); France: 90 000 €
    for 50 rights (1 800 €). A draft period of Nantes counts for nothing."""
    FundingFactory(experiment=cast.experiment, amount=Decimal("120000"))
    OpenedRightFactory(period=PeriodFactory(experiment=cast.experiment, validated=True), count=40)
    draft = PeriodFactory(
        experiment=cast.experiment, start=datetime.date(2024, 7, 1), end=datetime.date(2024, 12, 31), spent=1
    )
    OpenedRightFactory(period=draft, count=1000)
    OpenedRightFactory(
        period=PeriodFactory(experiment=cast.other_experiment, validated=True, spent=Decimal("30000")),
        count=10,
        monthly_amount=None,
    )


def test_the_register_is_public_and_filtered_by_region_and_article(client, cast):
    cast.experiment.article = 1
    cast.experiment.save()
    assert sorted(ids(api_get(client, API))) == sorted([cast.experiment.pk, cast.other_experiment.pk])
    assert ids(api_get(client, API, region="52")) == [cast.experiment.pk]
    assert ids(api_get(client, API, article=1)) == [cast.experiment.pk]
    assert ids(api_get(client, API, article=0)) == [cast.other_experiment.pk]
    item = next(row for row in api_get(client, API).json()["items"] if row["id"] == cast.experiment.pk)
    assert item["territories"] == [{"level": "commune", "code": "44109", "name": "Nantes"}]
    assert item["porteur"] == "CCAS de Nantes" and item["region"]["code"] == "52"
    assert api_get(client, API, article=3).status_code == 422


def test_a_refused_token_is_a_401_even_on_the_public_register(client, cast):
    response = client.get(API, HTTP_AUTHORIZATION="Bearer pacte_inconnu")
    assert response.status_code == 401
    _, token = ApiToken.issue(cast.porteur, "test")
    ApiToken.objects.filter(user=cast.porteur).update(revoked_at=datetime.datetime.now(datetime.UTC))
    assert client.get(COSTS, HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 401


def test_the_follow_up_is_for_whom_follows_the_experiment(client, figures, cast):
    url = f"{API}{cast.experiment.pk}"
    for reader in (cast.porteur, cast.commissioner, cast.ddets, cast.national):
        body = api_get(client, url, reader).json()
        assert body["followed"] is True
        follow_up = body["follow_up"]
        assert [f["amount"] for f in follow_up["fundings"]] == ["120000.00"]
        assert [p["status"] for p in follow_up["periods"]] == ["validee", "brouillon"]
        assert follow_up["periods"][0]["rights"][0]["count"] == 40
        assert follow_up["cost"]["per_right"] == "1500.00" and follow_up["cost"]["rights_opened"] == 40
        assert "périodes validées" in follow_up["method"]
    for outsider in (None, cast.other_porteur, cast.other_commissioner, cast.other_ddets):
        body = api_get(client, url, outsider).json()
        assert body["followed"] is False and body["follow_up"] is None
        assert body["name"] == "Ville de Nantes"  # the public sheet
    response = api_get(client, f"{API}999999")
    assert response.status_code == 404 and "introuvable" in response.json()["detail"]


def test_the_costs_show_what_one_follows_and_the_pooled_comparisons(client, figures, cast):
    for reader in (cast.porteur, cast.commissioner):
        body = api_get(client, COSTS, reader).json()
        assert [row["id"] for row in body["experiments"]] == [cast.experiment.pk]
        row = body["experiments"][0]
        assert row["cost"]["per_right"] == "1500.00"
        assert row["gap_to_region"] == "0.0" and row["gap_to_france"] == "-16.7"
        assert [r["region"]["code"] for r in body["regions"]] == ["52"]
        assert body["france"]["per_right"] == "1800.00" and body["france"]["experiments"] == 2
        assert body["published_reference"] == "non publié"
    assert [row["id"] for row in api_get(client, COSTS, cast.other_porteur).json()["experiments"]] == [
        cast.other_experiment.pk
    ]
    assert sorted(row["id"] for row in api_get(client, COSTS, cast.national).json()["experiments"]) == sorted(
        [cast.experiment.pk, cast.other_experiment.pk]
    )


def test_the_costs_are_refused_without_a_token_and_to_a_role_without_costs(client, figures, cast):
    response = api_get(client, COSTS)
    assert response.status_code == 401
    lonely = UserFactory(
        username="sans-organisation", social_worker=True, territory=cast.nantes, organisation=None
    )
    response = api_get(client, COSTS, lonely)
    assert response.status_code == 403 and "réservés" in response.json()["detail"]
