from decimal import Decimal

import pytest

from pacte.programme.models import Target
from tests.accounts.factories import UserFactory
from tests.helpers import bearer
from tests.programme.factories import AxisFactory, MeasureFactory, MilestoneFactory, TargetFactory
from tests.territories.factories import RegionFactory


@pytest.fixture
def target():
    measure = MeasureFactory(axis=AxisFactory(number=3), code="a3-n1", title="100 % d'accès aux droits")
    MeasureFactory(axis=AxisFactory(number=4), code="a4-c1", local_contract=True)
    MilestoneFactory(code="evaluation", title="Évaluation à mi-parcours")
    return TargetFactory(
        measure=measure,
        code="tznr",
        label="Territoires zéro non-recours",
        unit="territoires",
        target_value=39,
    )


def test_axes_are_listed_with_their_measures(client, target):
    body = client.get("/api/v1/axes/").json()
    assert body["count"] == 2
    assert body["items"][0]["measures"][0]["code"] == "a3-n1"


def test_measures_are_listed_with_their_targets_and_can_be_filtered(client, target):
    body = client.get("/api/v1/measures/", {"axis": 3}).json()
    assert body["count"] == 1
    assert body["items"][0]["targets"][0]["target_value"] == 39
    assert client.get("/api/v1/measures/", {"kind": "contrat_local"}).json()["items"][0]["code"] == "a4-c1"


def test_a_measure_is_read_by_code_and_an_unknown_one_is_404(client, target):
    assert client.get("/api/v1/measures/a3-n1").json()["axis"] == 3
    response = client.get("/api/v1/measures/inconnue")
    assert response.status_code == 404
    assert "Mesure introuvable" in response.json()["detail"]


def test_the_programme_and_the_milestones_are_public(client, target):
    assert client.get("/api/v1/programme").json()["budget_eur"] == 20_000_000_000
    assert client.get("/api/v1/milestones/").json()["items"][0]["code"] == "evaluation"


def test_a_bad_measure_kind_is_refused_naming_the_field(client, target):
    response = client.get("/api/v1/measures/", {"kind": "autre"})
    assert response.status_code == 422
    assert response.json()["erreurs"][0]["champ"] == "kind"


def _patch(client, user, target="tznr", **payload):
    return client.patch(
        f"/api/v1/targets/{target}", data=payload, content_type="application/json", **bearer(user)
    )


def test_national_steering_corrects_a_target_with_a_token(client, target):
    response = _patch(client, UserFactory(national=True), lock_version=0, target_value="40", notes="corrigé")
    assert response.status_code == 200
    assert response.json()["lock_version"] == 1
    target.refresh_from_db()
    assert target.target_value == Decimal("40")
    assert target.notes == "corrigé"
    assert target.lock_version == 1


def test_what_get_answered_can_be_sent_back_whole(client, target):
    national = UserFactory(national=True)
    read = client.get("/api/v1/targets/", {"measure": "a3-n1"}).json()["items"][0]
    assert read["lock_version"] == 0
    response = _patch(client, national, **read)
    assert response.status_code == 200, response.content
    assert {**response.json(), "lock_version": 0} == read
    corrected = {**response.json(), "target_value": 40, "notes": None}
    assert _patch(client, national, **corrected).status_code == 200
    target.refresh_from_db()
    assert (target.target_value, target.notes, target.lock_version) == (Decimal("40"), "", 2)


def test_read_only_fields_sent_back_are_ignored_and_unknown_ones_refused(client, target):
    national = UserFactory(national=True)
    response = _patch(client, national, lock_version=0, code="autre", kind="reference", scope="departement")
    assert response.status_code == 200
    target.refresh_from_db()
    assert (target.code, target.kind, target.scope) == ("tznr", "cible", "national")
    response = _patch(client, national, lock_version=1, valeur=3)
    assert response.status_code == 422
    assert response.json()["erreurs"] == [{"champ": "valeur", "message": "valeur : champ inconnu"}]


def test_a_stale_version_is_refused_with_a_conflict(client, target):
    national = UserFactory(national=True)
    assert _patch(client, national, lock_version=0, target_value="40").status_code == 200
    response = _patch(client, national, lock_version=0, target_value="41")
    assert response.status_code == 409
    assert response.json()["detail"].startswith(
        "lock_version : Ces informations ont été modifiées par quelqu’un"
    )
    assert Target.objects.get(code="tznr").target_value == Decimal("40")


def test_a_correction_without_the_version_is_refused_naming_the_field(client, target):
    response = _patch(client, UserFactory(national=True), target_value="40")
    assert response.status_code == 422
    assert response.json()["erreurs"] == [
        {"champ": "lock_version", "message": "lock_version : ce champ est obligatoire"}
    ]
    assert Target.objects.get(code="tznr").target_value == Decimal("39")


def test_a_correction_that_breaks_a_rule_is_refused_naming_the_field(client, target):
    response = _patch(client, UserFactory(national=True), lock_version=0, target_value=None)
    assert response.status_code == 422
    assert response.json()["erreurs"] == [
        {"champ": "target_value", "message": "target_value : Une cible doit avoir une valeur cible."},
        {"champ": "target_year", "message": "target_year : Année cible sans valeur cible."},
    ]
    target.refresh_from_db()
    assert (target.target_value, target.lock_version) == (Decimal("39"), 0)


def test_an_empty_label_is_refused_naming_the_field(client, target):
    for label in ("", None):
        response = _patch(client, UserFactory(national=True), lock_version=0, label=label)
        assert response.status_code == 422
        assert response.json()["erreurs"][0]["champ"] == "label"
    assert Target.objects.get(code="tznr").label == "Territoires zéro non-recours"


def test_an_unknown_target_is_a_404(client, target):
    response = _patch(client, UserFactory(national=True), target="inconnue", lock_version=0)
    assert response.status_code == 404
    assert "Cible introuvable" in response.json()["detail"]


@pytest.mark.parametrize("trait", ["commissioner", "ddets"])
def test_other_roles_cannot_change_a_target(client, target, trait):
    response = _patch(client, UserFactory(**{trait: True}), lock_version=0, target_value="1")
    assert response.status_code == 403
    assert Target.objects.get(code="tznr").target_value == Decimal("39")


def test_anonymous_visitors_cannot_change_a_target(client, target):
    response = _patch(client, None, lock_version=0, target_value="1")
    assert response.status_code == 401


def test_a_non_numeric_value_is_refused_naming_the_field(client, target):
    response = _patch(client, UserFactory(national=True), lock_version=0, target_value="beaucoup")
    assert response.status_code == 422
    assert response.json()["erreurs"][0]["champ"] == "target_value"


@pytest.mark.parametrize("visitor", ["anonymous", "in_scope", "out_of_scope"])
@pytest.mark.parametrize(
    "url", ["/api/v1/axes/", "/api/v1/measures/", "/api/v1/targets/", "/api/v1/milestones/"]
)
def test_the_referentiel_is_readable_by_every_kind_of_visitor(client, target, visitor, url):
    headers = {}
    if visitor != "anonymous":
        headers = bearer(
            UserFactory(
                commissioner=True, territory=RegionFactory(code="52" if visitor == "in_scope" else "53")
            )
        )
    response = client.get(url, **headers)
    assert response.status_code == 200
    assert response.json()["count"] >= 1
