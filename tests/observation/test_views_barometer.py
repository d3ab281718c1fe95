"""Barometer pages: the list of targets, the drill-down of one target, the data to update; public version for
everyone, non-public indicators for the Pacte's steering; a fixed number of queries."""

from decimal import Decimal

import pytest
from django.urls import reverse

from pacte.observation.models import NationalFigure
from tests.accounts.factories import UserFactory
from tests.helpers import count_queries, keep_menu_count, page
from tests.observation.factories import IndicatorFactory, ObservationFactory, grow
from tests.programme.factories import TargetFactory

D = Decimal
INDEX = reverse("observation:barometer")
STALE = reverse("observation:barometer_stale")


def target_url(code: str, territory: str = "") -> str:
    url = reverse("observation:barometer_target", args=[code])
    return f"{url}?territoire={territory}" if territory else url


@pytest.fixture
def restricted(known):
    """A non-public national figure following "places": 500 places in 2025."""
    indicator = IndicatorFactory(
        code="PLACES_NP",
        label="Places ouvertes (remontée interne)",
        national_target=known.places,
        restricted=True,
        count=True,
    )
    ObservationFactory(indicator=indicator, national=True, period=2025, value=D("500"))
    return indicator


@pytest.fixture
def steering(client):
    user = UserFactory(national=True)
    client.force_login(user)
    keep_menu_count(user)
    return user


@pytest.fixture
def association(client):
    user = UserFactory(association=True)
    client.force_login(user)
    return user


# --- List of targets --------------------------------------------------------------------------------------------


def test_anonymous_visitors_see_the_public_barometer(client, known, restricted):
    content = page(client, INDEX)
    assert "Baromètre du Pacte des solidarités" in content
    assert "Nouvelles places en pensions de famille" in content
    assert "Version publique" in content
    assert "Places ouvertes (remontée interne)" not in content
    # The contracts' 2025 reports (145 places) are their contribution, never the target's status.
    assert "Contribution des contrats locaux" in content and "145 places" in content
    assert "1 contrat sur 4 a rendu son rapport 2025 (validé)" in content
    assert 'fr-badge--error">En retard</span>' not in content and "245" not in content
    assert reverse("observation:barometer_target", args=["places"]) in content
    assert "Taux de pauvreté des familles" in content
    assert "Pas de donnée" in content
    assert "0 cible nationale sur 2</strong>" in content


def test_the_steering_also_sees_non_public_indicators(client, known, restricted, steering):
    content = page(client, INDEX)
    assert "Places ouvertes (remontée interne)" in content
    assert "non publique" in content
    assert "Version de pilotage" in content
    assert "En bonne voie" in content
    assert "145 places" in content  # the contribution is shown beside


def test_an_association_sees_the_public_version_only(client, known, restricted, association):
    content = page(client, INDEX)
    assert "Places ouvertes (remontée interne)" not in content
    assert "Version publique" in content


def _export(client, fmt: str):
    response = client.get(reverse("observation:barometer_export", args=[fmt]))
    assert response.status_code == 200
    return response


def _places_row(text: str) -> list[str]:
    return next(line for line in text.splitlines() if line.startswith("places;")).split(";")


def test_the_public_barometer_downloads_as_csv_with_the_contract_reports(client, known, restricted):
    text = _export(client, "csv").content.decode("utf-8")
    assert text.startswith("\ufeffcible;libelle;axe;")
    row = dict(zip(text.splitlines()[0].lstrip("\ufeff").split(";"), _places_row(text), strict=True))
    assert (row["valeur_actuelle"], row["origine_valeur"], row["statut"]) == ("", "", "Pas de donnée")
    assert row["statistique_nationale"] == ""  # the non-public figure stays out of the public version
    assert (row["rapports_contrats"], row["contribution_contrats_annee"]) == ("145", "2025")
    assert (row["contrats_ayant_rendu_rapport"], row["contrats_en_vigueur"]) == ("1", "4")
    assert row["horizon"] == "2027" and row["portee_par_les_contrats"] == "non"
    assert row["calcul_statut"].startswith("Pas de statut : aucune valeur nationale publiée")


def test_the_steering_barometer_downloads_as_json_with_its_provenance(client, known, restricted, steering):
    data = _export(client, "json").json()
    assert (
        data["baromètre"]["version"] == "pilotage" and "Référentiel national" in data["baromètre"]["source"]
    )
    places = next(item for item in data["cibles"] if item["cible"] == "places")
    assert (places["statistique_nationale"], places["rapports_contrats"], places["statut"]) == (
        500.0,
        145.0,
        "En bonne voie",
    )
    assert data["baromètre"]["cibles_avec_valeur_publiee"] == 1 and data["baromètre"]["nombre_de_cibles"] == 2


def test_an_association_downloads_the_public_version_and_xlsx_opens(client, known, restricted, association):
    assert '"version": "publique"' in _export(client, "json").content.decode()
    assert _export(client, "xlsx").content.startswith(b"PK")
    assert client.get("/observation/barometre.pdf").status_code == 404


