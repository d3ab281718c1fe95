"""The grants demo lives on the day it is loaded (issue 17): the call of the current campaign closed a few weeks
before that day and under instruction, the next campaign's call open, every date of the story on a working day,
whatever the day of the load."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from pydantic import ValidationError

from pacte.demo import calendar
from pacte.demo.files import DATA_DIR, DemoFileError
from pacte.demo.grants import CallSpec, load_grants_demo
from pacte.grants.enums import ApplicationStatus, CallStatus, ReviewStatus
from pacte.grants.models import Application, CallForProjects, Review

DAYS = [date(2026, 12, 4), date(2027, 1, 4), date(2027, 4, 30), date(2026, 8, 14)]


def _local(moment) -> date:
    return timezone.localtime(moment).date()


@pytest.mark.parametrize("today", DAYS)
def test_the_call_under_instruction_closed_a_few_weeks_before_the_load(prerequisites, today):
    report = load_grants_demo(today=today)
    calls = list(CallForProjects.objects.order_by("opens_at"))
    assert [call.reference for call in calls] == report.calls

    instructing = [call for call in calls if call.status == CallStatus.CLOSED]
    assert len(instructing) == 1
    call = instructing[0]
    deadline = _local(call.deadline)
    assert today - timedelta(days=60) <= deadline < today
    assert (
        call.first_year == deadline.year
        and call.title == f"Appel à projets {deadline.year} – Pacte des solidarités"
    )
    assert call.reference == f"AAP-52-{deadline.year}"
    assert calendar.is_working_day(_local(call.opens_at)) and calendar.is_working_day(deadline)

    applications = list(call.applications.prefetch_related("amounts"))
    assert [application.status for application in applications] == [ApplicationStatus.UNDER_REVIEW] * 2
    for application in applications:
        filed = _local(application.submitted_at)
        assert _local(call.opens_at) <= filed <= deadline and calendar.is_working_day(filed)
        years = sorted(amount.year for amount in application.amounts.all())
        assert years[0] == call.first_year and years == list(range(years[0], years[0] + len(years)))
    reviews = Review.objects.filter(application__call=call, status=ReviewStatus.SUBMITTED)
    assert [review.reviewer.username for review in reviews] == ["ddets72"]
    assert deadline < _local(reviews[0].submitted_at) < today

    # Every call whose deadline has passed reads closed or decided; the next campaign's call is open.
    for each in calls:
        if _local(each.deadline) < today:
            assert each.status in (CallStatus.CLOSED, CallStatus.DECIDED), each.reference
    open_call = calls[-1]
    assert open_call.status == CallStatus.PUBLISHED
    assert _local(open_call.opens_at) <= today < _local(open_call.deadline)
    assert calendar.is_working_day(_local(open_call.opens_at)) and calendar.is_working_day(
        _local(open_call.deadline)
    )
    assert open_call.first_year == max(call.first_year + 1, today.year)

    assert load_grants_demo(today=today).calls == []
    assert CallForProjects.objects.count() == 3 and Application.objects.count() == 5


def test_a_date_is_given_once_either_fixed_or_counted_from_the_load():
    fields = {"title": "Appel", "max_years": 1, "budget": 1000, "reviewers": []}
    with pytest.raises(ValidationError, match="opens_in_days"):
        CallSpec(**fields, opens=date(2026, 1, 5), opens_in_days=-10, deadline_in_days=-5)
    with pytest.raises(ValidationError, match="deadline_in_days"):
        CallSpec(**fields, opens_in_days=-10)
    spec = CallSpec(**fields, opens_in_days=-120, deadline_in_days=-40)
    assert spec.deadline_on(date(2026, 12, 4)) == date(2026, 10, 23)  # 25 October is a Sunday
    assert spec.year_on(date(2026, 12, 4)) == 2026


def test_a_dated_call_cannot_carry_decisions_of_fixed_dates(settings, tmp_path):
    settings.DEMO_MODE = True
    text = (DATA_DIR / "grants.yaml").read_text(encoding="utf-8")
    fixed = "    opens: 2024-01-15\n    deadline: 2024-03-15\n"
    assert fixed in text
    path = tmp_path / "grants.yaml"
    path.write_text(
        text.replace(fixed, "    opens_in_days: -500\n    deadline_in_days: -400\n"), encoding="utf-8"
    )
    with pytest.raises(DemoFileError, match="daté du jour du chargement"):
        load_grants_demo(path=path)
