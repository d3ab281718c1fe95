import pytest
from django.urls import reverse

from pacte.accounts.enums import Role
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.territories.factories import CommuneFactory


def test_the_index_lists_the_regions_for_everyone(client, pays_de_la_loire):
    response = client.get(reverse("territories:index"))
    assert response.status_code == 200
    assert "Pays de la Loire" in response.content.decode()


def test_a_region_page_lists_its_departements_and_metropoles(client, pays_de_la_loire):
    response = client.get("/territoires/region/52/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Loire-Atlantique" in content
    assert "Nantes Métropole" in content
    assert 'aria-current="page">Pays de la Loire' in content


@pytest.mark.parametrize(
    "page, diagnostic",
    [
        ("/territoires/region/52/", "/observation/diagnostic/region/52/"),
        ("/territoires/departement/44/", "/observation/diagnostic/departement/44/"),
        ("/territoires/epci/244400404/", "/observation/diagnostic/metropole/244400404/"),
        ("/territoires/commune/44109/", None),
    ],
)
def test_regions_departements_and_metropoles_link_to_their_diagnostic(
    client, pays_de_la_loire, page, diagnostic
):
    content = client.get(page).content.decode()
    assert ("/observation/diagnostic/" in content) == (diagnostic is not None)
    if diagnostic:
        assert diagnostic in content


def test_a_departement_page_lists_and_searches_its_communes(client, pays_de_la_loire):
    CommuneFactory(code="44184", name="Saint-Nazaire", parent=pays_de_la_loire["44"])
    response = client.get("/territoires/departement/44/", {"q": "nazaire"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Saint-Nazaire" in content
    assert ">Nantes</a>" not in content


def test_a_departement_page_paginates_its_communes_with_a_fixed_number_of_queries(
    client, pays_de_la_loire, django_assert_max_num_queries
):
    for number in range(60):
        CommuneFactory(code=f"44{200 + number}", name=f"Commune {number:02d}", parent=pays_de_la_loire["44"])
    with django_assert_max_num_queries(8):
        first = client.get("/territoires/departement/44/")
    with django_assert_max_num_queries(8):
        second = client.get("/territoires/departement/44/", {"page": 2})
    assert "61 communes" in first.content.decode()
    assert "2 / 2" in second.content.decode()


def test_an_epci_page_lists_its_member_communes(client, pays_de_la_loire):
    response = client.get("/territoires/epci/244400404/")
    assert response.status_code == 200
    assert "Nantes" in response.content.decode()
    assert "Métropole" in response.content.decode()


def test_a_commune_page_links_to_its_parents(client, pays_de_la_loire):
    response = client.get("/territoires/commune/44109/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "/territoires/departement/44/" in content
    assert "/territoires/epci/244400404/" in content
    assert "320\u202f000" in content


@pytest.mark.parametrize(
    "url",
    [
        "/territoires/region/99/",
        "/territoires/pays/52/",
        "/territoires/commune/ABCDE/",
        "/territoires/epci/52/",
    ],
)
def test_unknown_territories_give_a_404_page_in_french(client, pays_de_la_loire, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_an_obsolete_territory_is_hidden_from_the_public(client, pays_de_la_loire):
    CommuneFactory(code="44999", name="Ancienne commune", parent=pays_de_la_loire["44"], is_active=False)
    assert client.get("/territoires/commune/44999/").status_code == 404
    client.force_login(UserFactory(ddets=True, territory=pays_de_la_loire["44"]))
    assert client.get("/territoires/commune/44999/").status_code == 404
    client.force_login(UserFactory(national=True))
    assert "Ne figure plus au COG" in client.get("/territoires/commune/44999/").content.decode()


def test_an_epci_page_counts_its_communes_in_french(client, pays_de_la_loire):
    content = client.get("/territoires/epci/244400404/").content.decode()
    assert "1 commune." in content


def test_the_workspace_shows_to_the_regional_commissioner_of_the_region(client, pays_de_la_loire, bretagne):
    OrganisationFactory(name="DDETS Loire-Atlantique", kind="ddets", territory=pays_de_la_loire["44"])
    client.force_login(UserFactory(commissioner=True, territory=pays_de_la_loire["region"]))
    content = client.get("/territoires/region/52/").content.decode()
    assert "Espace de travail" in content
    assert "DDETS Loire-Atlantique" in content


def test_the_workspace_is_hidden_from_a_commissioner_of_another_region(client, pays_de_la_loire, bretagne):
    OrganisationFactory(name="DDETS Loire-Atlantique", kind="ddets", territory=pays_de_la_loire["44"])
    client.force_login(UserFactory(commissioner=True, territory=bretagne["region"]))
    response = client.get("/territoires/region/52/")
    assert response.status_code == 200
    assert "Espace de travail" not in response.content.decode()
    assert "DDETS Loire-Atlantique" not in response.content.decode()


def test_the_workspace_is_hidden_from_anonymous_visitors(client, pays_de_la_loire):
    OrganisationFactory(name="DDETS Loire-Atlantique", kind="ddets", territory=pays_de_la_loire["44"])
    content = client.get("/territoires/region/52/").content.decode()
    assert "Espace de travail" not in content


def test_a_metropole_user_sees_the_workspace_of_its_communes_but_not_of_its_departement(
    client, pays_de_la_loire
):
    user = UserFactory(metropole=True, territory=pays_de_la_loire["metropole"])
    assert user.role == Role.LOCAL_AUTHORITY
    client.force_login(user)
    assert "Espace de travail" in client.get("/territoires/commune/44109/").content.decode()
    assert "Espace de travail" not in client.get("/territoires/departement/44/").content.decode()


@pytest.mark.parametrize("visitor", ["anonymous", "in_scope", "out_of_scope"])
@pytest.mark.parametrize(
    "url",
    [
        "/territoires/",
        "/territoires/region/52/",
        "/territoires/departement/44/",
        "/territoires/commune/44109/",
    ],
)
def test_territory_pages_are_public_for_every_kind_of_visitor(
    client, pays_de_la_loire, bretagne, visitor, url
):
    if visitor != "anonymous":
        scope = pays_de_la_loire["44"] if visitor == "in_scope" else bretagne["35"]
        client.force_login(UserFactory(ddets=True, territory=scope))
    response = client.get(url)
    assert response.status_code == 200
    inside_the_departement = url in ("/territoires/departement/44/", "/territoires/commune/44109/")
    assert ("Espace de travail" in response.content.decode()) == (
        visitor == "in_scope" and inside_the_departement
    )
