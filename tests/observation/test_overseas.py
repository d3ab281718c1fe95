"""The overseas page (`/observation/outre-mer/`, issue 18 point 3): the measures tagged « Outre-mer », the contracts
and pacts of the overseas territories as each visitor may see them, the five DROM with their statistical scope, the
COM « non publié (hors champ INSEE) », the overseas contracts' contributions to the barometer, and a page whose
queries do not grow with the number of contracts."""

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.urls import reverse

from pacte.contracts.models import PactAction, PactSignatory
from pacte.observation import overseas
from pacte.observation.enums import OVERSEAS_REGIONS, NationalScope, is_overseas
from pacte.territories.enums import Level, Zone
from pacte.territories.models import Territory
from tests.accounts.factories import UserFactory
from tests.contracts.factories import action_data, build_contract
from tests.contracts.pact_factories import make_pact
from tests.helpers import count_queries, page
from tests.observation.factories import IndicatorFactory, ObservationFactory, indicators_of, report
from tests.programme.factories import AxisFactory, MeasureFactory, TargetFactory
from tests.territories.factories import DepartementFactory, EpciFactory, RegionFactory

URL = "/observation/outre-mer/"
DROM = (("01", "971", "Guadeloupe"), ("02", "972", "Martinique"), ("03", "973", "Guyane"))
DROM += (("04", "974", "La Réunion"), ("06", "976", "Mayotte"))


@dataclass
class Cast:
    departements: dict
    reunion_contract: object
    mayotte_draft: object
    metropolitan_contract: object
    target: object
    rhone: Territory


def _drom() -> dict:
    departements = {}
    for region_code, code, name in DROM:
        region = RegionFactory(code=region_code, name=name, zone=Zone.DROM)
        departements[name] = DepartementFactory(code=code, name=name, parent=region, zone=Zone.DROM)
    return departements


@pytest.fixture
def cast(db):
    departements = _drom()
    rhone = DepartementFactory(
        code="69", name="Rhône", parent=RegionFactory(code="84", name="Auvergne-Rhône-Alpes")
    )
    Territory.objects.create(level=Level.COM, code="975", name="Saint-Pierre-et-Miquelon", zone=Zone.COM)
    axis = AxisFactory(number=1)
    MeasureFactory(
        axis=axis,
        code="a1-n4",
        title="Lutter contre la malnutrition infantile",
        overseas=True,
        overseas_note="Petits déjeuners et MALIN en Outre-Mer, source citée.",
    )
    MeasureFactory(axis=axis, code="a1-n2", title="Maisons des parents")
    target = TargetFactory(code="accompagnes", label="Personnes accompagnées vers l'emploi", unit="personnes")
    reunion_contract = build_contract(
        departements["La Réunion"],
        actions=[action_data(axis, state="40000", local="50000", other="10000", national_target=target)],
    )
    report(reunion_contract, reunion_contract, 2024, {indicators_of(reunion_contract)[1]: "7"})
    mayotte_draft = build_contract(departements["Mayotte"], actions=[action_data(axis)], signed=False)
    metropolitan = build_contract(
        rhone, actions=[action_data(axis, state="77777", local="77777", national_target=target)]
    )
    report(metropolitan, metropolitan, 2024, {indicators_of(metropolitan)[1]: "900"})
    return Cast(departements, reunion_contract, mayotte_draft, metropolitan, target, rhone)


def test_the_five_drom_are_the_overseas_regions_of_the_enums():
    assert {scope.region_code for scope in overseas.DROM_SCOPES} == OVERSEAS_REGIONS
    assert [scope.name for scope in overseas.DROM_SCOPES] == [name for _region, _code, name in DROM]
    assert [scope.name for scope in overseas.DROM_SCOPES if scope.filosofi] == ["Martinique", "La Réunion"]


