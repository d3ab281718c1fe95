"""The formatting module (issue 17, item 6): a unit written after a count agrees with it, and a large amount has
one written form (« 20 Md€ »)."""

import re
from decimal import Decimal
from pathlib import Path

import pytest

from pacte import formatting

NNBSP = "\u202f"


@pytest.mark.parametrize(
    ("count", "unit", "expected"),
    [
        (5, "maison des parents", "5 maisons des parents"),
        (1, "maison des parents", "1 maison des parents"),
        (1, "foyers", "1 foyer"),
        (0, "foyers", "0 foyer"),
        (2, "foyers", "2 foyers"),
        (Decimal("1.5"), "heures", "1,5 heure"),
        (2, "heure par semaine", "2 heures par semaine"),
        (1, "personnes par an", "1 personne par an"),
        (1, "centres sociaux", "1 centre social"),
        (3, "centre social", "3 centres sociaux"),
        (1, "équipes mobiles", "1 équipe mobile"),
        (2, "fiche-action", "2 fiches-actions"),
        (1, "ans", "1 an"),
        (1, "repas", "1 repas"),
        (1500, "élèves", f"1{NNBSP}500 élèves"),
    ],
)
def test_a_count_agrees_with_its_unit(count, unit, expected):
    assert formatting.quantity(count, unit) == expected


@pytest.mark.parametrize(
    "unit",
    ["%", "€ par repas", "TWh cumac", "CCAS/CIAS", "% de l'objectif", "nombre", "coefficient multiplicateur"],
)
def test_symbols_and_kinds_of_value_are_left_as_written(unit):
    assert formatting.agree(1, unit) == unit
    assert formatting.agree(5, unit) == unit


def test_a_missing_value_has_no_unit():
    assert formatting.quantity(None, "foyers") == "–"
    assert formatting.quantity("", "foyers") == "–"
    assert formatting.quantity(3, "") == "3"


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        (Decimal("20000000000"), f"20{NNBSP}Md€"),
        (Decimal("1250000000"), f"1,3{NNBSP}Md€"),
        (Decimal("250000000"), f"250{NNBSP}M€"),
        (Decimal("12500"), f"12{NNBSP}500{NNBSP}€"),
        (None, "–"),
    ],
)
def test_a_large_amount_has_one_written_form(amount, expected):
    assert formatting.compact_euros(amount) == expected


def test_a_bad_value_is_refused_with_a_french_message():
    with pytest.raises(ValueError):
        formatting.quantity("beaucoup", "foyers")


ROOT = Path(__file__).resolve().parents[2] / "pacte"
# Django's own date filters and strftime's names write « ven 25 Déc 2026 »-like dates (abbreviated, in the
# server's locale): every page goes through the formatting module instead (date_fr, long_date_fr, short_date…).
DJANGO_DATE_FILTER = re.compile(r"\|\s*(date|time|naturalday|naturaltime)\b(?!_)")
STRFTIME_NAMES = re.compile(r"strftime\([^)]*%[aAbBc]")
# The access log keeps the Common Log Format that log tools read (« [05/Dec/2026:10:00:00 +0100] »): not a page.
LOG_FORMATS = {"core/gunicorn_logger.py"}


def test_no_template_writes_a_date_with_django_filters():
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in ROOT.rglob("templates/**/*.html")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if DJANGO_DATE_FILTER.search(line)
    ]
    assert found == []


def test_no_code_writes_day_or_month_names_with_strftime():
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in ROOT.rglob("*.py")
        if "migrations" not in path.parts and str(path.relative_to(ROOT)) not in LOG_FORMATS
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if STRFTIME_NAMES.search(line)
    ]
    assert found == []
