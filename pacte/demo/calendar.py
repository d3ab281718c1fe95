"""French public holidays and working days, for the dates the demo computes from the day it is loaded.

No Django here: plain dates. Public holidays of metropolitan France (Code du travail, article L3133-1): the
fixed days (1 January, 1 May, 8 May, 14 July, 15 August, 1 November, 11 November, 25 December) and three
days that follow Easter (Easter Monday, Ascension Thursday, Whit Monday). Easter Sunday itself is a Sunday,
never a working day anyway.
"""

import datetime
from functools import lru_cache

FIXED_HOLIDAYS = ((1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25))
AFTER_EASTER = (1, 39, 50)  # Easter Monday, Ascension, Whit Monday: days after Easter Sunday


def easter(year: int) -> datetime.date:
    """Easter Sunday of `year` in the Gregorian calendar (the anonymous Gregorian algorithm, also known as
    Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


@lru_cache(maxsize=64)
def public_holidays(year: int) -> frozenset[datetime.date]:
    """The public holidays of metropolitan France in `year`."""
    sunday = easter(year)
    fixed = {datetime.date(year, month, day) for month, day in FIXED_HOLIDAYS}
    moving = {sunday + datetime.timedelta(days=days) for days in AFTER_EASTER}
    return frozenset(fixed | moving)


def is_public_holiday(day: datetime.date) -> bool:
    return day in public_holidays(day.year)


def is_working_day(day: datetime.date) -> bool:
    """Monday to Friday, and not a public holiday."""
    return day.weekday() < 5 and not is_public_holiday(day)


def working_day_on_or_after(day: datetime.date) -> datetime.date:
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def working_day_on_or_before(day: datetime.date) -> datetime.date:
    while not is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


def add_working_days(day: datetime.date, count: int) -> datetime.date:
    """The `count`-th working day after `day` (before it when `count` is negative); `day` itself when 0."""
    step = datetime.timedelta(days=1 if count >= 0 else -1)
    for _ in range(abs(count)):
        day += step
        while not is_working_day(day):
            day += step
    return day


def working_day_in(today: datetime.date, days: int) -> datetime.date:
    """The working day `days` calendar days from `today`: moved later for a day to come, earlier for a day
    past, so that it stays on its side of `today` (and never on `today` itself when `days` is not 0)."""
    day = today + datetime.timedelta(days=days)
    if days > 0:
        return working_day_on_or_after(day)
    if days < 0:
        return working_day_on_or_before(day)
    return day
