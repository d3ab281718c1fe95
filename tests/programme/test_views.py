import datetime
from decimal import Decimal

import pytest

from pacte.programme.enums import MilestoneScope, TargetComparison, TargetKind
from tests.accounts.factories import UserFactory
from tests.programme.factories import MeasureFactory, TargetFactory
from tests.territories.factories import RegionFactory


def _visitors():
    """An anonymous visitor, a user whose scope holds the data shown, and one of the same role outside it."""
    return ["anonymous", "in_scope", "out_of_scope"]


def _log_in(client, kind):
    if kind == "anonymous":
        return
    code = "52" if kind == "in_scope" else "53"
    client.force_login(UserFactory(commissioner=True, territory=RegionFactory(code=code)))


@pytest.mark.parametrize("visitor", _visitors())
def test_the_home_page_presents_the_pacte_to_everyone(client, referentiel, visitor):
    _log_in(client, visitor)
    response = client.get("/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "Pacte des solidarités 2023-2027" in content
    assert "20\u202fMd€" in content
    assert "Assurer un maillage du territoire" in content
    assert "Installation de la Conférence permanente des solidarités" in content
    assert "Pays de la Loire" in content


def test_the_home_page_keeps_a_fixed_number_of_queries(client, referentiel, django_assert_max_num_queries):
    for number in range(20):
        MeasureFactory(axis=referentiel.axis, code=f"a1-x{number}")
    with django_assert_max_num_queries(8):
        client.get("/")


def test_the_home_page_works_before_anything_is_loaded(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "pacte load_referentiel" in response.content.decode()


@pytest.mark.parametrize("visitor", _visitors())
def test_the_referentiel_page_lists_axes_and_measures(client, referentiel, visitor):
    _log_in(client, visitor)
    content = client.get("/referentiel/").content.decode()
    assert "Axe 1" in content and "Axe 4" in content
    assert "25 mesures, 20\u202fMd€ sur 2024-2027" in content
    assert "/referentiel/mesures/a1-n2/" in content


@pytest.mark.parametrize("visitor", _visitors())
def test_a_measure_page_shows_its_targets_with_french_numbers(client, referentiel, visitor):
    _log_in(client, visitor)
    response = client.get("/referentiel/mesures/a4-n2/")
    content = response.content.decode()
    assert response.status_code == 200
    assert "120\u202f000 élèves (2022)" in content
    assert "200\u202f000 élèves (2027)" in content


@pytest.mark.parametrize("visitor", _visitors())
def test_an_axis_page_groups_its_measures_by_kind(client, referentiel, visitor):
    _log_in(client, visitor)
    content = client.get("/referentiel/axes/1/").content.decode()
    assert "Action nouvelle" in content
    assert "Assurer un maillage du territoire" in content


def test_unknown_axes_and_measures_are_404(client, referentiel):
    assert client.get("/referentiel/axes/9/").status_code == 404
    assert client.get("/referentiel/mesures/inconnue/").status_code == 404


@pytest.mark.parametrize("visitor", _visitors())
def test_the_targets_can_be_filtered_and_downloaded_as_csv_for_excel(client, referentiel, visitor):
    _log_in(client, visitor)
    page = client.get("/referentiel/cibles/", {"axe": "4"}).content.decode()
    assert "Élèves bénéficiant de la cantine" in page
    assert "Maisons des parents" not in page
    response = client.get("/referentiel/cibles/", {"axe": "4", "format": "csv"})
    body = response.content.decode("utf-8")
    assert response["Content-Type"].startswith("text/csv")
    assert body.startswith("\ufeffcode;type;axe;mesure;indicateur")
    assert (
        "cantine;Cible;4;a4-n2;Élèves bénéficiant de la cantine à 1 €;élèves;120000;2022;200000;2027" in body
    )
    assert "Maisons des parents" not in body
    assert "présentation aux acteurs, 18 septembre 2023" in body


def test_the_targets_page_says_the_nature_horizon_and_relative_reading_of_each_figure(client, referentiel):
    TargetFactory(
        code="asf",
        label="Revalorisation de l'ASF",
        kind=TargetKind.REFORM,
        unit="%",
        baseline_value=Decimal("50"),
        baseline_year=2022,
        target_value=None,
        target_year=None,
        in_force_on=datetime.date(2022, 11, 1),
        in_force_source="Décret du 27 octobre 2022",
    )
    TargetFactory(
        code="mixite",
        label="Ségrégation sociale",
        comparison=TargetComparison.CHANGE,
        baseline_year=2023,
        target_value=Decimal("-20"),
        target_year=2027,
    )
    TargetFactory(code="domiciliations", label="Domiciliations", target_year=None)
    page = client.get("/referentiel/cibles/").content.decode()
    assert "en vigueur depuis le 1er novembre 2022" in page
    assert "-20 % par rapport à 2023 (2027)" in page
    assert "(horizon non daté)" in page
    body = client.get("/referentiel/cibles/", {"format": "csv"}).content.decode("utf-8")
    assert "cible_nationale;lecture_valeur_cible;horizon;source_echeance" in body.splitlines()[0]
    assert ";Décret du 27 octobre 2022;non;;non" in body
    assert "oui;Variation (en %) par rapport à l'année de base;2027;" in body
    assert "oui;Niveau à atteindre;horizon non daté;" in body


def test_unknown_filter_values_are_ignored_rather_than_failing(client, referentiel):
    response = client.get("/referentiel/cibles/", {"axe": "x", "type": "nimporte", "perimetre": "?"})
    assert response.status_code == 200
    assert "Maisons des parents" in response.content.decode()


@pytest.mark.parametrize("visitor", _visitors())
def test_the_calendar_groups_milestones_by_scope(client, referentiel, visitor):
    _log_in(client, visitor)
    content = client.get("/referentiel/calendrier/").content.decode()
    assert MilestoneScope.NATIONAL.label in content
    assert "Conférence régionale des acteurs à Angers" in content
