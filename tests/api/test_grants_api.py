"""API of the grants: published calls for everyone, drafts for their commissioner and national steering; the
public decided grants (the same set as the SCDL open data); candidatures never public, listed by their
association and by the instruction side."""

import pytest

from pacte.grants import opendata, services
from pacte.grants.models import ReviewerAssignment
from tests.accounts.factories import UserFactory
from tests.grants.factories import (
    ApplicationFactory,
    AssociationFactory,
    CallFactory,
    PrefectureFactory,
    select,
)
from tests.helpers import api_get, api_queries, ids
from tests.territories.factories import DepartementFactory, RegionFactory

API = "/api/v1/grants"


@pytest.fixture
def places():
    pdl = RegionFactory(code="52", name="Pays de la Loire")
    bretagne = RegionFactory(code="53", name="Bretagne")
    return {
        "pdl": pdl,
        "bretagne": bretagne,
        "44": DepartementFactory(code="44", name="Loire-Atlantique", parent=pdl),
        "29": DepartementFactory(code="29", name="Finistère", parent=bretagne),
    }


@pytest.fixture
def users(places):
    prefecture = PrefectureFactory(territory=places["pdl"])
    association = AssociationFactory(name="Entraide de test", territory=places["44"])
    return {
        "commissioner52": UserFactory(commissioner=True, territory=places["pdl"], organisation=prefecture),
        "commissioner53": UserFactory(commissioner=True, territory=places["bretagne"]),
        "ddets44": UserFactory(ddets=True, territory=places["44"]),
        "member": UserFactory(association=True, organisation=association, territory=places["44"]),
        "other_member": UserFactory(association=True, territory=places["29"]),
        "reviewer": UserFactory(ddets=True, territory=places["29"]),
        "national": UserFactory(national=True),
    }


@pytest.fixture
def data(places, users):
    """An open call and a draft call in Pays de la Loire; a decided call with a selected project of the
    member's association (a convention) and a filed candidature of the member's association."""
    owner = users["commissioner52"].organisation
    open_call = CallFactory(region=places["pdl"], owner=owner, reference="AAP-52-OUVERT")
    draft_call = CallFactory(region=places["pdl"], owner=owner, reference="AAP-52-BROUILLON", draft=True)
    closed_call = CallFactory(region=places["pdl"], owner=owner, reference="AAP-52-CLOS", closed=True)
    organisation = users["member"].organisation
    selected = ApplicationFactory(
        call=closed_call, organisation=organisation, territory=places["44"], status="instruction"
    )
    select(selected, users["commissioner52"])
    filed = ApplicationFactory(call=open_call, organisation=organisation, territory=places["44"])
    draft = ApplicationFactory(call=open_call, organisation=organisation, territory=places["44"], draft=True)
    ReviewerAssignment.objects.create(call=open_call, reviewer=users["reviewer"])
    return {
        "open": open_call,
        "draft_call": draft_call,
        "closed": closed_call,
        "selected": selected,
        "filed": filed,
        "draft": draft,
    }


# --- Calls --------------------------------------------------------------------------------------------


def test_published_calls_are_public_drafts_for_their_commissioner_and_national_steering(client, data, users):
    published = sorted([data["open"].pk, data["closed"].pk])
    everything = sorted([*published, data["draft_call"].pk])
    assert sorted(ids(api_get(client, f"{API}/calls/"))) == published
    assert sorted(ids(api_get(client, f"{API}/calls/", users["commissioner53"]))) == published
    assert sorted(ids(api_get(client, f"{API}/calls/", users["member"]))) == published
    assert sorted(ids(api_get(client, f"{API}/calls/", users["commissioner52"]))) == everything
    assert sorted(ids(api_get(client, f"{API}/calls/", users["national"]))) == everything


def test_a_draft_call_is_404_outside(client, data, users):
    url = f"{API}/calls/{data['draft_call'].pk}"
    response = api_get(client, url)
    assert response.status_code == 404
    assert response.json() == {"detail": f"Appel à projets introuvable : {data['draft_call'].pk}."}
    assert api_get(client, url, users["commissioner53"]).status_code == 404
    assert api_get(client, url, users["commissioner52"]).status_code == 200


