"""API of the observation: indicators and their values per territory and year, public ones for everyone,
the others for the Pacte's steering only; French 422 messages for bad parameters."""

from decimal import Decimal

import pytest

from pacte.accounts.models import ApiToken
from tests.accounts.factories import UserFactory
from tests.observation.factories import IndicatorFactory, ObservationFactory
from tests.programme.factories import TargetFactory
from tests.territories.factories import CommuneFactory, DepartementFactory, EpciFactory, RegionFactory


@pytest.fixture
def data():
    pdl = RegionFactory(code="52", name="Pays de la Loire")
    grand_est = RegionFactory(code="44", name="Grand Est")
    loire_atlantique = DepartementFactory(code="44", name="Loire-Atlantique", parent=pdl)
    haute_marne = DepartementFactory(code="52", name="Haute-Marne", parent=grand_est)
    metropole = EpciFactory(
        code="244400404", name="Nantes Métropole", parent=loire_atlantique, metropole=True
    )
    nantes = CommuneFactory(code="44109", name="Nantes", parent=loire_atlantique)
    rate = IndicatorFactory(
        code="TP60", label="Taux de pauvreté", order=1, national_target=TargetFactory(code="cible-pauvrete")
    )
    ObservationFactory(indicator=rate, national=True, period=2020, value=Decimal("14.6"))
    ObservationFactory(indicator=rate, national=True, period=2021, value=Decimal("14.5"))
    ObservationFactory(indicator=rate, territory=loire_atlantique, period=2020, value=Decimal("11.2"))
    ObservationFactory(indicator=rate, territory=loire_atlantique, period=2021, value=Decimal("11.0"))
    ObservationFactory(indicator=rate, territory=haute_marne, period=2021, secret=True)
    ObservationFactory(indicator=rate, territory=pdl, period=2021, value=Decimal("11.3"))
    ObservationFactory(indicator=rate, territory=metropole, period=2021, value=Decimal("14.2"), demo=True)
    ObservationFactory(indicator=rate, territory=nantes, period=2021, value=Decimal("17.9"))
    restricted = IndicatorFactory(code="NR_RSA", label="Non-recours au RSA", order=2, restricted=True)
    ObservationFactory(indicator=restricted, national=True, period=2022, value=Decimal("34"))
    ObservationFactory(indicator=restricted, territory=loire_atlantique, period=2022, value=Decimal("31"))
    return {"44": loire_atlantique, "pdl": pdl}


def _bearer(user) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user, 'test')[1]}"} if user else {}


def get(client, url, user=None, **params):
    return client.get(url, params, **_bearer(user))


def _codes(response) -> list[str]:
    return [item["code"] for item in response.json()["items"]]


def _fields(response) -> dict[str, str]:
    return {error["champ"]: error["message"] for error in response.json()["erreurs"]}


@pytest.fixture
def steering(data):
    return UserFactory(ddets=True, territory=data["44"])


@pytest.fixture
def association(data):
    return UserFactory(association=True, territory=data["44"])


# --- Indicators -----------------------------------------------------------------------------------------


def test_anonymous_visitors_list_public_indicators(client, data):
    response = get(client, "/api/v1/indicators/")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and _codes(response) == ["TP60"]
    item = body["items"][0]
    assert item["national_target"] == "cible-pauvrete"
    assert item["url"] == "/observation/indicateurs/TP60/"
    assert item["is_public"] is True


def test_a_steering_token_lists_restricted_indicators_too(client, data, steering):
    assert _codes(get(client, "/api/v1/indicators/", steering)) == ["TP60", "NR_RSA"]


def test_an_association_token_does_not_list_restricted_indicators(client, data, association):
    assert _codes(get(client, "/api/v1/indicators/", association)) == ["TP60"]


def test_an_invalid_token_is_refused(client, data):
    response = client.get("/api/v1/indicators/", HTTP_AUTHORIZATION="Bearer pacte_faux")
    assert response.status_code == 401


def test_an_indicator_gives_its_provenance_and_available_years_by_level(client, data):
    response = get(client, "/api/v1/indicators/TP60")
    assert response.status_code == 200
    body = response.json()
    assert body["source"] == "INSEE – Filosofi" and body["vintage"] == "Filosofi 2021"
    assert body["last_update"]
    assert body["availability"] == [
        {"level": "france", "periods": [2021, 2020]},
        {"level": "departement", "periods": [2021, 2020]},
        {"level": "region", "periods": [2021]},
        {"level": "metropole", "periods": [2021]},
        {"level": "epci", "periods": [2021]},
        {"level": "commune", "periods": [2021]},
    ]


def test_a_restricted_indicator_is_404_unless_steering(client, data, steering, association):
    assert get(client, "/api/v1/indicators/NR_RSA").status_code == 404
    assert get(client, "/api/v1/indicators/NR_RSA", association).status_code == 404
    assert get(client, "/api/v1/indicators/NR_RSA", steering).status_code == 200