def published_rate(known, **fields):
    """A published national figure of the poverty rate: 17 % in 2025 (20 → 10: 30 % of the way, 50 % expected)."""
    values = {
        "target": known.rate,
        "value": D("17"),
        "unit": "%",
        "period": "année 2025",
        "year": 2025,
        "scope": "France métropolitaine",
        "source": "INSEE, Les revenus et le patrimoine des ménages",
        "published": "2026-04",
        "url": "https://www.insee.fr/fr/statistiques/exemple",
        "quote": "« Le taux de pauvreté s'établit à 17 % »",
        "reliability": "A",
    }
    return NationalFigure.objects.create(**(values | fields))


def test_statuses_are_written_not_only_coloured(client, known):
    published_rate(known)
    content = page(client, INDEX)
    assert 'fr-badge--warning">À surveiller</span>' in content
    assert 'fr-badge--info">Pas de donnée</span>' in content


def test_a_published_figure_shows_its_date_source_and_how_the_status_was_computed(client, known):
    published_rate(known)
    content = page(client, INDEX)
    assert "1 cible nationale sur 2</strong> a une valeur nationale publiée" in content
    assert 'href="https://www.insee.fr/fr/statistiques/exemple"' in content
    assert "publication : avril 2026" in content
    assert "Statut calculé sur la valeur nationale publiée (année 2025" in content
    assert "30 % du chemin de 20 en 2023 à 10 % en 2027" in content
    detail = page(client, target_url("taux"))
    assert "« Le taux de pauvreté s&#x27;établit à 17 % »" in detail or "établit à 17 %" in detail
    assert "Fiabilité : source officielle lue de première main" in detail


def test_a_published_share_of_the_objective_reads_as_such_on_the_page_and_in_the_exports(client, known):
    NationalFigure.objects.create(
        target=known.places,
        nature="part",
        value=D("50"),
        unit="% de l'objectif",
        period="30 juin 2025",
        year=2025,
        source="Direction(s), bilan à mi-parcours",
        published="2025-09",
        url="https://example.fr/bilan",
        quote="« La moitié des places promises a été créée. »",
        reliability="B",
    )
    detail = page(client, target_url("places"))
    assert (
        "50 % de l’objectif atteints (part publiée par la source, 2025 ; aucun nombre de places publié)"
        in detail
    )
    assert "50 % de l&#x27;objectif" in detail or "50 % de l'objectif" in detail
    body = _export(client, "json").json()
    row = next(item for item in body["cibles"] if item["cible"] == "places")
    assert (row["valeur_actuelle"], row["statistique_nationale"]) == (None, 50.0)
    assert (row["valeur_nationale_unite"], row["part_objectif_publiee_pct"]) == ("% de l'objectif", 50.0)
    assert row["statut"] == "En bonne voie"


def test_an_undated_target_reads_horizon_non_date(client, known):
    from pacte.programme.models import Target

    Target.objects.filter(pk=known.rate.pk).update(target_year=None)
    published_rate(known)
    assert "(horizon non daté)" in page(client, INDEX)
    assert "Pas de trajectoire : horizon non daté." in page(client, target_url("taux"))


def test_a_target_per_departement_is_scaled_to_the_region_in_the_drill_down(client, known):
    TargetFactory(
        measure=known.measure,
        code="maisons",
        label="Maisons des parents",
        unit="maisons",
        target_value=D("1"),
        scope="departement",
    )
    assert "1 par département × 4 départements" in page(client, INDEX)
    assert "Pour Région Alpha : 2 maisons (1 par département × 2 départements)" in page(
        client, target_url("maisons", "region:84")
    )


def test_demo_values_are_labelled(client, known):
    indicator = IndicatorFactory(code="T", national_target=known.rate)
    ObservationFactory(indicator=indicator, national=True, demo=True, period=2025, value=D("15"))
    content = page(client, INDEX)
    assert "donnée fictive" in content
    assert "Confiance faible" in content


# --- One target and its drill-down ------------------------------------------------------------------------------


def test_a_target_page_shows_both_sources_the_trajectory_and_the_regions(client, known, restricted, steering):
    content = page(client, target_url("places"))
    assert "<h1>Nouvelles places en pensions de famille</h1>" in content
    assert "Places ouvertes (remontée interne)" in content
    assert "utilisée pour le statut" in content
    assert "Contribution des contrats locaux, rapports 2025" in content
    assert "Contribution des contrats locaux, rapports 2024" in content
    assert "<svg" in content and "Trajectoire attendue et valeurs constatées" in content
    assert "0 en 2023" in content
    for name in ("Région Alpha", "Région Bêta", "Région Gamma"):
        assert name in content
    assert "?territoire=region:84" in content
    assert "Total France" in content


def test_the_public_target_page_uses_the_contract_reports(client, known, restricted):
    content = page(client, target_url("places"))
    assert "Places ouvertes (remontée interne)" not in content
    assert "aucun indicateur statistique public ne suit cette cible" in content
    assert 'fr-badge--error">En retard</span>' not in content and "Pas de donnée" in content