@pytest.mark.django_db
def test_the_sql_filter_keeps_what_is_overseas_says():
    departements = _drom()
    rhone = DepartementFactory(code="69", parent=RegionFactory(code="84"))
    com = Territory.objects.create(level=Level.COM, code="977", name="Saint-Barthélemy", zone=Zone.COM)
    commune_of_com = Territory.objects.create(
        level=Level.COMMUNE, code="97701", name="Saint-Barthélemy", parent=com, region=com
    )
    territories = [
        *departements.values(),
        departements["La Réunion"].region,
        EpciFactory(parent=departements["Mayotte"]),
        rhone,
        rhone.region,
        EpciFactory(parent=rhone, metropole=True),
        com,
        commune_of_com,
    ]
    kept = set(Territory.objects.filter(overseas.overseas_territory_q()).values_list("pk", flat=True))
    for territory in territories:
        assert (territory.pk in kept) == is_overseas(territory), territory


@pytest.mark.django_db
def test_an_anonymous_visitor_sees_the_public_overseas_data(client, cast):
    html = page(client, URL)
    for _region, _code, name in DROM:
        assert name in html
    assert "Lutter contre la malnutrition infantile" in html
    assert "Petits déjeuners et MALIN en Outre-Mer, source citée." in html
    assert "Maisons des parents" not in html
    assert "Financement annoncé : 50\u202fM€ par an" in html and "aefinfo.fr/depeche/695865" in html
    # The signed contract of La Réunion with its budget by funder; nothing of the draft nor of the Rhône.
    assert cast.reunion_contract.get_absolute_url() in html
    assert "160\u202f000\u202f€" in html and "200\u202f000\u202f€" in html and "40\u202f000\u202f€" in html
    assert cast.mayotte_draft.get_absolute_url() not in html
    assert cast.metropolitan_contract.get_absolute_url() not in html
    assert "77\u202f777" not in html and "311\u202f108" not in html
    # The COM is out of INSEE's scope.
    assert "Saint-Pierre-et-Miquelon" in html
    assert "non publié (hors champ INSEE)" in html


@pytest.mark.django_db
def test_the_com_line_says_non_publie_even_without_com_in_the_cog(client):
    _drom()
    html = page(client, URL)
    assert "non publié (hors champ INSEE)" in html
    assert "aucune n’est chargée" in html


@pytest.mark.django_db
def test_national_steering_sees_the_drafts_and_restricted_indicators(client, cast):
    restricted = IndicatorFactory(code="PRIVE", label="Indicateur réservé", restricted=True)
    ObservationFactory(
        indicator=restricted, territory=cast.departements["Mayotte"], period=2022, value="61.2"
    )
    national = UserFactory(national=True)
    html = page(client, URL, national)
    assert cast.mayotte_draft.get_absolute_url() in html
    assert cast.reunion_contract.get_absolute_url() in html
    assert "Indicateur réservé" in html and "61,2" in html
    client.logout()
    anonymous = page(client, URL)
    assert "Indicateur réservé" not in anonymous


@pytest.mark.django_db
def test_the_ddets_of_mayotte_sees_its_draft_and_the_ddets_of_the_rhone_does_not(client, cast):
    mayotte = UserFactory(ddets=True, territory=cast.departements["Mayotte"])
    rhone = UserFactory(ddets=True, territory=cast.rhone)
    assert cast.mayotte_draft.get_absolute_url() in page(client, URL, mayotte)
    html = page(client, URL, rhone)
    assert cast.mayotte_draft.get_absolute_url() not in html
    assert cast.reunion_contract.get_absolute_url() in html
    assert cast.metropolitan_contract.get_absolute_url() not in html  # metropolitan, even for its own DDETS


@pytest.mark.django_db
def test_drom_values_carry_their_year_and_are_never_set_beside_metropolitan_france(client, cast):
    rate = IndicatorFactory(
        code="TP60",
        label="Taux de pauvreté monétaire",
        territorial_scope="Filosofi : France métropolitaine, Martinique et La Réunion",
    )
    ObservationFactory(indicator=rate, territory=cast.departements["Martinique"], period=2021, value="27.3")
    ObservationFactory(indicator=rate, territory=cast.departements["Martinique"], period=2019, value="29.1")
    ObservationFactory(indicator=rate, territory=cast.rhone, period=2021, value="13.8")
    ObservationFactory(
        indicator=rate, national=True, period=2021, value="14.5", scope=NationalScope.METROPOLITAN
    )
    html = page(client, URL)
    assert "27,3\u202f% (2021)" in html
    assert "29,1" not in html  # the latest value only
    assert "13,8" not in html and "14,5" not in html  # nothing metropolitan beside the DROM
    assert "pas de valeur" in html  # Guadeloupe, Guyane, Mayotte, La Réunion
    assert "Filosofi : France métropolitaine, Martinique et La Réunion" in html
    # The published rates at the national threshold, with their sources; Mayotte measured apart.
    assert "77\u202f% (2018)" in html and "53\u202f% (2017)" in html
    assert "insee.fr/fr/statistiques/4622454" in html
    assert "Mesurée autrement" in html