def test_a_call_gives_its_criteria_budget_deadline_and_computed_status(client, data):
    body = api_get(client, f"{API}/calls/{data['open'].pk}").json()
    assert body["reference"] == "AAP-52-OUVERT" and body["region"]["code"] == "52"
    assert (body["status"], body["accepting"]) == ("publie", True)
    assert (body["total_budget"], body["max_amount_per_year"], body["years"]) == (
        "100000.00",
        "30000.00",
        [2025, 2026],
    )
    assert [(row["label"], row["weight"], row["max_score"]) for row in body["criteria"]] == [
        ("Pertinence du projet", 2, 5),
        ("Capacité à faire", 1, 10),
    ]
    assert body["deadline"]


def test_a_published_call_past_its_deadline_reads_closed(client, data, places, users):
    expired = CallFactory(region=places["pdl"], owner=users["commissioner52"].organisation, expired=True)
    body = api_get(client, f"{API}/calls/{expired.pk}").json()
    assert (body["status"], body["status_label"], body["accepting"]) == (
        "clos",
        "Clos – en instruction",
        False,
    )
    # The closed call of the fixture is decided since its only candidature was selected.
    assert api_get(client, f"{API}/calls/{data['closed'].pk}").json()["status"] == "decide"
    assert ids(api_get(client, f"{API}/calls/", status="clos")) == [expired.pk]
    assert ids(api_get(client, f"{API}/calls/", status="decide")) == [data["closed"].pk]
    assert ids(api_get(client, f"{API}/calls/", status="publie")) == [data["open"].pk]
    assert ids(api_get(client, f"{API}/calls/", region="53")) == []
    response = api_get(client, f"{API}/calls/", status="ouvert")
    assert response.status_code == 422
    assert response.json()["erreurs"][0]["champ"] == "status"


# --- Agreements ---------------------------------------------------------------------------------------


def test_the_public_grants_are_the_open_data_set(client, data):
    response = api_get(client, f"{API}/agreements/")
    assert ids(response) == [agreement.pk for agreement in opendata.published_agreements()]
    item = response.json()["items"][0]
    assert item["beneficiary"] == "Entraide de test"
    assert item["beneficiary_siret"] == data["selected"].siret
    # Money is a decimal written as a JSON string, never a float (docs/api.md).
    assert item["years"] == [
        {"year": 2025, "amount": "20000.00", "report_due_on": "2026-06-30"},
        {"year": 2026, "amount": "20000.00", "report_due_on": "2027-06-30"},
    ]
    assert item["total"] == "40000.00" and item["axis"] == 1
    assert item["call"] == {
        "id": data["closed"].pk,
        "reference": "AAP-52-CLOS",
        "title": data["closed"].title,
    }
    assert "contact" not in response.content.decode()


def test_a_grant_says_its_act_and_whether_a_convention_is_required(client, data, places, users):
    item = api_get(client, f"{API}/agreements/").json()["items"][0]
    assert item["number"].startswith("CPO-") and item["former_number"] == ""
    assert (item["act"], item["act_label"], item["multi_year"]) == (
        "convention",
        "Convention pluriannuelle d'objectifs",
        True,
    )
    assert (item["beneficiary_peak"], item["convention_required"]) == ("20000.00", False)
    # A second grant of the same attribuant to the same association: 40 000 € in 2025, above 23 000 €.
    _grow(places, users)
    items = api_get(client, f"{API}/agreements/").json()["items"]
    assert {(i["beneficiary_peak"], i["convention_required"]) for i in items} == {("40000.00", True)}


def test_the_follow_up_of_a_grant_is_for_those_who_follow_it(client, data, users):
    agreement = data["selected"].agreement
    url = f"{API}/agreements/{agreement.pk}/follow-up"
    assert api_get(client, url).status_code == 401
    assert api_get(client, url, users["other_member"]).status_code == 403
    assert api_get(client, url, users["commissioner53"]).status_code == 403
    assert api_get(client, f"{API}/agreements/999999/follow-up", users["member"]).status_code == 404
    body = api_get(client, url, users["member"]).json()
    assert body["advance_share"] == "0.5"
    first, second = body["years"]
    assert (first["year"], first["awaited_report"], first["advance_cap"], first["payable"]) == (
        2025,
        None,
        None,
        "20000.00",
    )
    assert (second["awaited_report"], second["advance_cap"], second["payable"]) == (
        2025,
        "10000.00",
        "10000.00",
    )
    assert (first["report_due_on"], first["report_status"]) == ("2026-06-30", None)
    assert api_get(client, url, users["ddets44"]).status_code == 200


