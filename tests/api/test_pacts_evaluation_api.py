"""The API reads of the joint mid-term evaluation and of the pactes locaux (their envelopes too): each with an
allowed user, the same role outside the scope and an anonymous visitor."""

import pytest

from tests.contracts.factories import action_data, build_contract
from tests.contracts.pact_factories import add_signatory, envelope, make_pact, make_pact_cast
from tests.helpers import api_get
from tests.programme.factories import AxisFactory


@pytest.fixture
def cast():
    return make_pact_cast()


def test_the_evaluation_of_a_convention_is_read_by_those_who_follow_it(client, cast):
    contract = build_contract(cast.loire_atlantique, actions=[action_data(AxisFactory(number=1))])
    url = f"/api/v1/contracts/{contract.pk}/evaluation"
    response = api_get(client, url, cast.ddets_a)
    assert response.status_code == 200
    body = response.json()
    assert body["status"] is None and body["evaluated_version"] == contract.pk
    assert body["actions"][0]["number"] == 1 and body["actions"][0]["parts"] == []
    assert (
        api_get(client, url, cast.ddets_c).status_code == 403
    )  # a DDETS elsewhere sees the signed version only
    assert api_get(client, url).status_code == 401


def test_the_conclusions_are_counted_for_national_steering_and_the_commissioner_of_the_region(client, cast):
    build_contract(cast.loire_atlantique, actions=[action_data(AxisFactory(number=1))])
    url = "/api/v1/evaluations/conclusions"
    body = api_get(client, url, cast.national).json()
    assert body["progress"]["conventions"] == 1 and body["progress"]["not_started"] == 1
    assert api_get(client, url, cast.commissioner, region="52").status_code == 200
    assert api_get(client, url, cast.commissioner_other, region="52").status_code == 403
    assert api_get(client, url).status_code == 401


def test_a_signed_pact_is_public_and_its_follow_up_is_for_its_parties(client, cast):
    pact = make_pact(cast.loire_atlantique, signed=True, priorities=2, publics=("enfants", "femmes"))
    add_signatory(pact, name="CAF de Loire-Atlantique", contribution="Cofinancement", amount="20000")
    draft = make_pact(cast.vendee)
    listed = [row["id"] for row in api_get(client, "/api/v1/pacts/").json()["items"]]
    assert listed == [pact.pk]
    public = api_get(client, f"/api/v1/pacts/{pact.pk}").json()
    assert [row["rank"] for row in public["priorities"]] == [1, 2]
    assert public["signatories"][0] == {
        "rank": 1,
        "organisation_id": None,
        "name": "CAF de Loire-Atlantique",
        "contribution": "Cofinancement",
        "amount": "20000.00",
    }
    assert public["funding"] is None and public["actions"] is None
    followed = api_get(client, f"/api/v1/pacts/{pact.pk}", cast.ddets_a).json()
    assert followed["actions"] == [] and followed["funding"][0]["allocated"] is None
    assert api_get(client, f"/api/v1/pacts/{draft.pk}", cast.local_a).status_code == 404
    assert api_get(client, f"/api/v1/pacts/{draft.pk}", cast.local_b).status_code == 200


def test_the_pact_envelopes_are_read_within_the_scope(client, cast):
    row = envelope(cast.pays_de_la_loire, d44="60000")
    url = "/api/v1/pact-envelopes/"
    assert [item["id"] for item in api_get(client, url, cast.commissioner).json()] == [row.pk]
    assert api_get(client, url, cast.commissioner_other).json() == []
    detail = api_get(client, f"{url}{row.pk}", cast.ddets_a).json()
    assert (detail["shared"], detail["left"]) == ("60000.00", "40000.00")
    assert {share["departement"]["code"]: share["allocated"] for share in detail["split"]}["44"] == "60000.00"
    assert api_get(client, url, cast.local_a).status_code == 403
    assert api_get(client, url).status_code == 401
