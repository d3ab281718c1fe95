"""The territories of the page tests: the Pays de la Loire (Loire-Atlantique, Nantes Métropole, Nantes) and the
Bretagne (Ille-et-Vilaine), where the users outside the scope live."""

import pytest

from tests.territories.factories import CommuneFactory, DepartementFactory, EpciFactory, RegionFactory


@pytest.fixture
def pays_de_la_loire():
    region = RegionFactory(code="52", name="Pays de la Loire")
    loire_atlantique = DepartementFactory(code="44", name="Loire-Atlantique", parent=region)
    metropole = EpciFactory(
        code="244400404", name="Nantes Métropole", parent=loire_atlantique, metropole=True
    )
    nantes = CommuneFactory(
        code="44109", name="Nantes", parent=loire_atlantique, epci=metropole, population=320_000
    )
    return {"region": region, "44": loire_atlantique, "metropole": metropole, "nantes": nantes}


@pytest.fixture
def bretagne():
    region = RegionFactory(code="53", name="Bretagne")
    return {"region": region, "35": DepartementFactory(code="35", name="Ille-et-Vilaine", parent=region)}
