"""French public holidays and working days (pacte.demo.calendar), which date the demo from the day it loads."""

from datetime import date

import pytest

from pacte.demo import calendar


@pytest.mark.parametrize(
    ("year", "sunday"),
    [
        (2024, date(2024, 3, 31)),
        (2025, date(2025, 4, 20)),
        (2026, date(2026, 4, 5)),
        (2027, date(2027, 3, 28)),
    ],
)
def test_easter_sunday(year, sunday):
    assert calendar.easter(year) == sunday


def test_public_holidays_of_2027_follow_easter_and_the_fixed_days():
    assert calendar.public_holidays(2027) == {
        date(2027, 1, 1),
        date(2027, 3, 29),  # lundi de Pâques
        date(2027, 5, 1),
        date(2027, 5, 6),  # Ascension
        date(2027, 5, 8),
        date(2027, 5, 17),  # lundi de Pentecôte
        date(2027, 7, 14),
        date(2027, 8, 15),
        date(2027, 11, 1),
        date(2027, 11, 11),
        date(2027, 12, 25),
    }


def test_working_days_skip_weekends_and_public_holidays():
    assert not calendar.is_working_day(date(2026, 12, 25))  # Friday, Christmas
    assert not calendar.is_working_day(date(2026, 12, 26))  # Saturday
    assert calendar.is_working_day(date(2026, 12, 24))
    assert calendar.working_day_on_or_after(date(2026, 12, 25)) == date(2026, 12, 28)
    assert calendar.working_day_on_or_before(date(2027, 1, 1)) == date(2026, 12, 31)
    # Friday 30 April 2027 + 1 working day: past Saturday 1 May, Sunday 2 May.
    assert calendar.add_working_days(date(2027, 4, 30), 1) == date(2027, 5, 3)
    assert calendar.add_working_days(date(2027, 5, 10), -2) == date(2027, 5, 5)  # 6 May is Ascension
    assert calendar.add_working_days(date(2027, 5, 10), 0) == date(2027, 5, 10)


def test_a_day_to_come_stays_to_come_and_a_past_day_stays_past():
    friday = date(2026, 12, 4)
    assert calendar.working_day_in(friday, 21) == date(2026, 12, 28)  # 25 December moved later
    assert calendar.working_day_in(friday, 28) == date(2027, 1, 4)  # 1 January, then the weekend
    assert calendar.working_day_in(date(2027, 5, 3), -2) == date(2027, 4, 30)  # 1 May is a Saturday anyway
    assert calendar.working_day_in(date(2027, 5, 18), -1) == date(2027, 5, 14)  # Whit Monday, the weekend
