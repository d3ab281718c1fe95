"""The tasks of the governance in « Mon espace »: for the managers of an instance (its State services, its
secretariat) and for the owners of decisions; none for the same role outside the scope."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from pacte.governance.enums import CommitteeKind, MeetingStatus, MinutesStatus
from pacte.governance.models import Committee, Minutes
from tests.accounts.factories import UserFactory
from tests.governance.factories import CommitteeFactory, DecisionFactory, MeetingFactory, MemberFactory
from tests.workspace.factories import tasks_of, titles


@pytest.fixture
def committee(places):
    """An axis committee of Loire-Atlantique, created two years ago, expecting 2 to 3 meetings a year."""
    committee = CommitteeFactory(
        kind=CommitteeKind.AXIS_COMMITTEE, name="Comité de suivi axe 1", territory=places.loire_atlantique
    )
    Committee.objects.filter(pk=committee.pk).update(created_at=timezone.now() - datetime.timedelta(days=730))
    return committee


def test_the_ddets_convenes_the_planned_meetings_of_its_instances(committee, ddets, other_ddets, national):
    meeting = MeetingFactory(committee=committee, title="Réunion de printemps")
    [task] = tasks_of(ddets, "meetings_to_convene")
    assert task.due_on == meeting.meeting_date
    assert task.url == meeting.get_absolute_url()
    assert tasks_of(other_ddets, "meetings_to_convene") == []
    assert tasks_of(national, "meetings_to_convene") == []  # a territory's instance: its services' task
    MeetingFactory(committee=committee, status=MeetingStatus.CONVENED)
    assert len(tasks_of(ddets, "meetings_to_convene")) == 1


def test_national_steering_convenes_the_national_instances(national, ddets):
    MeetingFactory(committee=CommitteeFactory(national=True))
    assert len(tasks_of(national, "meetings_to_convene")) == 1
    assert tasks_of(ddets, "meetings_to_convene") == []


def test_the_secretariat_organisation_convenes_too(committee, places):
    secretary = UserFactory(username="sonia", departement_council=True, territory=places.loire_atlantique)
    Committee.objects.filter(pk=committee.pk).update(secretariat=secretary.organisation)
    MeetingFactory(committee=committee)
    assert len(tasks_of(secretary, "meetings_to_convene")) == 1


def test_minutes_are_written_within_thirty_days_then_validated(committee, ddets, other_ddets):
    meeting = MeetingFactory(committee=committee, past=True)
    [task] = tasks_of(ddets, "minutes")
    assert task.action == "Rédiger le compte rendu"
    assert task.due_on == meeting.meeting_date + datetime.timedelta(days=30)
    Minutes.objects.create(meeting=meeting, text="Relevé.", status=MinutesStatus.DRAFT)
    assert [task.action for task in tasks_of(ddets, "minutes")] == ["Valider le compte rendu"]
    Minutes.objects.filter(meeting=meeting).update(status=MinutesStatus.VALIDATED)
    assert tasks_of(ddets, "minutes") == []
    assert tasks_of(other_ddets, "minutes") == []


def test_an_instance_late_on_its_cadence_and_without_meeting_planned_is_to_meet(
    committee, ddets, other_ddets
):
    assert titles(ddets, "committees_to_meet") == ["Comité de suivi axe 1"]
    assert tasks_of(other_ddets, "committees_to_meet") == []
    MeetingFactory(committee=committee)  # planned
    assert tasks_of(ddets, "committees_to_meet") == []


def test_the_owner_of_a_decision_sees_it_while_open_overdue_flagged(committee, council, other_council):
    member = MemberFactory(committee=committee, user=council, organisation=council.organisation)
    late = DecisionFactory(
        meeting=MeetingFactory(committee=committee, past=True), owner_member=member, late=True
    )
    DecisionFactory(meeting=late.meeting, owner_member=member, done=True)
    [task] = tasks_of(council, "decisions")
    assert task.due_on == late.due_date
    assert task.url == f"/gouvernance/decisions/{late.pk}/modifier/"
    assert tasks_of(other_council, "decisions") == []


def test_a_person_seated_as_secretariat_convenes_and_costs_no_query_per_instance(
    places, council, other_council, django_assert_max_num_queries
):
    def seat(number):
        committee = CommitteeFactory(name=f"Groupe de travail {number}", territory=places.loire_atlantique)
        MemberFactory(committee=committee, user=council, organisation=None, secretariat=True)
        MeetingFactory(committee=committee, title=f"Séance {number}")

    seat(1)
    with CaptureQueriesContext(connection) as one:
        assert len(tasks_of(council, "meetings_to_convene")) == 1
    for number in (2, 3, 4):
        seat(number)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(tasks_of(council, "meetings_to_convene")) == 4
    assert tasks_of(other_council, "meetings_to_convene") == []
