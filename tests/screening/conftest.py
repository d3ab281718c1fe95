"""What the access-to-rights tests share: a private media directory per test, the Pays de la Loire with
four communes of the example household file and Bretagne (out of scope), users by role, and one warm-up of
the rights engine per test session."""

import pytest

from tests.accounts.factories import UserFactory
from tests.territories.factories import CommuneFactory, DepartementFactory, RegionFactory


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(scope="session")
def engine():
    """The rights engine, loaded once for the whole session (about 4 s)."""
    from pacte.rights import engine

    engine.warm_up()
    return engine


@pytest.fixture
def cog():
    pdl = RegionFactory(code="52", name="Pays de la Loire")
    bretagne = RegionFactory(code="53", name="Bretagne")
    d44 = DepartementFactory(code="44", name="Loire-Atlantique", parent=pdl)
    d49 = DepartementFactory(code="49", name="Maine-et-Loire", parent=pdl)
    d35 = DepartementFactory(code="35", name="Ille-et-Vilaine", parent=bretagne)
    return {
        "52": pdl,
        "53": bretagne,
        "44": d44,
        "49": d49,
        "35": d35,
        "85": DepartementFactory(code="85", name="Vendée", parent=pdl),
        "72": DepartementFactory(code="72", name="Sarthe", parent=pdl),
        "44109": CommuneFactory(code="44109", name="Nantes", parent=d44),
        "44190": CommuneFactory(code="44190", name="Saint-Nazaire", parent=d44),
        "49007": CommuneFactory(code="49007", name="Angers", parent=d49),
        "35238": CommuneFactory(code="35238", name="Rennes", parent=d35),
    }


@pytest.fixture
def users(cog):
    """One user per role; "…35" and "…53" are the same roles outside the Pays de la Loire."""
    return {
        "worker": UserFactory(username="ts44", social_worker=True, territory=cog["44"]),
        "colleague": UserFactory(username="ts44bis", social_worker=True, territory=cog["44"]),
        "worker35": UserFactory(username="ts35", social_worker=True, territory=cog["35"]),
        "cd44": UserFactory(username="cd44", departement_council=True, territory=cog["44"]),
        "cd35": UserFactory(username="cd35", departement_council=True, territory=cog["35"]),
        "ddets44": UserFactory(username="ddets44", ddets=True, territory=cog["44"]),
        "ddets35": UserFactory(username="ddets35", ddets=True, territory=cog["35"]),
        "commissioner52": UserFactory(username="com52", commissioner=True, territory=cog["52"]),
        "commissioner53": UserFactory(username="com53", commissioner=True, territory=cog["53"]),
        "national": UserFactory(username="diplp", national=True),
        "association": UserFactory(username="asso44", association=True, territory=cog["44"]),
        "nobody": UserFactory(username="sansrole"),
    }