@pytest.mark.django_db
def test_a_demo_value_is_labelled(client, cast):
    rate = IndicatorFactory(code="TP60")
    ObservationFactory(indicator=rate, territory=cast.departements["Guyane"], value="40.2", demo=True)
    html = page(client, URL)
    assert "donnée fictive" in html


@pytest.mark.django_db
def test_the_barometer_section_sums_the_overseas_contracts_only(client, cast):
    data = overseas.build_overseas(UserFactory(national=True))
    assert data.contracts_in_force == 1
    (row,) = data.contribution_rows
    assert row.target == cast.target
    assert row.territories == ["La Réunion"]
    assert row.figures.realised == Decimal("7")  # the Rhône's 900 are not overseas
    assert row.figures.report_year == 2024
    html = page(client, URL)
    assert reverse("observation:barometer_target", args=["accompagnes"]) in html
    assert "7 personnes (2024)" in html
    assert "Aucune cible nationale chiffrée des mesures Outre-mer" in html


@pytest.mark.django_db
def test_a_pact_shows_its_co_funders_to_all_and_the_state_part_to_its_parties(client, cast):
    pact = make_pact(cast.departements["La Réunion"], signed=True, title="Pacte local de La Réunion")
    PactSignatory.objects.create(pact=pact, rank=1, name="CAF de La Réunion", amount=Decimal("12345"))
    PactAction.objects.create(
        pact=pact,
        priority=pact.priorities.get(),
        number=1,
        title="Aller-vers",
        description="Permanences",
        carrier="CCAS",
        year=2024,
        state_amount=Decimal("54321"),
    )
    make_pact(cast.rhone, signed=True, title="Pacte local du Rhône")
    html = page(client, URL)
    assert "Pacte local de La Réunion" in html and "Pacte local du Rhône" not in html
    assert "12\u202f345" in html
    assert "54\u202f321" not in html and "réservé aux parties du pacte" in html
    party = UserFactory(ddets=True, territory=cast.departements["La Réunion"])
    assert "54\u202f321" in page(client, URL, party)


@pytest.mark.django_db
def test_the_rights_section_cites_its_sources(client, cast):
    html = page(client, URL)
    assert "Caisse de sécurité sociale de Mayotte" in html
    assert "1er janvier 2024" in html and "complementaire-sante-solidaire.gouv.fr/node/185" in html
    assert "317,86" in html
    assert "Saint-Pierre-et-Miquelon, Saint-Barthélemy, Saint-Martin" in html


@pytest.mark.django_db
def test_the_queries_do_not_grow_with_the_contracts(client, cast):
    # One of each kind of row first: an empty list is read without a query.
    make_pact(cast.departements["La Réunion"], signed=True)
    ObservationFactory(indicator=IndicatorFactory(code="TP60"), territory=cast.departements["Martinique"])
    national = UserFactory(national=True)
    before = count_queries(client, URL, national)
    axis = AxisFactory(number=1)
    guadeloupe = build_contract(
        cast.departements["Guadeloupe"], actions=[action_data(axis, national_target=cast.target)]
    )
    report(guadeloupe, guadeloupe, 2024, {indicators_of(guadeloupe)[1]: "3"})
    build_contract(cast.departements["Guyane"], actions=[action_data(axis)], signed=False)
    make_pact(cast.departements["Mayotte"], signed=True)
    make_pact(cast.departements["Martinique"], signed=True)
    IndicatorFactory(code="AUTRE")
    assert count_queries(client, URL, national) == before
    client.logout()
    assert count_queries(client, URL) <= before


@pytest.mark.django_db
def test_the_page_is_linked_from_the_referentiel(client, cast):
    assert URL in page(client, reverse("programme:index"))
    assert reverse("observation:overseas") == URL
