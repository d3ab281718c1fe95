"""/observation/ leads straight to the map (issue 17, item 8): a link to the départements map of the first
indicator, and a « Carte » link on every indicator's row; a demo value in the région column of a diagnostic
carries its « donnée fictive » badge."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.helpers import page
from tests.observation.factories import IndicatorFactory, ObservationFactory
from tests.territories.factories import DepartementFactory, RegionFactory


@pytest.mark.django_db
def test_index_links_straight_to_the_map(client):
    first = IndicatorFactory(code="TP60", label="Taux de pauvreté")
    other = IndicatorFactory(code="NRPE", label="Non-recours", restricted=True)
    html = page(client, reverse("observation:index"))
    map_link = reverse("observation:indicator", args=[first.code]) + "?niveau=departement#carte-titre-section"
    assert 'id="lien-carte"' in html
    assert map_link in html
    assert "Voir la carte des départements" in html
    assert reverse("observation:indicator", args=[other.code]) not in html  # not public: not listed to anyone


@pytest.mark.django_db
def test_map_anchor_exists_on_the_indicator_page(client):
    indicator = IndicatorFactory(code="TP60")
    html = page(client, reverse("observation:indicator", args=[indicator.code]), niveau="departement")
    assert 'id="carte-titre-section"' in html


@pytest.mark.django_db
def test_index_without_indicator_has_no_map_link(client):
    html = page(client, reverse("observation:index"))
    assert 'id="lien-carte"' not in html


def _demo_region_diagnostic():
    region = RegionFactory(code="52", name="Pays de la Loire")
    departement = DepartementFactory(code="44", name="Loire-Atlantique", parent=region)
    indicator = IndicatorFactory(code="TP60", label="Taux de pauvreté")
    ObservationFactory(indicator=indicator, territory=departement, value=Decimal("12.1"))  # a real value
    ObservationFactory(indicator=indicator, territory=region, value=Decimal("13.4"), demo=True)
    ObservationFactory(indicator=indicator, national=True, value=Decimal("14.5"))
    return departement


@pytest.mark.django_db
def test_demo_value_of_the_region_column_is_flagged(client):
    departement = _demo_region_diagnostic()
    # Signed in: an anonymous page may come from the page cache of another test.
    html = page(
        client,
        reverse("observation:diagnostic", args=["departement", departement.code]),
        UserFactory(national=True),
    )
    row = html[html.index("Indicateurs clés de") : html.index("</table>", html.index("Indicateurs clés de"))]
    region_cell = row[row.index("13,4") :]
    assert "donnée fictive" in region_cell[: region_cell.index("</td>")]


@pytest.mark.django_db
def test_real_values_carry_no_badge_in_the_key_table(client):
    region = RegionFactory(code="52", name="Pays de la Loire")
    departement = DepartementFactory(code="44", name="Loire-Atlantique", parent=region)
    indicator = IndicatorFactory(code="TP60", label="Taux de pauvreté")
    for territory, value in ((departement, "12.1"), (region, "13.4")):
        ObservationFactory(indicator=indicator, territory=territory, value=Decimal(value))
    html = page(
        client,
        reverse("observation:diagnostic", args=["departement", departement.code]),
        UserFactory(national=True),
    )
    assert "donnée fictive" not in html
