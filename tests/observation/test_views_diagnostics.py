"""Territorial diagnostic of a département, a métropole or a région: key indicators next to the région and
France, trend, peers, contracts and their fiches-actions, the map; the PDF for a COPIL."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser

from pacte.contracts.enums import ContractStatus
from pacte.observation import queries
from pacte.observation.diagnostics import build_diagnostic
from pacte.observation.enums import ValueKind
from pacte.observation.models import Observation
from pacte.observation.pdf import diagnostic_html
from pacte.territories.enums import Level
from pacte.territories.models import Territory
from tests.accounts.factories import UserFactory
from tests.contracts.factories import action_data, build_contract
from tests.helpers import count_queries
from tests.observation.factories import IndicatorFactory, ObservationFactory, france, values
from tests.observation.import_factories import erfs_indicator
from tests.programme.factories import AxisFactory
from tests.territories.factories import CommuneFactory, DepartementFactory, EpciFactory, RegionFactory

D = Decimal


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
        "49": DepartementFactory(code="49", name="Maine-et-Loire", parent=pdl),
        "29": DepartementFactory(code="29", name="Finistère", parent=bretagne),
        "35": DepartementFactory(code="35", name="Ille-et-Vilaine", parent=bretagne),
        "56": DepartementFactory(code="56", name="Morbihan", parent=bretagne),
        "22": DepartementFactory(code="22", name="Côtes-d'Armor", parent=bretagne),
        "nantes_metropole": EpciFactory(
            code="244400404", name="Nantes Métropole", parent=loire_atlantique, metropole=True
        ),
        "cc": EpciFactory(code="200000001", name="CC Test", parent=loire_atlantique),
        "nantes": CommuneFactory(code="44109", name="Nantes", parent=loire_atlantique),
    }


@pytest.fixture
def indicators(places):
    """A poverty rate (2019-2021) and a median standard of living (2021) for every département and the two
    régions, France values, and a restricted non-take-up rate."""
    rate = IndicatorFactory(code="TP60", label="Taux de pauvreté", order=1, higher_is_worse=True)
    median = IndicatorFactory(
        code="MED",
        label="Niveau de vie médian",
        order=2,
        kind=ValueKind.AMOUNT,
        unit="€",
        decimals=0,
        higher_is_worse=False,
    )
    count = IndicatorFactory(code="NB_RSA", label="Foyers allocataires du RSA", order=3, count=True)
    restricted = IndicatorFactory(code="NR_RSA", label="Non-recours au RSA", order=4, restricted=True)
    rates = {
        "44": ("11.8", "11.4", "11.0"),
        "85": ("10.9", "10.7", "10.5"),
        "49": ("12.9", "12.6", "12.4"),
        "29": ("11.2", "11.1", "11.1"),
        "35": ("11.0", "10.9", "10.8"),
        "56": ("11.5", "11.4", "11.3"),
        "22": ("12.0", "12.1", "12.2"),
        "pdl": ("11.5", "11.3", "11.0"),
        "bretagne": ("11.3", "11.2", "11.1"),
    }
    medians = {
        "44": 23100,
        "85": 21900,
        "49": 21500,
        "29": 22000,
        "35": 22900,
        "56": 22100,
        "22": 21300,
        "pdl": 22300,
        "bretagne": 22200,
    }
    for key, series in rates.items():
        for period, value in zip((2019, 2020, 2021), series, strict=True):
            ObservationFactory(indicator=rate, territory=places[key], period=period, value=D(value))
        ObservationFactory(indicator=median, territory=places[key], period=2021, value=D(medians[key]))
        ObservationFactory(indicator=count, territory=places[key], period=2021, value=D(10000 + len(key)))
    ObservationFactory(
        indicator=rate, territory=places["nantes_metropole"], period=2021, value=D("14.2"), demo=True
    )
    for period, value in ((2019, "14.6"), (2020, "14.4"), (2021, "14.5")):
        ObservationFactory(indicator=rate, national=True, period=period, value=D(value))
    ObservationFactory(indicator=median, national=True, period=2021, value=D("22040"))
    ObservationFactory(indicator=restricted, national=True, period=2022, value=D("34"))
    ObservationFactory(indicator=restricted, territory=places["44"], period=2022, value=D("31"))
    return {"rate": rate, "median": median, "count": count, "restricted": restricted}


def _url(level="departement", code="44", suffix="/"):
    return f"/observation/diagnostic/{level}/{code}{suffix}"


# --- Key indicators -------------------------------------------------------------------------------------


def test_a_departement_is_shown_next_to_its_region_and_france(client, indicators):
    response = client.get(_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Diagnostic territorial – Loire-Atlantique" in html
    rows = {row.indicator.code: row for row in response.context["diagnostic"].rows}
    assert rows["TP60"].value == "11,0\u202f% (2021)"
    assert rows["TP60"].region == "11,0\u202f%"
    assert rows["TP60"].france == "14,5\u202f%"
    assert rows["MED"].value == "23\u202f100\u202f€ (2021)"
    assert "Pays de la Loire" in html


def test_the_trend_is_an_arrow_with_a_text_and_a_reading(client, indicators):
    rows = {row.indicator.code: row for row in client.get(_url()).context["diagnostic"].rows}
    trend = rows["TP60"].trend
    assert trend.direction == "baisse"
    assert trend.text == "en baisse de 0,4\u202fpoint depuis 2020"
    assert trend.reading == "favorable"
    assert rows["MED"].trend is None  # a single year
    rows = {row.indicator.code: row for row in client.get(_url(code="22")).context["diagnostic"].rows}
    assert rows["TP60"].trend.text == "en hausse de 0,1\u202fpoint depuis 2020"
    assert rows["TP60"].trend.reading == "défavorable"
    html = client.get(_url(code="22")).content.decode()
    assert "fr-icon-arrow-right-up-line" in html and "en hausse de 0,1" in html


def test_each_indicator_has_a_small_line_chart_and_its_values_as_a_table(client, indicators):
    response = client.get(_url())
    rows = {row.indicator.code: row for row in response.context["diagnostic"].rows}
    chart = str(rows["TP60"].chart)
    assert chart.startswith("<svg") and "Loire-Atlantique" in chart and "Pays de la Loire" in chart
    assert rows["TP60"].years == [2019, 2020, 2021]
    assert rows["TP60"].table[0] == ("Loire-Atlantique", ["11,8\u202f%", "11,4\u202f%", "11,0\u202f%"])


def test_a_region_is_compared_with_france_only(client, indicators):
    response = client.get(_url("region", "52"))
    assert response.status_code == 200
    diagnostic = response.context["diagnostic"]
    assert diagnostic.region is None
    rows = {row.indicator.code: row for row in diagnostic.rows}
    assert rows["TP60"].value == "11,0\u202f% (2021)" and rows["TP60"].france == "14,5\u202f%"


def test_a_metropole_has_its_diagnostic_with_demo_values_flagged(client, indicators):
    response = client.get(_url("metropole", "244400404"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Diagnostic territorial – Nantes Métropole" in html
    assert "donnée fictive" in html
    assert response.context["diagnostic"].region.code == "52"


def test_an_epci_code_of_a_metropole_redirects_to_its_diagnostic(client, indicators):
    response = client.get(_url("epci", "244400404"))
    assert response.status_code == 302
    assert response["Location"] == _url("metropole", "244400404")


@pytest.mark.parametrize(
    ("level", "code"),
    [("epci", "200000001"), ("commune", "44109"), ("metropole", "200000001"), ("canton", "44")],
)
def test_other_levels_have_no_diagnostic_and_say_so(client, indicators, level, code):
    response = client.get(_url(level, code))
    assert response.status_code == 404
    if level != "metropole":
        assert "Le diagnostic territorial existe pour les départements, les métropoles et les régions" in (
            response.content.decode()
        )


def test_an_unknown_territory_is_404(client, indicators):
    assert client.get(_url(code="99")).status_code == 404
    assert client.get(_url(code="99", suffix=".pdf")).status_code == 404


def test_the_index_selector_leads_to_the_diagnostic(client, indicators):
    response = client.get("/observation/diagnostic/", {"territoire": "metropole:244400404"})
    assert response["Location"] == _url("metropole", "244400404")
    response = client.get("/observation/diagnostic/", {"territoire": "n'importe quoi"})
    assert response["Location"] == "/observation/#diagnostic"


# --- Restricted indicators ------------------------------------------------------------------------------


def test_the_public_and_associations_do_not_see_restricted_indicators(client, indicators, places):
    assert "Non-recours au RSA" not in client.get(_url()).content.decode()
    client.force_login(UserFactory(association=True, territory=places["44"]))
    assert "Non-recours au RSA" not in client.get(_url()).content.decode()


def test_the_ddets_sees_restricted_indicators(client, indicators, places):
    client.force_login(UserFactory(ddets=True, territory=places["44"]))
    html = client.get(_url()).content.decode()
    assert "Non-recours au RSA" in html
    assert "diffusion restreinte" in html


# --- Peers ----------------------------------------------------------------------------------------------


def test_peers_are_the_closest_profiles_of_the_same_level(client, indicators):
    peers = client.get(_url()).context["diagnostic"].peers
    assert [indicator.code for indicator, _period in peers.basis] == ["TP60", "MED"]  # not the count
    assert [period for _indicator, period in peers.basis] == [2021, 2021]
    assert len(peers.items) == 5
    assert "44" not in [peer.code for peer in peers.items]
    distances = [peer.distance for peer in peers.items]
    assert distances == sorted(distances)
    # Ille-et-Vilaine (10,8 %, 22 900 €) is the closest to Loire-Atlantique (11,0 %, 23 100 €).
    assert peers.items[0].code == "35"
    assert peers.compared == 6  # the six other départements


def test_peers_follow_the_standardised_euclidean_distance():
    """Three territories on two indicators; z-scores over the level, distance = RMS of z differences."""
    region = RegionFactory(code="11")
    a, b, c, d = (DepartementFactory(code=code, parent=region) for code in ("01", "02", "03", "04"))
    rate = IndicatorFactory(code="A", order=1)
    amount = IndicatorFactory(code="B", order=2, kind=ValueKind.AMOUNT)
    for territory, x, y in ((a, 10, 100), (b, 12, 100), (c, 10, 300), (d, 20, 200)):
        ObservationFactory(indicator=rate, territory=territory, period=2021, value=D(x))
        ObservationFactory(indicator=amount, territory=territory, period=2021, value=D(y))
    own = queries.series([rate.pk, amount.pk], [a.pk], national=False)
    result = queries.peers(a, [rate, amount], {pk: own.get((pk, a.pk), []) for pk in (rate.pk, amount.pk)})
    # rate: mean 13, sd sqrt(((9+1+9+49)/4)) = sqrt(17); amount: mean 175, sd sqrt((5625*2+15625+625)/4)
    rate_sd, amount_sd = 17**0.5, ((5625 * 2 + 15625 + 625) / 4) ** 0.5
    expected_b = ((2 / rate_sd) ** 2 / 2) ** 0.5
    expected_c = ((200 / amount_sd) ** 2 / 2) ** 0.5
    distances = {peer.code: peer.distance for peer in result.items}
    assert distances["02"] == pytest.approx(expected_b)
    assert distances["03"] == pytest.approx(expected_c)
    assert [peer.code for peer in result.items][0] == "02"


def test_the_page_documents_the_peer_method(client, indicators):
    html = client.get(_url()).content.decode()
    assert "distance euclidienne standardisée" in html
    assert "/observation/diagnostic/departement/35/" in html


# --- Contracts ------------------------------------------------------------------------------------------


@pytest.fixture
def contracts(places):
    axis = AxisFactory(number=1)
    signed = build_contract(places["44"], actions=[action_data(axis, title="Petits-déjeuners à l'école")])
    draft = build_contract(
        places["85"], actions=[action_data(axis, title="Maison des parents")], signed=False
    )
    return {"signed": signed, "draft": draft}


def test_the_signed_contract_and_its_actions_are_shown_to_everyone(client, indicators, contracts):
    html = client.get(_url()).content.decode()
    assert contracts["signed"].get_absolute_url() in html
    assert "Petits-déjeuners à l&#x27;école" in html
    assert contracts["signed"].status == ContractStatus.SIGNED


def test_a_draft_contract_is_hidden_from_the_public_and_from_another_departement(
    client, indicators, contracts, places
):
    assert "Maison des parents" not in client.get(_url(code="85")).content.decode()
    client.force_login(UserFactory(departement_council=True, territory=places["44"]))
    assert "Maison des parents" not in client.get(_url(code="85")).content.decode()


def test_a_draft_contract_is_shown_to_its_parties(client, indicators, contracts, places):
    client.force_login(UserFactory(departement_council=True, territory=places["85"]))
    html = client.get(_url(code="85")).content.decode()
    assert "Maison des parents" in html
    assert contracts["draft"].get_absolute_url() in html


def test_a_region_lists_the_contracts_of_its_territories(client, indicators, contracts):
    response = client.get(_url("region", "52"))
    assert [contract.pk for contract in response.context["diagnostic"].contracts] == [contracts["signed"].pk]


# --- Map ------------------------------------------------------------------------------------------------


def test_the_map_highlights_the_territory_and_links_every_departement(client, indicators):
    diagnostic = client.get(_url()).context["diagnostic"]
    assert diagnostic.map.indicator.code == "TP60" and diagnostic.map.period == 2021
    svg = str(diagnostic.map.choropleth.svg)
    for code in ("44", "85", "49", "29", "35", "56", "22"):
        assert f'href="/observation/diagnostic/departement/{code}/"' in svg


def test_a_region_map_highlights_its_departements(client, indicators):
    response = client.get(_url("region", "53"))
    assert "Les départements de la région sont entourés" in response.content.decode()


# --- PDF ------------------------------------------------------------------------------------------------


def test_the_pdf_is_a_pdf_named_after_the_territory(client, indicators, contracts):
    response = client.get(_url(suffix=".pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "diagnostic-departement-44-" in response["Content-Disposition"]


def test_the_pdf_html_has_title_sources_tables_svg_and_demo_mentions(indicators):
    metropole = Territory.objects.get(level=Level.EPCI, code="244400404")
    html = diagnostic_html(build_diagnostic(AnonymousUser(), metropole))
    assert "<h1>Diagnostic territorial – Nantes Métropole</h1>" in html
    assert "donnée fictive" in html
    assert "INSEE – Filosofi" in html
    assert "<svg" in html and "<table" in html
    assert "distance euclidienne standardisée" in html


def test_the_pdf_of_a_restricted_viewer_differs_only_by_what_they_may_see(client, indicators, places):
    client.force_login(UserFactory(ddets=True, territory=places["44"]))
    assert client.get(_url("region", "52", ".pdf")).content.startswith(b"%PDF")


def test_the_pdf_of_another_level_is_404(client, indicators):
    assert client.get(_url("commune", "44109", ".pdf")).status_code == 404


# --- Query counts ---------------------------------------------------------------------------------------


def test_the_diagnostic_runs_the_same_queries_for_few_or_all_departements(
    client, django_assert_num_queries, settings
):
    settings.PACTE_PAGE_CACHE_SECONDS = 0  # the rendering is counted, every time: no kept page
    rate = IndicatorFactory(code="TP60", order=1)
    median = IndicatorFactory(code="MED", order=2, kind=ValueKind.AMOUNT, unit="€", decimals=0)
    departements = france(6)
    for indicator in (rate, median):
        values(indicator, departements, periods=(2019, 2020, 2021))
    build_contract(departements[0], actions=[action_data(AxisFactory(number=1))])
    url = _url(code=departements[0].code)
    small = count_queries(client, url)
    assert small <= 10
    response = client.get(url)
    assert len(response.context["diagnostic"].peers.items) == 5
    everything = france(101)
    for indicator in (rate, median):
        values(indicator, everything, periods=(2019, 2020, 2021))
    with django_assert_num_queries(small):
        response = client.get(url)
    assert response.context["diagnostic"].peers.compared == 100
    assert Observation.objects.count() == 2 * 101 * 3


# --- National values of metropolitan France (ERFS) --------------------------------------------------------


@pytest.fixture
def erfs():
    return erfs_indicator()


def test_a_metropolitan_departement_is_compared_with_metropolitan_france_by_name(client, erfs):
    response = client.get(_url())
    row = response.context["diagnostic"].rows[0]
    assert row.france == "14,5\u202f% (France métropolitaine)"
    assert "France métropolitaine" in str(row.chart)
    html = response.content.decode()
    assert (
        "champ des valeurs territoriales : Filosofi : France métropolitaine, Martinique et La Réunion" in html
    )


def test_an_overseas_departement_is_not_compared_with_the_erfs(client, erfs):
    response = client.get(_url(code="974"))
    row = response.context["diagnostic"].rows[0]
    assert row.value == "36,1\u202f% (2021)"
    assert row.france == "non comparable : la valeur nationale ne porte que sur la France métropolitaine"
    assert "France" not in str(row.chart)


def test_an_overseas_region_is_not_compared_with_the_erfs_either(client, erfs):
    ObservationFactory(indicator=erfs, territory=Territory.objects.get(code="04"), value=D("36.1"))
    row = client.get(_url("region", "04")).context["diagnostic"].rows[0]
    assert row.france.startswith("non comparable")


def test_a_national_value_of_unsaid_field_is_still_named_france(client, indicators):
    row = {row.indicator.code: row for row in client.get(_url()).context["diagnostic"].rows}["TP60"]
    assert row.france == "14,5\u202f%" and "France métropolitaine" not in str(row.chart)
