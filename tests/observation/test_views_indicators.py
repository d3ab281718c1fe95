"""Indicator pages: the list, the choropleth map of départements with its table alternative, the tables of
the other levels, the time series and the provenance; visibility of indicators that are not public."""

import re
from decimal import Decimal

import pytest

from pacte.observation.enums import ValueStatus
from tests.accounts.factories import UserFactory
from tests.helpers import count_queries, keep_menu_count
from tests.observation.factories import (
    IndicatorFactory,
    ObservationFactory,
    communes,
    france,
    values,
)
from tests.observation.import_factories import erfs_indicator
from tests.territories.factories import CommuneFactory, DepartementFactory, EpciFactory, RegionFactory

# --- Fixtures -------------------------------------------------------------------------------------------


@pytest.fixture
def places():
    pdl = RegionFactory(code="52", name="Pays de la Loire")
    bretagne = RegionFactory(code="53", name="Bretagne")
    loire_atlantique = DepartementFactory(code="44", name="Loire-Atlantique", parent=pdl)
    return {
        "pdl": pdl,
        "bretagne": bretagne,
        "44": loire_atlantique,
        "85": DepartementFactory(code="85", name="Vendée", parent=pdl),
        "29": DepartementFactory(code="29", name="Finistère", parent=bretagne),
        "974": DepartementFactory(
            code="974", name="La Réunion", parent=RegionFactory(code="04", name="La Réunion")
        ),
        "nantes_metropole": EpciFactory(
            code="244400404", name="Nantes Métropole", parent=loire_atlantique, metropole=True
        ),
        "nantes": CommuneFactory(code="44109", name="Nantes", parent=loire_atlantique),
        "saint_nazaire": CommuneFactory(code="44184", name="Saint-Nazaire", parent=loire_atlantique),
    }


@pytest.fixture
def rate(places):
    """A public poverty rate: France 2020-2021, four départements in 2020 and 2021 (Finistère secret in
    2021, La Réunion missing), two communes in 2021."""
    indicator = IndicatorFactory(
        code="TP60",
        label="Taux de pauvreté monétaire à 60 %",
        short_label="Taux de pauvreté",
        description="Part des personnes sous le seuil de pauvreté.",
        definition_url="https://www.insee.fr/fr/metadonnees/definition/c1653",
        source="INSEE – Filosofi",
        vintage="Filosofi 2021",
    )
    ObservationFactory(indicator=indicator, national=True, period=2020, value=Decimal("14.6"))
    ObservationFactory(
        indicator=indicator, national=True, period=2021, value=Decimal("14.5"), source="INSEE, ERFS 2021"
    )
    for code, (v2020, v2021) in {
        "44": ("11.2", "11.0"),
        "85": ("10.8", "10.5"),
        "29": ("10.9", None),
    }.items():
        ObservationFactory(indicator=indicator, territory=places[code], period=2020, value=Decimal(v2020))
        if v2021:
            ObservationFactory(indicator=indicator, territory=places[code], period=2021, value=Decimal(v2021))
        else:
            ObservationFactory(indicator=indicator, territory=places[code], period=2021, secret=True)
    ObservationFactory(indicator=indicator, territory=places["nantes"], period=2021, value=Decimal("17.9"))
    ObservationFactory(
        indicator=indicator, territory=places["saint_nazaire"], period=2021, value=Decimal("14.0"), demo=True
    )
    return indicator


@pytest.fixture
def restricted(places):
    indicator = IndicatorFactory(code="NR_RSA", label="Non-recours au RSA", restricted=True)
    ObservationFactory(indicator=indicator, national=True, period=2022, value=Decimal("34"))
    ObservationFactory(indicator=indicator, territory=places["44"], period=2022, value=Decimal("31"))
    return indicator


def _page(client, code="TP60", **params):
    return client.get(f"/observation/indicateurs/{code}/", params)


# --- The list -------------------------------------------------------------------------------------------


