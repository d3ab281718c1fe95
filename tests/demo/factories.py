"""The world the demo loaders expect (pacte load_cog loads it in the real demo): the Pays de la Loire, its five
départements, Nantes Métropole and Nantes, the région Bretagne, and La Réunion (région 04, département 974) for
the overseas convention."""

from datetime import date

from pacte.territories.enums import Zone
from tests.territories.factories import CommuneFactory, DepartementFactory, EpciFactory, RegionFactory

TODAY = date(2026, 9, 14)
DEPARTEMENTS = {
    "44": "Loire-Atlantique",
    "49": "Maine-et-Loire",
    "53": "Mayenne",
    "72": "Sarthe",
    "85": "Vendée",
}
NANTES_METROPOLE = "244400404"


def build_pays_de_la_loire() -> None:
    region = RegionFactory(code="52", name="Pays de la Loire")
    RegionFactory(code="53", name="Bretagne")
    departements = {
        code: DepartementFactory(code=code, name=name, parent=region) for code, name in DEPARTEMENTS.items()
    }
    metropole = EpciFactory(
        code=NANTES_METROPOLE, name="Nantes Métropole", parent=departements["44"], metropole=True
    )
    CommuneFactory(code="44109", name="Nantes", parent=departements["44"], epci=metropole)
    reunion = RegionFactory(code="04", name="La Réunion", zone=Zone.DROM)
    DepartementFactory(code="974", name="La Réunion", parent=reunion, zone=Zone.DROM)
