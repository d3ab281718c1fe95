"""API of the governance: instances, meetings and decisions with the visibility rules of
pacte.governance.perms (public instances and non-confidential decisions for everyone; private ones for their
members and managers), attendance counted by college, never the members' e-mails, minutes for members."""

import datetime

import pytest
from django.utils import timezone

from pacte.contracts.enums import ContractKind, ContractStatus
from pacte.governance import perms
from pacte.governance.enums import Attendance, CommitteeKind, MemberCategory, MinutesStatus
from pacte.governance.models import AgendaItem, Decision, MeetingAttendance, Minutes
from pacte.governance.services.steering import link_contract
from tests.accounts.factories import UserFactory
from tests.contracts.factories import ContractFactory
from tests.governance.factories import CommitteeFactory, DecisionFactory, MeetingFactory, MemberFactory
from tests.helpers import api_get, api_queries, ids
from tests.territories.factories import DepartementFactory, RegionFactory

API = "/api/v1/governance"


@pytest.fixture
def places():
    pdl = RegionFactory(code="52", name="Pays de la Loire")
    bretagne = RegionFactory(code="53", name="Bretagne")
    return {
        "pdl": pdl,
        "bretagne": bretagne,
        "44": DepartementFactory(code="44", name="Loire-Atlantique", parent=pdl),
    }


@pytest.fixture
def users(places):
    return {
        "commissioner52": UserFactory(commissioner=True, territory=places["pdl"]),
        "commissioner53": UserFactory(commissioner=True, territory=places["bretagne"]),
        "ddets44": UserFactory(ddets=True, territory=places["44"]),
        "member": UserFactory(association=True, territory=places["44"]),
        "outsider": UserFactory(association=True, territory=places["44"]),
        "national": UserFactory(national=True),
    }


@pytest.fixture
def data(places, users):
    """A public regional conference and a private COPIL in Pays de la Loire; the member's association sits in
    both; one meeting each with a public and a confidential decision."""
    public = CommitteeFactory(
        territory=places["pdl"],
        public=True,
        kind=CommitteeKind.REGIONAL_CONFERENCE,
        name="Conférence régionale",
    )
    private = CommitteeFactory(territory=places["pdl"], name="COPIL régional")
    seats = {}
    for committee in (public, private):
        seats[committee.pk] = MemberFactory(
            committee=committee,
            organisation=users["member"].organisation,
            email="secret@example.org",
            category=MemberCategory.ASSOCIATIONS,
        )
    meetings = {
        committee.pk: MeetingFactory(committee=committee, past=True) for committee in (public, private)
    }
    decisions = {}
    for committee in (public, private):
        meeting = meetings[committee.pk]
        decisions[committee.pk] = (
            DecisionFactory(meeting=meeting, number=1, late=True),
            DecisionFactory(meeting=meeting, number=2, confidential=True),
        )
    return {
        "public": public,
        "private": private,
        "meetings": meetings,
        "decisions": decisions,
        "seats": seats,
    }


# --- Committees ---------------------------------------------------------------------------------------


def test_anonymous_visitors_list_public_committees_only(client, data):
    assert ids(api_get(client, f"{API}/committees/")) == [data["public"].pk]


def test_members_and_managers_list_the_private_committee(client, data, users):
    both = sorted([data["public"].pk, data["private"].pk])
    for name in ("member", "commissioner52", "national"):
        assert sorted(ids(api_get(client, f"{API}/committees/", users[name]))) == both, name
    for name in ("outsider", "commissioner53", "ddets44"):  # the DDETS does not manage a regional instance
        assert ids(api_get(client, f"{API}/committees/", users[name])) == [data["public"].pk], name


def test_a_private_committee_is_404_outside_and_200_for_its_members(client, data, users):
    url = f"{API}/committees/{data['private'].pk}"
    response = api_get(client, url)
    assert response.status_code == 404
    assert response.json() == {"detail": f"Instance introuvable : {data['private'].pk}."}
    assert api_get(client, url, users["commissioner53"]).status_code == 404
    response = api_get(client, url, users["member"])
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "COPIL régional" and body["is_public"] is False
    assert body["territory"] == {"level": "region", "code": "52", "name": "Pays de la Loire"}
    assert (body["members_count"], body["meetings_count"]) == (1, 1)
    assert "secret@example.org" not in response.content.decode()


def test_committees_filter_by_territory_and_kind(client, data, users, places):
    other = CommitteeFactory(territory=places["bretagne"], public=True)
    user = users["national"]
    assert ids(api_get(client, f"{API}/committees/", user, territory="53")) == [other.pk]
    assert ids(api_get(client, f"{API}/committees/", user, kind="conference_regionale")) == [
        data["public"].pk
    ]
    response = api_get(client, f"{API}/committees/", kind="inconnu")
    assert response.status_code == 422
    assert response.json()["erreurs"][0]["message"].startswith("kind : valeur non reconnue")


def test_a_refused_token_is_401(client, data):
    response = client.get(f"{API}/committees/", HTTP_AUTHORIZATION="Bearer pacte_faux")
    assert response.status_code == 401


