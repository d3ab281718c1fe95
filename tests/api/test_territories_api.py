import pytest

from tests.accounts.factories import UserFactory
from tests.territories.factories import CommuneFactory, DepartementFactory, EpciFactory, RegionFactory


@pytest.fixture
def territories():
    pdl = RegionFactory(code="52", name="Pays de la Loire")
    grand_est = RegionFactory(code="44", name="Grand Est")
    haute_marne = DepartementFactory(code="52", name="Haute-Marne", parent=grand_est)
    loire_atlantique = DepartementFactory(code="44", name="Loire-Atlantique", parent=pdl)
    vendee = DepartementFactory(code="85", name="Vendée", parent=pdl)
    metropole = EpciFactory(
        code="244400404", name="Nantes Métropole", parent=loire_atlantique, metropole=True
    )
    EpciFactory(code="200000001", name="CC Test", parent=loire_atlantique)
    CommuneFactory(code="44109", name="Nantes", parent=loire_atlantique, epci=metropole)
    CommuneFactory(code="44184", name="Saint-Nazaire", parent=loire_atlantique)
    CommuneFactory(code="52121", name="Chaumont", parent=haute_marne)
    CommuneFactory(code="85191", name="La Roche-sur-Yon", parent=vendee)
    return pdl


def _codes(response):
    return [item["code"] for item in response.json()["items"]]


def test_departements_of_a_region_are_listed_with_their_count(client, territories):
    response = client.get("/api/v1/territories/", {"level": "departement", "parent": "52"})
    assert response.status_code == 200
    assert response.json()["count"] == 2
    assert _codes(response) == ["44", "85"]


def test_communes_of_a_departement_do_not_mix_with_a_region_of_the_same_code(client, territories):
    response = client.get("/api/v1/territories/", {"level": "commune", "parent": "52"})
    assert _codes(response) == ["52121"]
    response = client.get(
        "/api/v1/territories/", {"level": "commune", "parent": "52", "parent_level": "region"}
    )
    assert _codes(response) == ["44109", "44184", "85191"]


def test_metropoles_and_communes_of_an_epci_are_listed(client, territories):
    assert _codes(client.get("/api/v1/territories/", {"level": "metropole"})) == ["244400404"]
    assert _codes(client.get("/api/v1/territories/", {"level": "commune", "parent": "244400404"})) == [
        "44109"
    ]
    assert _codes(client.get("/api/v1/territories/", {"level": "epci", "parent": "44"})) == [
        "200000001",
        "244400404",
    ]


def test_the_list_is_paginated(client, territories):
    response = client.get("/api/v1/territories/", {"level": "commune", "page_size": 2, "page": 2})
    body = response.json()
    assert body["count"] == 4 and body["pages"] == 2 and body["page"] == 2
    assert len(body["items"]) == 2


def test_a_territory_is_read_with_its_parents(client, territories):
    body = client.get("/api/v1/territories/commune/44109").json()
    assert body["name"] == "Nantes"
    assert body["departement"]["code"] == "44"
    assert body["region"]["code"] == "52"
    assert body["epci"]["name"] == "Nantes Métropole"
    assert body["url"] == "/territoires/commune/44109/"


def test_an_unknown_territory_is_a_404_in_french(client, territories):
    response = client.get("/api/v1/territories/commune/99999")
    assert response.status_code == 404
    assert "Territoire introuvable" in response.json()["detail"]


def test_an_unknown_parent_is_a_404_naming_the_parameter(client, territories):
    response = client.get("/api/v1/territories/", {"level": "departement", "parent": "99"})
    assert response.status_code == 404
    assert response.json()["detail"].startswith("parent :")


def test_a_bad_level_is_refused_with_a_french_message_naming_the_field(client, territories):
    response = client.get("/api/v1/territories/", {"level": "canton"})
    assert response.status_code == 422
    error = response.json()["erreurs"][0]
    assert error["champ"] == "level"
    assert "valeurs possibles" in error["message"]


def test_a_too_large_page_size_is_refused(client, territories):
    response = client.get("/api/v1/territories/", {"page_size": 100000})
    assert response.status_code == 422
    assert response.json()["erreurs"][0]["champ"] == "page_size"


@pytest.mark.parametrize("user_kind", ["anonymous", "in_scope", "out_of_scope"])
def test_territories_are_public_for_every_visitor(client, territories, user_kind):
    if user_kind != "anonymous":
        region = territories if user_kind == "in_scope" else RegionFactory(code="53")
        client.force_login(UserFactory(commissioner=True, territory=region))
    assert client.get("/api/v1/territories/", {"level": "region"}).json()["count"] >= 2
