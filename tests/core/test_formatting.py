"""The one French formatting of the platform (pacte/formatting.py) and its template filters."""

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template

from pacte import formatting

N = "\u202f"  # narrow no-break space


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (0, None, "0"),
        (1234567, None, f"1{N}234{N}567"),
        (Decimal("12.50"), None, "12,5"),
        (Decimal("1E+3"), None, f"1{N}000"),
        (0.1, None, "0,1"),
        ("-3.25", 1, "-3,3"),
        (Decimal("12.25"), 1, "12,3"),
        (14, 1, "14,0"),
        (Decimal("-0.04"), 1, "0,0"),
        (999.5, 0, f"1{N}000"),
    ],
)
def test_numbers_are_grouped_by_thousands_with_a_decimal_comma_and_rounded_half_up(value, decimals, expected):
    assert formatting.number(value, decimals) == expected


def test_a_missing_number_is_a_dash_unless_told_otherwise():
    assert formatting.number(None) == "–"
    assert formatting.euros(None, empty="non publié") == "non publié"


def test_bad_numbers_are_refused_with_a_french_message():
    with pytest.raises(ValueError, match="Pas un nombre"):
        formatting.number("douze")
    with pytest.raises(ValueError, match="fini"):
        formatting.number(float("nan"))


@pytest.mark.parametrize(
    ("value", "cents", "expected"),
    [
        (Decimal("49000"), None, f"49{N}000{N}€"),
        (Decimal("1234.5"), None, f"1{N}234,50{N}€"),
        (Decimal("1234"), True, f"1{N}234,00{N}€"),
        (Decimal("1234.5"), False, f"1{N}235{N}€"),
        (Decimal("0.004"), None, f"0{N}€"),
    ],
)
def test_euros_follow_the_amount_after_a_narrow_no_break_space(value, cents, expected):
    assert formatting.euros(value, cents=cents) == expected


def test_a_share_is_rounded_half_up_to_one_decimal():
    # 49 000 € of 400 000 €: 12,25 % reads 12,3 % everywhere (banker's rounding would give 12,2).
    assert formatting.share(49_000, 400_000) == Decimal("12.3")
    assert formatting.percent(formatting.share(49_000, 400_000)) == f"12,3{N}%"
    assert formatting.share(1, 0) is None
    assert formatting.share(None, 10) is None


def test_a_value_with_its_unit():
    assert formatting.with_unit(Decimal("14.5"), "%", 1) == f"14,5{N}%"
    assert formatting.with_unit(21340, "€", 0) == f"21{N}340{N}€"
    assert formatting.with_unit(3, "") == "3"


def test_dates_months_and_times_are_written_out_in_french():
    assert formatting.date(dt.date(2027, 1, 1)) == "1er janvier 2027"
    assert formatting.date(dt.date(2026, 12, 4)) == "4 décembre 2026"
    assert formatting.long_date(dt.date(2026, 12, 4)) == "vendredi 4 décembre 2026"
    assert formatting.month(dt.date(2026, 12, 4)) == "décembre 2026"
    assert formatting.month("2026-08") == "août 2026"
    assert formatting.short_date(dt.date(2026, 2, 3)) == "03/02/2026"
    assert formatting.time(dt.time(14, 30)) == "14\u00a0h\u00a030"
    assert formatting.time(dt.time(9, 0)) == "9\u00a0h"
    assert formatting.date_time(dt.datetime(2026, 12, 4, 14, 5)) == "4 décembre 2026 à 14\u00a0h\u00a005"
    with pytest.raises(ValueError, match="AAAA-MM"):
        formatting.month("2026-13")


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, "0 foyer"), (1, "1 foyer"), (2, "2 foyers"), (1500, f"1{N}500 foyers")],
)
def test_below_two_the_noun_stays_singular(count, expected):
    assert formatting.plural(count, "foyer") == expected


def test_irregular_and_compound_plurals_are_given():
    assert formatting.plural(5, "maison des parents", "maisons des parents") == "5 maisons des parents"
    assert formatting.plural(3, "avis") == "3 avis"
    assert formatting.plural(2, "bureau", "bureaux") == "2 bureaux"
    assert formatting.counts([(3, "instance", None), (0, "réunion", None), (1, "décision", None)]) == (
        "3 instances, 1 décision"
    )


def test_the_template_filters_call_the_same_functions():
    template = Template(
        '{% load pacte %}{{ amount|euros }}|{{ share|percent }}|{{ day|date_fr }}|{{ n|plural:"maison des parents,'
        'maisons des parents" }}|{{ n|plural_word:"foyer" }}|{{ big|number_fr }}|{{ missing|number_fr }}'
    )
    rendered = template.render(
        Context(
            {
                "amount": Decimal("49000"),
                "share": Decimal("12.3"),
                "day": dt.date(2027, 1, 1),
                "n": 5,
                "big": 21340,
            }
        )
    )
    assert rendered == f"49{N}000{N}€|12,3{N}%|1er janvier 2027|5 maisons des parents|foyers|21{N}340|–"


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        (850, f"850{N}o"),
        (12_700, f"12,4{N}ko"),
        (1_572_864, f"1,5{N}Mo"),
        (50 * 1024 * 1024, f"50{N}Mo"),
        (None, "–"),
    ],
)
def test_file_sizes_are_read_in_the_largest_unit_that_keeps_one(size, expected):
    assert formatting.file_size(size) == expected


def test_a_unit_and_a_file_size_in_templates():
    rendered = Template('{% load pacte %}{{ v|with_unit:"ménages" }}|{{ s|file_size }}').render(
        Context({"v": 1200, "s": 10 * 1024 * 1024})
    )
    assert rendered == f"1{N}200{N}ménages|10{N}Mo"


def test_an_amount_without_its_unit_and_a_short_date_and_time():
    assert formatting.amount(Decimal("1234.5")) == f"1{N}234,50"
    assert formatting.amount(Decimal("1234.00")) == f"1{N}234"
    assert formatting.short_date_time(dt.datetime(2026, 12, 4, 14, 30)) == "04/12/2026 14\u00a0h\u00a030"
