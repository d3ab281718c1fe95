"""The suggested split of a regional envelope for the pactes locaux by poverty headcount
(pacte.observation.templatetags.observation): exact to the cent, the latest year every département has a value,
« non disponible » otherwise, never an estimate."""

from decimal import Decimal

from django.contrib.auth.models import AnonymousUser

from pacte.observation.templatetags.observation import proportional_split, suggested_split
from tests.accounts.factories import UserFactory
from tests.observation.factories import IndicatorFactory, ObservationFactory
from tests.territories.factories import DepartementFactory, RegionFactory


def test_the_shares_add_up_to_the_amount_to_the_cent():
    assert proportional_split(Decimal("100"), {"a": 1, "b": 1, "c": 1}) == {
        "a": Decimal("33.34"),
        "b": Decimal("33.33"),
        "c": Decimal("33.33"),
    }
    split = proportional_split(Decimal("450000"), {"44": Decimal(152000), "85": Decimal(61000), "49": 89000})
    assert sum(split.values()) == Decimal("450000")
    assert split["44"] > split["49"] > split["85"]


def region_with_values(values: dict[str, dict[int, int]]):
    region = RegionFactory(code="52", name="Pays de la Loire")
    headcount = IndicatorFactory(code="NBPAUV", label="Personnes pauvres", count=True)
    for code, by_year in values.items():
        departement = DepartementFactory(code=code, name=f"Département {code}", parent=region)
        for year, value in by_year.items():
            ObservationFactory(indicator=headcount, territory=departement, period=year, value=Decimal(value))
    return region


def test_the_split_uses_the_latest_year_every_departement_has_a_value():
    region = region_with_values({"44": {2020: 100, 2021: 300}, "85": {2020: 100, 2021: 100, 2026: 900}})
    split = suggested_split(AnonymousUser(), region, Decimal("1000"), 2025)
    assert split.available and split.period == 2021
    assert [(row.departement.code, row.share, row.suggested) for row in split.rows] == [
        ("44", Decimal("75.0"), Decimal("750.00")),
        ("85", Decimal("25.0"), Decimal("250.00")),
    ]


def test_the_split_is_unavailable_when_a_departement_has_no_value():
    region = region_with_values({"44": {2021: 300}, "85": {2020: 100}})
    split = suggested_split(AnonymousUser(), region, Decimal("1000"))
    assert not split.available and split.rows == []
    assert split.reason.startswith("aucune année où chaque département de Pays de la Loire a une valeur")


def test_the_split_is_unavailable_without_the_headcount_indicator_or_when_it_is_restricted():
    region = RegionFactory(code="52", name="Pays de la Loire")
    assert suggested_split(AnonymousUser(), region, Decimal("1000")).reason == (
        "l'indicateur NBPAUV (personnes pauvres) n'est pas chargé."
    )
    IndicatorFactory(code="NBPAUV", count=True, restricted=True)
    assert not suggested_split(AnonymousUser(), region, Decimal("1000")).available
    commissioner = UserFactory(commissioner=True, territory=region)
    assert (
        suggested_split(commissioner, region, Decimal("1000")).reason == "la région n'a pas de département."
    )
