"""French alphabetical order (issue 17, item 6): accents and case ignored at first, the same order on SQLite
(the Python key) and PostgreSQL (the ICU collation). Every test that reads the database runs on both in CI."""

import csv
from pathlib import Path

from django.db import connection
from django.urls import reverse
from django.utils.html import escape

from pacte.core.collation import NAME, compare, french, french_key
from pacte.territories.enums import Level
from pacte.territories.models import Territory
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.contracts.factories import ContractFactory
from tests.helpers import page
from tests.territories.factories import CommuneFactory, DepartementFactory, EpciFactory, RegionFactory

COG = Path(__file__).resolve().parents[2] / "pacte" / "territories" / "data" / "cog2026"

# Names that try every rule: accents (é è ê ë ç œ æ), case, hyphens, apostrophes (straight and curly), spaces
# (plain, no-break, narrow no-break), digits, punctuation, a ligature beside its two letters, an empty name.
TRICKY = [
    "Bouée",
    "Bouvron",
    "bouée",
    "BOUÉE",
    "Bouee",
    "Île-de-France",
    "Ile-de-France",
    "Ille",
    "Hauts-de-France",
    "CC d'Erdre et Gesvres",
    "CC d’Erdre et Gesvres",
    "CC Sèvre et Loire",
    "CC de Blain",
    "CC Erdre",
    "cote",
    "coté",
    "côte",
    "côté",
    "Côte",
    "Cœuvres-et-Valsery",
    "Coeuvres",
    "Cof",
    "Æ",
    "ae",
    "Saint Aubin",
    "Saint-Aubin",
    "Saint\u00a0Aubin",
    "Saint\u202fAubin",
    "Saint–Aubin",
    "Saintes",
    "Paris 10e Arrondissement",
    "Paris 2e Arrondissement",
    "Paris 1er Arrondissement",
    "L'Abergement-Clémenciat",
    "La Baule-Escoublac",
    "Labastide",
    "« Guillemets »",
    "(Parenthèse)",
    "Arcon",
    "Arçon",
    "Noël",
    "Noel",
    "Nœl",
    "Éric",
    "eric",
    "ERIC",
    "Zoé",
    "Zoë",
    "zoe",
    "A.B.",
    "A&B",
    "A/B",
    "12 Rue",
    "",
]


def test_accents_and_case_are_ignored_at_first():
    assert sorted(["Bouvron", "Bouée"], key=french_key) == ["Bouée", "Bouvron"]
    assert sorted(["Occitanie", "Île-de-France", "Hauts-de-France"], key=french_key) == [
        "Hauts-de-France",
        "Île-de-France",
        "Occitanie",
    ]
    assert sorted(["CC Sèvre et Loire", "CC d'Erdre et Gesvres"], key=french_key) == [
        "CC d'Erdre et Gesvres",
        "CC Sèvre et Loire",
    ]
    assert sorted(["bretagne", "Bourgogne", "Auvergne"], key=french_key) == [
        "Auvergne",
        "Bourgogne",
        "bretagne",
    ]


def test_then_the_accents_decide_from_the_start_of_the_word_then_the_case():
    assert sorted(["côté", "Côte", "coté", "côte", "cote"], key=french_key) == [
        "cote",
        "coté",
        "côte",
        "Côte",
        "côté",
    ]
    assert sorted(["Bouée", "BOUÉE", "bouée"], key=french_key) == ["bouée", "Bouée", "BOUÉE"]


def test_spaces_and_punctuation_come_before_letters_and_ligatures_read_as_two_letters():
    assert sorted(["Saintes", "Saint-Aubin", "Saint Aubin"], key=french_key) == [
        "Saint Aubin",
        "Saint-Aubin",
        "Saintes",
    ]
    assert sorted(["Cof", "Cœuvres", "Coeuvres", "Cod"], key=french_key) == [
        "Cod",
        "Coeuvres",
        "Cœuvres",
        "Cof",
    ]
    # A no-break space sorts as a space (after it, all else equal).
    assert sorted(["Saint\u00a0Aubin", "Saint-Aubin", "Saint Aubin"], key=french_key) == [
        "Saint Aubin",
        "Saint\u00a0Aubin",
        "Saint-Aubin",
    ]


def test_only_identical_names_compare_equal():
    assert compare("Bouée", "Bouée") == 0
    assert compare("Bouée", "bouée") == 1
    assert compare("Bouee", "Bouée") == -1
    assert compare("Saint Aubin", "Saint\u00a0Aubin") == -1
    assert french_key(None) == french_key("")


def _territories(names: list[str]) -> None:
    Territory.objects.bulk_create(
        Territory(level=Level.COMMUNE, code=f"{index:05d}", name=name) for index, name in enumerate(names)
    )


