"""A value of an indicator agrees with its unit (issue 17, item 6: « 1 foyers »): on the pages, in the map legends
and in the charts, through `pacte.formatting.measure`."""

from decimal import Decimal

import pytest

from pacte import formatting
from pacte.observation.charts import maps
from pacte.observation.queries import Point, display, value_text
from tests.observation.factories import IndicatorFactory

NNBSP = "\u202f"


@pytest.mark.parametrize(
    ("value", "unit", "decimals", "expected"),
    [
        (1, "foyers", None, f"1{NNBSP}foyer"),
        (0, "foyers", None, f"0{NNBSP}foyer"),
        (2, "foyer", None, f"2{NNBSP}foyers"),
        (Decimal("1.96"), "foyers", 0, f"2{NNBSP}foyers"),  # agrees with the number as written
        (Decimal("1.5"), "heures par semaine", 1, f"1,5{NNBSP}heure par semaine"),
        (1, "maisons des parents", None, f"1{NNBSP}maison des parents"),
        (Decimal("14.5"), "%", 1, f"14,5{NNBSP}%"),
        (1500, "foyers", None, f"1{NNBSP}500{NNBSP}foyers"),
    ],
)
def test_a_measure_agrees_its_unit_with_the_number_shown(value, unit, decimals, expected):
    assert formatting.measure(value, unit, decimals) == expected


def test_a_missing_measure_has_no_unit():
    assert formatting.measure(None, "foyers") == "–"
    assert formatting.measure("", "foyers", empty="non disponible") == "non disponible"


def test_an_indicator_value_agrees_with_its_unit_on_the_pages():
    indicator = IndicatorFactory(unit="foyers", decimals=0)
    assert display(indicator, Point(2021, Decimal("1"))) == f"1{NNBSP}foyer"
    assert display(indicator, Point(2021, Decimal("12")), with_period=True) == f"12{NNBSP}foyers (2021)"
    assert value_text(indicator, Decimal("1"), "disponible") == f"1{NNBSP}foyer"


def test_a_map_legend_agrees_with_its_class():
    assert maps._class_label(Decimal("1"), Decimal("1"), 0, "foyers") == f"1{NNBSP}foyer"
    assert maps._class_label(Decimal("0"), Decimal("1"), 0, "foyers") == f"de 0 à 1{NNBSP}foyer"
    assert maps._class_label(Decimal("1"), Decimal("4"), 0, "foyer") == f"de 1 à 4{NNBSP}foyers"