# --- Meetings -----------------------------------------------------------------------------------------


def test_meetings_follow_the_visibility_of_their_committee(client, data, users):
    public_meeting = data["meetings"][data["public"].pk]
    private_meeting = data["meetings"][data["private"].pk]
    assert ids(api_get(client, f"{API}/meetings/")) == [public_meeting.pk]
    assert ids(api_get(client, f"{API}/meetings/", users["commissioner53"])) == [public_meeting.pk]
    assert sorted(ids(api_get(client, f"{API}/meetings/", users["member"]))) == sorted(
        [public_meeting.pk, private_meeting.pk]
    )
    assert api_get(client, f"{API}/meetings/{private_meeting.pk}").status_code == 404
    assert api_get(client, f"{API}/meetings/{private_meeting.pk}", users["commissioner53"]).status_code == 404
    assert api_get(client, f"{API}/meetings/{private_meeting.pk}", users["commissioner52"]).status_code == 200


def test_meetings_filter_by_committee_and_dates(client, data, users):
    committee = data["public"]
    soon = MeetingFactory(committee=committee)
    day = timezone.localtime(soon.starts_at).date()
    assert ids(api_get(client, f"{API}/meetings/", committee=committee.pk, **{"from": day.isoformat()})) == [
        soon.pk
    ]
    before = (day - datetime.timedelta(days=1)).isoformat()
    assert ids(api_get(client, f"{API}/meetings/", committee=committee.pk, to=before)) == [
        data["meetings"][committee.pk].pk
    ]
    assert ids(api_get(client, f"{API}/meetings/", to=day.isoformat(), **{"from": day.isoformat()})) == [
        soon.pk
    ]
    response = api_get(client, f"{API}/meetings/", **{"from": "demain"})
    assert response.status_code == 422
    assert response.json()["erreurs"][0]["message"] == "from : doit être une date (AAAA-MM-JJ)"


def test_a_meeting_gives_its_agenda_and_attendance_by_college_never_emails(client, data, users):
    meeting = data["meetings"][data["public"].pk]
    AgendaItem.objects.create(meeting=meeting, order=2, title="Bilan")
    AgendaItem.objects.create(meeting=meeting, order=1, title="Ouverture")
    state = MemberFactory(committee=data["public"], secretariat=True, email="etat@example.org")
    MeetingAttendance.objects.create(
        meeting=meeting, member=data["seats"][data["public"].pk], status="present"
    )
    MeetingAttendance.objects.create(meeting=meeting, member=state, status=Attendance.EXCUSED)
    Minutes.objects.create(meeting=meeting, text="Compte rendu confidentiel", status=MinutesStatus.VALIDATED)
    response = api_get(client, f"{API}/meetings/{meeting.pk}")
    assert response.status_code == 200
    body = response.json()
    assert [item["title"] for item in body["agenda"]] == ["Ouverture", "Bilan"]
    assert body["attendance"] == [
        {
            "category": "associations",
            "category_label": "Associations de lutte contre la pauvreté",
            "invited": 1,
            "present": 1,
            "excused": 0,
            "absent": 0,
        },
        {
            "category": "services_etat",
            "category_label": "Services de l'État",
            "invited": 1,
            "present": 0,
            "excused": 1,
            "absent": 0,
        },
    ]
    assert body["minutes_exist"] is True and body["minutes"] is None
    content = response.content.decode()
    assert "@example.org" not in content and "Compte rendu confidentiel" not in content
    for name in ("member", "commissioner52"):
        minutes = api_get(client, f"{API}/meetings/{meeting.pk}", users[name]).json()["minutes"]
        assert minutes["text"] == "Compte rendu confidentiel" and minutes["status"] == "valide", name
    assert api_get(client, f"{API}/meetings/{meeting.pk}", users["outsider"]).json()["minutes"] is None


def test_draft_minutes_are_for_the_managers_only(client, data, users):
    meeting = data["meetings"][data["public"].pk]
    Minutes.objects.create(meeting=meeting, text="Projet de compte rendu")
    assert api_get(client, f"{API}/meetings/{meeting.pk}", users["member"]).json()["minutes"] is None
    body = api_get(client, f"{API}/meetings/{meeting.pk}", users["commissioner52"]).json()
    assert body["minutes"]["status"] == "brouillon"


# --- Decisions ----------------------------------------------------------------------------------------


def _visible_by_perms(user) -> list[int]:
    return sorted(
        decision.pk for decision in Decision.objects.all() if perms.can_view_decision(user, decision)
    )


def test_decisions_are_exactly_those_perms_allows(client, data, users):
    from django.contrib.auth.models import AnonymousUser

    public_decision = data["decisions"][data["public"].pk][0]
    assert ids(api_get(client, f"{API}/decisions/")) == [public_decision.pk]
    assert _visible_by_perms(AnonymousUser()) == [public_decision.pk]
    for name, user in users.items():
        assert sorted(ids(api_get(client, f"{API}/decisions/", user, page_size=100))) == _visible_by_perms(
            user
        ), name
    assert len(ids(api_get(client, f"{API}/decisions/", users["member"]))) == 4
    assert ids(api_get(client, f"{API}/decisions/", users["outsider"])) == [public_decision.pk]