def _database_order() -> list[str]:
    return list(Territory.objects.order_by(french("name"), "code").values_list("name", flat=True))


def test_the_database_sorts_tricky_names_as_the_python_key_does():
    _territories(TRICKY)
    assert _database_order() == sorted(TRICKY, key=french_key)


def test_the_database_sorts_the_names_of_the_cog_as_the_python_key_does():
    """Régions, départements and EPCI of the COG 2026, and one commune in five (7 000 names with accents, hyphens,
    apostrophes, parentheses and ligatures)."""
    names = []
    for file, step in (("regions.csv", 1), ("departements.csv", 1), ("epci.csv", 1), ("communes.csv", 5)):
        with open(COG / file, encoding="utf-8", newline="") as rows:
            names += [row["nom"] for index, row in enumerate(csv.DictReader(rows)) if index % step == 0]
    _territories(names)
    assert _database_order() == sorted(names, key=french_key)


def test_a_descending_order_is_the_reverse():
    _territories(["Bouvron", "Bouée", "Blain"])
    found = list(Territory.objects.order_by(french("name").desc()).values_list("name", flat=True))
    assert found == ["Bouvron", "Bouée", "Blain"]


def test_the_collation_is_named_the_same_on_both_databases():
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT %s < %s COLLATE "{NAME}"', ["Bouée", "Bouvron"])
        assert bool(cursor.fetchone()[0])
        if connection.vendor == "postgresql":  # an ICU collation, created by the migration core.0002
            cursor.execute("SELECT collprovider FROM pg_collation WHERE collname = %s", [NAME])
            assert cursor.fetchone() == ("i",)


# --- Pages -------------------------------------------------------------------------------------------------------


def _positions(html: str, names: list[str]) -> list[int]:
    return [html.index(f">{escape(name)}<") for name in names]


def test_the_regions_page_reads_in_french_alphabetical_order(client):
    names = ["Normandie", "Île-de-France", "Auvergne-Rhône-Alpes", "Hauts-de-France", "Bretagne", "Occitanie"]
    for code, name in zip(("28", "11", "84", "32", "53", "76"), names, strict=True):
        RegionFactory(code=code, name=name)
    html = page(client, "/territoires/")
    expected = [
        "Auvergne-Rhône-Alpes",
        "Bretagne",
        "Hauts-de-France",
        "Île-de-France",
        "Normandie",
        "Occitanie",
    ]
    assert _positions(html, expected) == sorted(_positions(html, expected))


def test_a_departement_page_lists_its_epci_and_communes_in_french_order(client):
    loire_atlantique = DepartementFactory(code="44", name="Loire-Atlantique", parent=RegionFactory(code="52"))
    sevre = EpciFactory(code="200067635", name="CC Sèvre et Loire", parent=loire_atlantique)
    erdre = EpciFactory(code="244400610", name="CC d'Erdre et Gesvres", parent=loire_atlantique)
    CommuneFactory(code="44023", name="Bouvron", parent=loire_atlantique, epci=erdre)
    CommuneFactory(code="44022", name="Bouée", parent=loire_atlantique, epci=sevre)
    CommuneFactory(code="44003", name="Ancenis-Saint-Géréon", parent=loire_atlantique, epci=sevre)
    html = page(client, "/territoires/departement/44/")
    epcis = _positions(html, ["CC d'Erdre et Gesvres", "CC Sèvre et Loire"])
    assert epcis == sorted(epcis)
    communes = _positions(html, ["Ancenis-Saint-Géréon", "Bouée", "Bouvron"])
    assert communes == sorted(communes)


def test_the_organisations_list_reads_in_french_order(client):
    region = RegionFactory(code="52", name="Pays de la Loire")
    departement = DepartementFactory(code="44", parent=region)
    for name in ("Secours populaire", "école des parents", "Écoute solidaire", "Emmaüs"):
        OrganisationFactory(name=name, territory=departement)
    html = page(client, "/comptes/organisations/", UserFactory(national=True))
    expected = ["école des parents", "Écoute solidaire", "Emmaüs", "Secours populaire"]
    assert [html.index(name) for name in expected] == sorted(html.index(name) for name in expected)


def test_the_contracts_list_reads_in_french_order_of_the_territories(client):
    region = RegionFactory(code="53", name="Bretagne")
    for code, name in (("23", "Creuse"), ("22", "Côtes-d'Armor"), ("19", "Corrèze")):
        ContractFactory(territory=DepartementFactory(code=code, name=name, parent=region))
    html = page(client, reverse("contracts:list"), UserFactory(national=True))
    names = [escape(name) for name in ("Corrèze", "Côtes-d'Armor", "Creuse")]
    assert [html.index(name) for name in names] == sorted(html.index(name) for name in names)
