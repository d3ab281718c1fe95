from decimal import Decimal

import pytest

from pacte.accounts.models import ApiToken
from pacte.programme.models import Target
from tests.accounts.factories import UserFactory
from tests.programme.factories import AxisFactory, MeasureFactory, MilestoneFactory, TargetFactory
from tests.territories.factories import RegionFactory


@pytest.fixture
def target():
    measure = MeasureFactory(axis=AxisFactory(number=3), code="a3-n1", title="100 % d'accès aux droits")
    MeasureFactory(axis=AxisFactory(number=4), code="a4-c1", local_contract=True)
    MilestoneFactory(code="evaluation", title="Évaluation à mi-parcours")
    return TargetFactory(
        measure=measure,
        code="tznr",
        label="Territoires zéro non-recours",
        unit="territoires",
        target_value=39,
    )


def _bearer(user):
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user, 'test')[1]}"}


def test_axes_are_listed_with_their_measures(client, target):
    body = client.get("/api/v1/axes/").json()
    assert body["count"] == 2
    assert body["items"][0]["measures"][0]["code"] == "a3-n1"


def test_measures_are_listed_with_their_targets_and_can_be_filtered(client, target):
    body = client.get("/api/v1/measures/", {"axis": 3}).json()
    assert body["count"] == 1
    assert body["items"][0]["targets"][0]["target_value"] == 39
    assert client.get("/api/v1/measures/", {"kind": "contrat_local"}).json()["items"][0]["code"] == "a4-c1"


def test_a_measure_is_read_by_code_and_an_unknown_one_is_404(client, target):
    assert client.get("/api/v1/measures/a3-n1").json()["axis"] == 3
    response = client.get("/api/v1/measures/inconnue")
    assert response.status_code == 404
    assert "Mesure introuvable" in response.json()["detail"]


def test_the_programme_and_the_milestones_are_public(client, target):
    assert client.get("/api/v1/programme").json()["budget_eur"] == 20_000_000_000
    assert client.get("/api/v1/milestones/").json()["items"][0]["code"] == "evaluation"


def test_a_bad_measure_kind_is_refused_naming_the_field(client, target):
    response = client.get("/api/v1/measures/", {"kind": "autre"})
    assert response.status_code == 422
    assert response.json()["erreurs"][0]["champ"] == "kind"


def test_national_steering_corrects_a_target_with_a_token(client, target):
    response = client.patch(
        "/api/v1/targets/tznr",
        data={"target_value": "40", "notes": "corrigé"},
        content_type="application/json",
        **_bearer(UserFactory(national=True)),
    )
    assert response.status_code == 200
    target.refresh_from_db()
    assert target.target_value == Decimal("40")
    assert target.notes == "corrigé"


@pytest.mark.parametrize("trait", ["commissioner", "ddets"])
def test_other_roles_cannot_change_a_target(client, target, trait):
    response = client.patch(
        "/api/v1/targets/tznr",
        data={"target_value": "1"},
        content_type="application/json",
        **_bearer(UserFactory(**{trait: True})),
    )
    assert response.status_code == 403
    assert Target.objects.get(code="tznr").target_value == Decimal("39")


def test_anonymous_visitors_cannot_change_a_target(client, target):
    response = client.patch(
        "/api/v1/targets/tznr", data={"target_value": "1"}, content_type="application/json"
    )
    assert response.status_code == 401


def test_a_non_numeric_value_is_refused_naming_the_field(client, target):
    response = client.patch(
        "/api/v1/targets/tznr",
        data={"target_value": "beaucoup"},
        content_type="application/json",
        **_bearer(UserFactory(national=True)),
    )
    assert response.status_code == 422
    assert response.json()["erreurs"][0]["champ"] == "target_value"


@pytest.mark.parametrize("visitor", ["anonymous", "in_scope", "out_of_scope"])
@pytest.mark.parametrize(
    "url", ["/api/v1/axes/", "/api/v1/measures/", "/api/v1/targets/", "/api/v1/milestones/"]
)
def test_the_referentiel_is_readable_by_every_kind_of_visitor(client, target, visitor, url):
    headers = {}
    if visitor != "anonymous":
        headers = _bearer(
            UserFactory(
                commissioner=True, territory=RegionFactory(code="52" if visitor == "in_scope" else "53")
            )
        )
    response = client.get(url, **headers)
    assert response.status_code == 200
    assert response.json()["count"] >= 1
