"""The demo lives on the day it is loaded (issue 17): loaded on a pinned `today`, its meetings fall on working
days, its attendance agrees with its minutes, its instances keep their cadence, few decisions are late, a call
is open and the current campaign's reports wait to be filed and reviewed. Reloading duplicates nothing."""

from datetime import date

import pytest

from pacte.contracts.enums import ContractKind
from pacte.contracts.models import Credit, ExecutionReport
from pacte.contracts.models.execution import ReportCampaign
from pacte.contracts.services import execution
from pacte.core.enums import ReportStatus
from pacte.demo import calendar
from pacte.demo.contracts import load_contracts_demo
from pacte.demo.governance import load_governance_demo
from pacte.demo.grants import load_grants_demo
from pacte.governance import queries
from pacte.governance.enums import Attendance, DecisionStatus, MeetingStatus, MinutesStatus
from pacte.governance.models import Committee, Decision, Meeting, Member, Minutes
from pacte.grants.enums import CallStatus
from pacte.grants.models import CallForProjects

FRIDAY_BEFORE_CHRISTMAS = date(2026, 12, 4)
BEFORE_MAY_AND_ASCENSION = date(2027, 4, 30)


def _load(today: date) -> None:
    load_contracts_demo(today=today)
    load_governance_demo(today=today)
    load_grants_demo(today=today)


def _counts() -> dict:
    models = (Meeting, Decision, Minutes, Member, ExecutionReport, ReportCampaign, Credit, CallForProjects)
    return {model.__name__: model.objects.count() for model in models}


@pytest.mark.parametrize("today", [FRIDAY_BEFORE_CHRISTMAS, BEFORE_MAY_AND_ASCENSION])
def test_the_demo_is_dated_from_the_day_it_is_loaded(prerequisites, today):
    _load(today)
    meetings = list(Meeting.objects.select_related("committee"))
    days = [meeting.meeting_date for meeting in meetings]
    assert [day for day in days if not calendar.is_working_day(day)] == []
    assert any(day > today for day in days) and any(day < today for day in days)
    assert not [meeting for meeting in meetings if not meeting.is_demo]

    # A held meeting: the members seated on its day were invited; its minutes are validated by one who came.
    held = [meeting for meeting in meetings if meeting.meeting_date < today]
    assert all(meeting.status == MeetingStatus.HELD for meeting in held)
    validated = 0
    for meeting in held:
        seated = [m for m in meeting.committee.members.all() if m.is_active_on(meeting.meeting_date)]
        attendances = list(meeting.attendances.select_related("member"))
        assert {a.member_id for a in attendances} == {m.pk for m in seated}, meeting.title
        assert meeting.invitations_count == len(seated), meeting.title
        assert Attendance.INVITED not in {a.status for a in attendances}, meeting.title
        minutes = Minutes.objects.filter(meeting=meeting, status=MinutesStatus.VALIDATED).first()
        if minutes is not None and minutes.validated_by_id:
            present = {a.member.user_id for a in attendances if a.status == Attendance.PRESENT}
            assert minutes.validated_by_id in present, meeting.title
            assert minutes.validated_at.date() <= today
            validated += 1
    assert validated >= 10
    assert not [m for m in meetings if m.meeting_date > today and m.status == MeetingStatus.HELD]

    # No instance reads « cadence en retard ».
    late_cadence = [
        committee.name
        for committee in Committee.objects.prefetch_related("meetings")
        if queries.cadence(committee, list(committee.meetings.all()), today).state == "en_retard"
    ]
    assert late_cadence == []

    # Decisions: most open ones on time, a few late, some done.
    decisions = list(Decision.objects.all())
    open_ones = [decision for decision in decisions if decision.is_open]
    late = [decision for decision in decisions if decision.is_late_on(today)]
    assert 0 < len(late) < len(open_ones) / 2
    assert any(decision.status == DecisionStatus.DONE for decision in decisions)

    # An open call whose deadline is to come, a closed one in instruction, a decided one.
    calls = list(CallForProjects.objects.all())
    assert any(
        call.status == CallStatus.PUBLISHED and call.deadline.date() > today and call.opens_at.date() <= today
        for call in calls
    )
    assert {CallStatus.CLOSED, CallStatus.DECIDED} <= {call.status for call in calls}

    # The current campaign: the reports of last year, a draft to file and Loire-Atlantique's to review.
    current = today.year - 1
    due = execution.campaign_due_on(current)
    assert due is not None and due > today and calendar.is_working_day(due)
    reports = ExecutionReport.objects.filter(year=current).select_related("contract__territory")
    assert all(report.is_demo and report.due_on == due for report in reports)
    to_review = [report for report in reports if report.status == ReportStatus.SUBMITTED]
    assert [(r.contract.territory.code, r.contract.kind) for r in to_review] == [
        ("44", ContractKind.DEPARTEMENT)
    ]
    assert to_review[0].submitted_at.date() < today and execution.credit_wait(to_review[0]) is None
    assert any(report.status == ReportStatus.DRAFT for report in reports)
    for year in range(2025, current):  # the years between the story's and the current one
        assert not ExecutionReport.objects.filter(year=year).exclude(status=ReportStatus.VALIDATED).exists()

    counts = _counts()
    _load(today)
    assert _counts() == counts