def test_an_unknown_indicator_is_404_in_french(client, data):
    response = get(client, "/api/v1/indicators/INCONNU")
    assert response.status_code == 404
    assert response.json() == {"detail": "Indicateur introuvable : INCONNU."}


# --- Observations ---------------------------------------------------------------------------------------


def test_values_of_departements_for_a_year(client, data):
    response = get(client, "/api/v1/observations/", indicator="TP60", level="departement", period=2021)
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    first, second = body["items"]
    assert first["territory"] == {"level": "departement", "code": "44", "name": "Loire-Atlantique"}
    assert (first["indicator"], first["level"], first["period"], first["value"]) == (
        "TP60",
        "departement",
        2021,
        11.0,
    )
    assert (first["status"], first["is_demo"]) == ("disponible", False)
    assert (second["territory"]["code"], second["value"], second["status"]) == ("52", None, "secret")


def test_values_of_france_have_no_territory(client, data):
    body = get(client, "/api/v1/observations/", indicator="TP60", level="france").json()
    assert [(item["level"], item["territory"], item["period"]) for item in body["items"]] == [
        ("france", None, 2020),
        ("france", None, 2021),
    ]


def test_values_of_one_territory_and_of_metropoles(client, data):
    body = get(client, "/api/v1/observations/", indicator="TP60", level="departement", territory="44").json()
    assert [item["period"] for item in body["items"]] == [2020, 2021]
    body = get(client, "/api/v1/observations/", indicator="TP60", level="region", territory="52").json()
    assert [item["value"] for item in body["items"]] == [11.3]
    body = get(client, "/api/v1/observations/", indicator="TP60", level="metropole").json()
    assert [(item["territory"]["name"], item["level"], item["is_demo"]) for item in body["items"]] == [
        ("Nantes Métropole", "epci", True)
    ]


def test_all_values_of_an_indicator_are_paginated(client, data):
    body = get(client, "/api/v1/observations/", indicator="TP60", page_size=3, page=2).json()
    assert (body["count"], body["pages"], body["page"], len(body["items"])) == (8, 3, 2, 3)


def test_restricted_values_are_read_by_steering_only(client, data, steering, association):
    assert get(client, "/api/v1/observations/", indicator="NR_RSA").status_code == 404
    assert get(client, "/api/v1/observations/", association, indicator="NR_RSA").status_code == 404
    response = get(client, "/api/v1/observations/", steering, indicator="NR_RSA", level="departement")
    assert response.status_code == 200 and response.json()["items"][0]["value"] == 31.0


def test_the_browser_session_of_a_steering_user_reads_restricted_values(client, data, steering):
    client.force_login(steering)
    assert client.get("/api/v1/observations/", {"indicator": "NR_RSA"}).status_code == 200


def test_an_unknown_level_is_422_in_french(client, data):
    response = get(client, "/api/v1/observations/", indicator="TP60", level="canton")
    assert response.status_code == 422
    assert response.json()["detail"] == "Requête invalide."
    assert _fields(response)["level"].startswith("level : valeur non reconnue ; valeurs possibles :")


def test_a_period_that_is_not_a_year_is_422_in_french(client, data):
    response = get(client, "/api/v1/observations/", indicator="TP60", period="deux-mille")
    assert response.status_code == 422
    assert _fields(response) == {"period": "period : doit être un nombre entier"}
    response = get(client, "/api/v1/observations/", indicator="TP60", period=12)
    assert _fields(response) == {"period": "period : doit être supérieur ou égal à 1900"}


def test_the_indicator_is_required(client, data):
    response = get(client, "/api/v1/observations/", level="departement")
    assert response.status_code == 422
    assert _fields(response) == {"indicator": "indicator : ce champ est obligatoire"}


def test_a_territory_needs_its_level(client, data):
    response = get(client, "/api/v1/observations/", indicator="TP60", territory="44")
    assert response.status_code == 422
    assert _fields(response)["level"].startswith("level : obligatoire avec territory")
    response = get(client, "/api/v1/observations/", indicator="TP60", level="france", territory="44")
    assert _fields(response)["territory"].startswith("territory : sans objet avec level=france")


def test_an_unknown_indicator_or_territory_is_404(client, data):
    response = get(client, "/api/v1/observations/", indicator="INCONNU")
    assert response.status_code == 404
    response = get(client, "/api/v1/observations/", indicator="TP60", level="departement", territory="99")
    assert response.status_code == 404
    assert "aucun territoire de niveau « departement » et de code « 99 »" in response.json()["detail"]


def test_the_observation_list_runs_a_fixed_number_of_queries(client, data, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):  # indicator, count, page
        assert get(client, "/api/v1/observations/", indicator="TP60").status_code == 200