def test_a_region_lists_its_departements_and_metropoles_apart(client, known):
    content = page(client, target_url("places", "region:84"))
    assert "?territoire=departement:69" in content
    assert "?territoire=metropole:200046977" in content
    assert "(métropole)" in content
    assert "Total Région Alpha" in content
    assert reverse("contracts:detail", args=[known.lyon_contract.pk]) in content
    assert "Isère" not in content  # its contract is a draft
    assert "Bouches-du-Rhône" not in content


def test_a_departement_shows_its_contract_and_fiches_actions_and_its_metropole_apart(client, known):
    content = page(client, target_url("places", "departement:69"))
    assert reverse("contracts:detail", args=[known.rhone_contract.pk]) in content
    assert reverse("contracts:action", args=[known.rhone_contract.pk, 1]) in content
    assert "Pensions de famille" in content and "Résidences sociales" in content
    assert "Métropoles du département" in content
    assert "?territoire=metropole:200046977" in content
    assert reverse("contracts:detail", args=[known.lyon_contract.pk]) not in content
    assert "Région Alpha" in content  # breadcrumb


def test_a_metropole_shows_its_own_contract(client, known):
    content = page(client, target_url("places", "metropole:200046977"))
    assert reverse("contracts:detail", args=[known.lyon_contract.pk]) in content
    assert reverse("contracts:action", args=[known.lyon_contract.pk, 1]) in content


def test_an_unknown_target_or_territory_is_not_found(client, known):
    page(client, target_url("inconnue"), status=404)
    page(client, target_url("reference"), status=404)
    page(client, target_url("regional"), status=404)
    assert "territoire" in page(client, target_url("places", "canton:1"), status=404)
    page(client, target_url("places", "region:00"), status=404)
    page(client, target_url("places", "metropole:69"), status=404)


def test_a_target_without_baseline_says_why_it_has_no_trajectory(client, known):
    TargetFactory(code="jeunes", label="Jeunes accompagnés", unit="jeunes", measure=known.measure)
    content = page(client, target_url("jeunes"))
    assert "Pas de trajectoire : la situation de départ est inconnue." in content


# --- Data to update ---------------------------------------------------------------------------------------------


def test_anonymous_visitors_see_the_public_indicators_to_update_without_reports(client, known):
    IndicatorFactory(code="OLD", label="Indicateur ancien")
    IndicatorFactory(code="HIDDEN", label="Indicateur caché", restricted=True)
    content = page(client, STALE)
    assert "Indicateur ancien" in content
    assert "Indicateur caché" not in content
    assert "Rapports d’exécution manquants" not in content


def test_the_steering_sees_every_indicator_and_the_missing_reports(client, known, steering):
    IndicatorFactory(code="HIDDEN", label="Indicateur caché", restricted=True)
    content = page(client, STALE)
    assert "Indicateur caché" in content
    assert "Rapports d’exécution manquants" in content


def test_an_association_sees_the_public_list_only(client, known, association):
    IndicatorFactory(code="HIDDEN", label="Indicateur caché", restricted=True)
    content = page(client, STALE)
    assert "Indicateur caché" not in content
    assert "Rapports d’exécution manquants" not in content


def test_a_ddets_sees_the_missing_reports_of_its_region_only(client, known):
    client.force_login(UserFactory(ddets=True, territory=known.rhone))
    content = page(client, STALE)
    assert "Rapports d’exécution manquants" in content
    assert "(dans votre périmètre)" in content
    assert "Paris" not in content


# --- Queries ----------------------------------------------------------------------------------------------------


def test_the_pages_run_the_same_queries_for_4_or_40_contracts(client):
    target = TargetFactory(code="places", label="Nouvelles places", unit="places")
    grow(3, target, 0)
    urls = [
        INDEX,
        STALE,
        target_url("places"),
        target_url("places", "region:20"),
        target_url("places", "departement:000"),
        target_url("places", "metropole:200000000"),
    ]
    small = [count_queries(client, url) for url in urls]
    grow(27, target, 3)
    assert [count_queries(client, url) for url in urls] == small
    # The list 10, the data to update 1, a target 11, a région 12 (+ the territory), a département or a
    # métropole 15 (+ its fiches-actions).
    assert small == [10, 1, 11, 12, 15, 15]


def test_a_signed_in_reader_costs_one_more_query_only(client, known, steering):
    assert count_queries(client, INDEX) == 10 + 1


def test_a_ddets_out_of_the_target_s_territories_reads_the_same_national_barometer(client, known, restricted):
    # The barometer is national: a DDETS of another région reads it whole, with the steering's indicators.
    client.force_login(UserFactory(ddets=True, territory=known.paris))
    content = page(client, target_url("places", "region:84"))
    assert "Total Région Alpha" in content
    assert "Places ouvertes (remontée interne)" in content


def test_the_barometer_page_is_reachable_from_the_stale_list(client, known):
    assert INDEX in page(client, STALE)
    assert STALE in page(client, INDEX)


def test_dates_of_the_last_value_are_shown(client, known):
    content = page(client, target_url("places"))
    assert "20 avril 2026" in content