def test_the_list_shows_each_public_indicator_with_its_latest_national_value(client, rate, restricted):
    response = client.get("/observation/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Taux de pauvreté monétaire à 60 %" in html
    assert "14,5\u202f% (2021)" in html
    assert "Filosofi 2021" in html
    assert "/observation/indicateurs/TP60/" in html
    assert "/observation/donnees/TP60.csv" in html
    assert "Non-recours au RSA" not in html


@pytest.mark.parametrize("role", ["national", "commissioner", "ddets", "departement_council", "metropole"])
def test_the_pacte_steering_sees_restricted_indicators_in_the_list(client, rate, restricted, role):
    client.force_login(UserFactory(**{role: True}))
    html = client.get("/observation/").content.decode()
    assert "Non-recours au RSA" in html
    assert "diffusion restreinte" in html


@pytest.mark.parametrize("role", [None, "ddets", "association", "commissioner", "national"])
def test_only_who_may_import_is_offered_the_import_page_from_the_list(client, rate, role):
    if role:
        client.force_login(UserFactory(**{role: True}))
    html = client.get("/observation/").content.decode()
    assert ("/observation/import/" in html) == (role in ("commissioner", "national"))


def test_an_association_does_not_see_restricted_indicators_in_the_list(client, rate, restricted, places):
    client.force_login(UserFactory(association=True, territory=places["44"]))
    assert "Non-recours au RSA" not in client.get("/observation/").content.decode()


def test_the_list_offers_a_diagnostic_for_regions_departements_and_metropoles(client, rate, places):
    html = client.get("/observation/").content.decode()
    assert 'value="departement:44"' in html
    assert 'value="region:52"' in html
    assert 'value="metropole:244400404"' in html
    assert "commune:44109" not in html


# --- The map page ---------------------------------------------------------------------------------------


def test_the_map_has_a_link_per_departement_to_its_diagnostic(client, rate):
    departements = france(101)
    values(rate, departements, periods=(2021,))
    html = _page(client).content.decode()
    svg = html[html.index('<svg xmlns="http://www.w3.org/2000/svg"') :]
    svg = svg[: svg.index("</svg>")]
    links = set(re.findall(r'<a href="(/observation/diagnostic/departement/[^/"]+/)"', svg))
    assert len(links) == 101
    assert "/observation/diagnostic/departement/974/" in links
    assert "/observation/diagnostic/departement/2A/" in links


def test_the_table_alternative_lists_every_departement_with_its_region_and_status(client, rate, places):
    departements = france(101)
    html = _page(client, periode=2021).content.decode()
    table = html[html.index('id="tableau"') :]
    for departement in departements:
        assert f"<td>{departement.code}</td>" in table, departement.code
    assert "Loire-Atlantique" in table and "Pays de la Loire" in table
    assert "11,0\u202f%" in table
    assert "secret statistique" in table  # Finistère in 2021
    assert "non disponible" in table  # La Réunion and the départements without a value


def test_the_default_period_is_the_latest_with_departement_values(client, rate, places):
    ObservationFactory(indicator=rate, national=True, period=2023, value=Decimal("15.4"))
    response = _page(client)
    assert response.context["period"] == 2021
    assert response.context["periods"] == [2021, 2020]
    assert "Carte des départements en 2021" in response.content.decode()


def test_another_period_is_chosen_with_periode(client, rate):
    html = _page(client, periode=2020).content.decode()
    assert "Carte des départements en 2020" in html
    assert "11,2\u202f%" in html


def test_the_france_value_of_the_period_is_shown(client, rate):
    assert _page(client, periode=2020).context["france_display"] == "14,6\u202f%"
    assert _page(client, periode=2021).context["france_display"] == "14,5\u202f%"


def test_demo_values_carry_the_fictitious_data_badge(client, rate, places):
    ObservationFactory(indicator=rate, territory=places["974"], period=2021, value=Decimal("36"), demo=True)
    html = _page(client).content.decode()
    assert "donnée fictive" in html


def test_the_time_series_adds_the_chosen_territories(client, rate, places):
    response = _page(client, territoire="44 85")
    html = response.content.decode()
    assert [territory.code for territory in response.context["compared"]] == ["44", "85"]
    chart = str(response.context["chart"])
    assert "Loire-Atlantique" in chart and "Vendée" in chart and "France" in chart
    assert '<th scope="row">Loire-Atlantique</th>' in html


def test_unknown_territories_in_the_time_series_are_ignored(client, rate):
    response = _page(client, territoire="99,44")
    assert [territory.code for territory in response.context["compared"]] == ["44"]


def test_the_provenance_block_gives_source_vintage_update_and_definition(client, rate):
    html = _page(client).content.decode()
    provenance = html[html.index('id="provenance"') :]
    assert "INSEE – Filosofi" in provenance
    assert "Filosofi 2021" in provenance
    assert "Dernière mise à jour" in provenance
    assert "https://www.insee.fr/fr/metadonnees/definition/c1653" in provenance
    assert "INSEE, ERFS 2021" in provenance


def test_download_links_follow_the_level_and_period(client, rate):
    html = _page(client, periode=2020).content.decode()
    assert "/observation/donnees/TP60.csv?niveau=departement&amp;periode=2020" in html
    assert "/observation/donnees/TP60.json?niveau=departement&amp;periode=2020" in html


def test_a_bad_level_or_period_is_named_in_french_and_the_defaults_apply(client, rate):
    response = _page(client, niveau="canton", periode="deux-mille")
    assert response.status_code == 200
    html = response.content.decode()
    assert "niveau : « canton » n&#x27;est pas un niveau connu" in html
    assert "periode : « deux-mille » n&#x27;est pas une année" in html
    assert response.context["level"] == "departement"
    assert response.context["period"] == 2021


def test_a_period_without_values_is_refused_with_the_available_years(client, rate):
    response = _page(client, periode=1999)
    assert "pas de valeur en 1999 à ce niveau ; années disponibles : 2021, 2020" in response.content.decode()
    assert response.context["period"] == 2021


def test_an_unknown_indicator_is_404(client, rate):
    assert _page(client, code="INCONNU").status_code == 404


# --- Restricted indicators ------------------------------------------------------------------------------


def test_a_restricted_indicator_is_404_for_the_public(client, restricted):
    assert _page(client, code="NR_RSA").status_code == 404


def test_a_restricted_indicator_is_404_for_an_association(client, restricted, places):
    client.force_login(UserFactory(association=True, territory=places["44"]))
    assert _page(client, code="NR_RSA").status_code == 404


def test_a_restricted_indicator_is_shown_to_a_ddets_and_is_not_offered_for_download(
    client, restricted, places
):
    client.force_login(UserFactory(ddets=True, territory=places["85"]))
    response = _page(client, code="NR_RSA")
    assert response.status_code == 200
    html = response.content.decode()
    assert "diffusion restreinte" in html
    assert "/observation/donnees/NR_RSA.csv" not in html


# --- Other levels as tables -----------------------------------------------------------------------------


def test_communes_are_a_paginated_table_not_a_map(client, rate, places, settings):
    settings.PACTE_PAGE_SIZE = 10
    loire_atlantique = places["44"]
    values(rate, communes(loire_atlantique, 25, start=200), periods=(2021,))
    response = _page(client, niveau="commune")
    assert response.context["is_map"] is False
    assert "choropleth" not in response.context
    page = response.context["page"]
    assert page.paginator.count == 27  # the 25 new communes, Nantes and Saint-Nazaire
    assert len(response.context["rows"]) == 10
    assert "1 / 3" in response.content.decode()


def test_the_commune_table_sorts_by_value_and_filters_by_departement(client, rate, places):
    CommuneFactory(code="85191", name="La Roche-sur-Yon", parent=places["85"])
    response = _page(client, niveau="commune", tri="-valeur")
    names = [row["name"] for row in response.context["rows"]]
    assert names[:2] == ["Nantes", "Saint-Nazaire"]  # 17,9 then 14,0; La Roche-sur-Yon has no value: last
    assert names[-1] == "La Roche-sur-Yon"
    response = _page(client, niveau="commune", departement="85")
    assert [row["name"] for row in response.context["rows"]] == ["La Roche-sur-Yon"]


def test_the_commune_table_marks_demo_values(client, rate):
    html = _page(client, niveau="commune").content.decode()
    row = html[html.index("Saint-Nazaire") :]
    assert "donnée fictive" in row[: row.index("</tr>")]


def test_a_level_without_values_says_so(client, rate):
    html = _page(client, niveau="region").content.decode()
    assert "Aucune valeur n’est disponible à ce niveau" in html


def test_metropoles_are_a_table_linking_to_their_diagnostic(client, rate, places):
    ObservationFactory(indicator=rate, territory=places["nantes_metropole"], period=2021, value=Decimal("15"))
    html = _page(client, niveau="metropole").content.decode()
    assert "/observation/diagnostic/metropole/244400404/" in html


# --- Query counts ---------------------------------------------------------------------------------------


def test_the_map_page_runs_the_same_queries_for_5_or_101_departements(
    client, django_assert_num_queries, settings
):
    settings.PACTE_PAGE_CACHE_SECONDS = 0  # the rendering is counted, every time: no kept page
    indicator = IndicatorFactory(code="TP60")
    ObservationFactory(indicator=indicator, national=True, period=2021)
    values(indicator, france(5), periods=(2019, 2020, 2021))
    small = count_queries(client, "/observation/indicateurs/TP60/?territoire=01")
    assert len(client.get("/observation/indicateurs/TP60/?territoire=01").context["rows"]) == 5
    assert small <= 8
    values(indicator, france(101)[5:], periods=(2019, 2020, 2021))
    with django_assert_num_queries(small):
        response = client.get("/observation/indicateurs/TP60/?territoire=01")
    assert len(response.context["rows"]) == 101


def test_the_commune_table_runs_the_same_queries_for_few_or_many_communes(client, django_assert_num_queries):
    indicator = IndicatorFactory(code="TP60")
    departements = france(3)
    values(indicator, communes(departements[0], 5), periods=(2020, 2021))
    url = "/observation/indicateurs/TP60/?niveau=commune&tri=-valeur&page=1"
    small = count_queries(client, url)
    assert small <= 10
    for departement in departements:
        values(indicator, communes(departement, 300, start=500), periods=(2020, 2021))
    with django_assert_num_queries(small):
        response = client.get(url)
    assert response.context["page"].paginator.count == 905


def test_a_signed_in_steering_user_adds_only_the_session_queries(client, django_assert_max_num_queries):
    indicator = IndicatorFactory(code="TP60")
    values(indicator, france(101), periods=(2021,))
    anonymous = count_queries(client, "/observation/indicateurs/TP60/")
    national = UserFactory(national=True)
    client.force_login(national)
    keep_menu_count(national)
    with django_assert_max_num_queries(anonymous + 3):
        assert client.get("/observation/indicateurs/TP60/").status_code == 200


def test_status_labels_match_the_value_statuses():
    assert ValueStatus.SECRET.label == "Secret statistique"
    assert ValueStatus.MISSING.label == "Non disponible"


# --- Fields of the values, and counts made by several sources ---------------------------------------------


@pytest.fixture
def erfs():
    return erfs_indicator()


def test_the_national_value_of_the_erfs_is_named_metropolitan_france(client, erfs):
    html = client.get("/observation/indicateurs/TP60/").content.decode()
    assert "France métropolitaine (2021)" in html
    assert (
        "Champ des valeurs territoriales</strong> : Filosofi : France métropolitaine, Martinique et La Réunion"
        in html
    )
    assert "jamais à un territoire d’outre-mer" in html


def test_the_erfs_line_is_drawn_beside_a_metropolitan_territory(client, erfs):
    response = client.get("/observation/indicateurs/TP60/?territoire=44")
    assert [label for label, _cells in response.context["series_table"]] == [
        "France métropolitaine",
        "Loire-Atlantique",
    ]
    assert not response.context["national_apart"]


def test_the_erfs_line_is_not_drawn_beside_an_overseas_territory(client, erfs):
    response = client.get("/observation/indicateurs/TP60/?territoire=974")
    assert [label for label, _cells in response.context["series_table"]] == ["La Réunion"]
    assert "n’est pas tracée à côté de La Réunion" in response.content.decode()


@pytest.fixture
def rsa(places):
    caf = IndicatorFactory(
        code="NB_RSA", kind="effectif", unit="foyers", decimals=0, source="Cnaf – data.caf.fr"
    )
    msa = IndicatorFactory(
        code="NB_RSA_MSA", kind="effectif", unit="foyers", decimals=0, source="MSA – non publié", adds_to=caf
    )
    ObservationFactory(indicator=caf, territory=places["44"], period=2024, value=Decimal("30000"))
    ObservationFactory(indicator=caf, territory=places["85"], period=2024, value=Decimal("9000"))
    return caf, msa


def test_without_msa_values_the_msa_column_says_not_published_and_no_total_is_given(client, rsa):
    response = client.get("/observation/indicateurs/NB_RSA/")
    table = response.context["sources_table"]
    rows = {row["code"]: row for row in table["rows"]}
    assert [part.code for part in table["parts"]] == ["NB_RSA", "NB_RSA_MSA"]
    assert rows["44"]["cells"] == ["30\u202f000\u202ffoyers", "non publié"] and rows["44"]["total"] == "–"
    html = response.content.decode()
    assert "départements ruraux" in html and "MSA – non publié" in html


def test_where_both_sources_are_known_their_sum_is_shown(client, rsa, places):
    _caf, msa = rsa
    ObservationFactory(indicator=msa, territory=places["44"], period=2024, value=Decimal("1200"))
    response = client.get("/observation/indicateurs/NB_RSA_MSA/?periode=2024")
    rows = {row["code"]: row for row in response.context["sources_table"]["rows"]}
    assert rows["44"]["total"] == "31\u202f200\u202ffoyers"
    assert rows["85"]["cells"][1] == "non disponible" and rows["85"]["total"] == "–"


def test_an_indicator_of_one_source_has_no_sources_table(client, rate):
    assert client.get("/observation/indicateurs/TP60/").context["sources_table"] is None