def test_a_former_member_no_longer_reads_reserved_decisions(client, data, users):
    seat = data["seats"][data["public"].pk]
    seat.end_date = timezone.localdate() - datetime.timedelta(days=1)
    seat.save()
    Decision.objects.filter(meeting__committee=data["private"]).delete()
    assert ids(api_get(client, f"{API}/decisions/", users["member"])) == [
        data["decisions"][data["public"].pk][0].pk
    ]


def test_decisions_filter_by_committee_status_and_lateness(client, data, users):
    user = users["member"]
    public_late, public_confidential = data["decisions"][data["public"].pk]
    private_late, _private_confidential = data["decisions"][data["private"].pk]
    committee = data["public"].pk
    assert ids(api_get(client, f"{API}/decisions/", user, committee=committee)) == [
        public_late.pk,
        public_confidential.pk,
    ]
    assert sorted(ids(api_get(client, f"{API}/decisions/", user, late="true"))) == sorted(
        [public_late.pk, private_late.pk]
    )
    assert ids(api_get(client, f"{API}/decisions/", user, committee=committee, late="false")) == [
        public_confidential.pk
    ]
    assert ids(api_get(client, f"{API}/decisions/", user, status="faite")) == []
    body = api_get(client, f"{API}/decisions/", committee=committee).json()["items"][0]
    assert body["is_late"] is True and body["committee"]["id"] == committee
    assert body["status"] == "a_faire" and body["status_label"] == "À faire"
    response = api_get(client, f"{API}/decisions/", late="peut-etre")
    assert response.status_code == 422
    assert response.json()["erreurs"][0]["message"] == "late : doit être vrai ou faux"


# --- Query counts -------------------------------------------------------------------------------------


def _grow(places, users):
    committee = CommitteeFactory(territory=places["pdl"], public=True)
    MemberFactory(committee=committee, organisation=users["member"].organisation)
    meeting = MeetingFactory(committee=committee, past=True)
    DecisionFactory(meeting=meeting, owner_member=MemberFactory(committee=committee))
    DecisionFactory(meeting=meeting, confidential=True)


@pytest.mark.parametrize("path", ["committees/", "meetings/", "decisions/"])
def test_the_lists_do_not_grow_in_queries(client, data, places, users, path):
    for user in (None, users["member"], users["commissioner52"]):
        _grow(places, users)
        small = api_queries(client, f"{API}/{path}", user)
        for _ in range(4):
            _grow(places, users)
        assert api_queries(client, f"{API}/{path}", user) == small, (path, user)


# --- Comité de pilotage of contracts ------------------------------------------------------------------


@pytest.fixture
def steering(places, data):
    """A public joint governance of Loire-Atlantique steering its signed solidarités contract and its draft France
    Travail convention."""
    joint = CommitteeFactory(
        territory=places["44"],
        public=True,
        kind=CommitteeKind.JOINT_GOVERNANCE,
        name="Gouvernance commune 44",
    )
    signed = ContractFactory(
        territory=places["44"],
        kind=ContractKind.DEPARTEMENT,
        status=ContractStatus.SIGNED,
        signed_on=datetime.date(2024, 1, 15),
    )
    draft = ContractFactory(territory=places["44"], kind=ContractKind.FRANCE_TRAVAIL)
    link_contract(joint, signed)
    link_contract(joint, draft)
    return {"joint": joint, "signed": signed, "draft": draft}


def test_a_committee_gives_the_contracts_it_steers_that_the_caller_sees(client, steering, users, places):
    url = f"{API}/committees/{steering['joint'].pk}"
    signed, draft = steering["signed"].pk, steering["draft"].pk
    anonymous = api_get(client, url).json()["steered_contracts"]
    assert [contract["id"] for contract in anonymous] == [signed]
    assert anonymous[0]["kind"] == "departement" and anonymous[0]["territory"]["code"] == "44"
    other_ddets = UserFactory(ddets=True, territory=DepartementFactory(code="85", parent=places["pdl"]))
    assert [item["id"] for item in api_get(client, url, other_ddets).json()["steered_contracts"]] == [signed]
    followed = api_get(client, url, users["ddets44"]).json()["steered_contracts"]
    assert sorted(item["id"] for item in followed) == sorted([signed, draft])


def test_committees_filter_by_the_contract_they_steer(client, steering, users, places):
    joint = steering["joint"].pk
    amendment = ContractFactory(
        territory=places["44"], kind=ContractKind.DEPARTEMENT, root=steering["signed"], amendment_number=1
    )
    assert ids(api_get(client, f"{API}/committees/", contract=steering["signed"].pk)) == [joint]
    assert ids(api_get(client, f"{API}/committees/", users["ddets44"], contract=amendment.pk)) == [joint]
    assert ids(api_get(client, f"{API}/committees/", contract=steering["draft"].pk)) == []  # not seen
    assert ids(api_get(client, f"{API}/committees/", users["ddets44"], contract=steering["draft"].pk)) == [
        joint
    ]