def test_the_reports_due_are_listed_for_those_who_follow_the_grants(client, data, places, users):
    url = f"{API}/reports/"
    assert api_get(client, url).status_code == 401
    council = UserFactory(departement_council=True, territory=places["44"])
    assert api_get(client, url, council).status_code == 403
    assert ids(api_get(client, url, users["other_member"])) == []
    assert ids(api_get(client, url, users["commissioner53"])) == []
    agreement = data["selected"].agreement
    for name in ("member", "commissioner52", "ddets44", "national"):
        items = api_get(client, url, users[name]).json()["items"]
        # The real date is after 30 June 2026: the 2025 report is late.
        assert [(i["agreement"], i["year"], i["state"], i["due_on"]) for i in items][0] == (
            agreement.pk,
            2025,
            "en_retard",
            "2026-06-30",
        )
        assert (items[0]["state_label"], items[0]["last_reminder_at"]) == ("En retard", None)
    services.send_report_reminders()
    item = api_get(client, url, users["member"]).json()["items"][0]
    assert item["last_reminder_at"] is not None and item["organisation"] == "Entraide de test"


def test_a_grant_without_siret_is_not_public_like_in_the_open_data(client, data):
    data["selected"].siret = ""
    data["selected"].save()
    assert ids(api_get(client, f"{API}/agreements/")) == []


def test_agreements_filter_by_call_region_and_year(client, data):
    agreement = data["selected"].agreement.pk
    assert ids(api_get(client, f"{API}/agreements/", call=data["closed"].pk)) == [agreement]
    assert ids(api_get(client, f"{API}/agreements/", call=data["open"].pk)) == []
    assert ids(api_get(client, f"{API}/agreements/", region="52", year=2026)) == [agreement]
    assert ids(api_get(client, f"{API}/agreements/", year=2030)) == []


# --- Applications -------------------------------------------------------------------------------------


def test_applications_need_a_token_or_a_session(client, data):
    response = api_get(client, f"{API}/applications/")
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Authentification requise")


def test_an_association_lists_its_own_applications_only(client, data, users):
    own = sorted([data["selected"].pk, data["filed"].pk, data["draft"].pk])
    assert sorted(ids(api_get(client, f"{API}/applications/", users["member"]))) == own
    # Another association sees none of them, not even the selected one (public on the site, not here).
    assert ids(api_get(client, f"{API}/applications/", users["other_member"])) == []
    client.force_login(users["member"])
    assert sorted(ids(client.get(f"{API}/applications/"))) == own


def test_the_instruction_side_lists_the_filed_applications_it_follows(client, data, users):
    filed = sorted([data["selected"].pk, data["filed"].pk])
    assert sorted(ids(api_get(client, f"{API}/applications/", users["commissioner52"]))) == filed
    assert sorted(ids(api_get(client, f"{API}/applications/", users["national"]))) == filed
    assert sorted(ids(api_get(client, f"{API}/applications/", users["ddets44"]))) == filed
    assert ids(api_get(client, f"{API}/applications/", users["reviewer"])) == [data["filed"].pk]
    assert ids(api_get(client, f"{API}/applications/", users["commissioner53"])) == []
    body = api_get(client, f"{API}/applications/", users["commissioner52"], status="deposee").json()
    assert [item["id"] for item in body["items"]] == [data["filed"].pk]
    assert body["items"][0]["requested"] == [
        {"year": 2025, "requested": "20000.00"},
        {"year": 2026, "requested": "20000.00"},
    ]


# --- Query counts -------------------------------------------------------------------------------------


def _grow(places, users):
    owner = users["commissioner52"].organisation
    call = CallFactory(region=places["pdl"], owner=owner, closed=True)
    application = ApplicationFactory(
        call=call, organisation=users["member"].organisation, territory=places["44"], status="instruction"
    )
    select(application, users["commissioner52"])
    ReviewerAssignment.objects.create(call=call, reviewer=users["reviewer"])
    CallFactory(region=places["pdl"], owner=owner, draft=True)


@pytest.mark.parametrize(
    ("path", "user"),
    [("calls/", None), ("calls/", "commissioner52"), ("agreements/", None)]
    + [("applications/", name) for name in ("member", "commissioner52", "reviewer", "national")]
    + [("reports/", name) for name in ("member", "commissioner52", "national")],
)
def test_the_lists_do_not_grow_in_queries(client, data, places, users, path, user):
    user = users[user] if user else None
    _grow(places, users)
    small = api_queries(client, f"{API}/{path}", user)
    for _ in range(4):
        _grow(places, users)
    assert api_queries(client, f"{API}/{path}", user) == small
