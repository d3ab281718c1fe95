import pytest

from pacte.accounts.models import ApiToken, Organisation
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.helpers import bearer
from tests.territories.factories import DepartementFactory, RegionFactory


@pytest.fixture
def departements():
    region = RegionFactory(code="52")
    return DepartementFactory(code="44", parent=region), DepartementFactory(code="85", parent=region)


@pytest.fixture
def association(departements):
    return OrganisationFactory(name="Entraide Ligérienne", territory=departements[0])


def test_me_answers_with_the_token_owner(client, departements):
    user = UserFactory(username="alice", ddets=True, territory=departements[0])
    body = client.get("/api/v1/me", **bearer(user)).json()
    assert body["username"] == "alice"
    assert body["role"] == "ddets"
    assert body["territory"] == {"level": "departement", "code": "44", "name": body["territory"]["name"]}


def test_a_revoked_or_unknown_token_is_refused(client, departements):
    user = UserFactory(ddets=True, territory=departements[0])
    token, raw = ApiToken.issue(user, "test")
    token.revoke()
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer pacte_nimporte")
    assert response.status_code == 401
    assert "Authentification requise" in response.json()["detail"]


def test_ddets_lists_the_organisations_of_its_scope(client, departements, association):
    OrganisationFactory(name="Vendée solidaire", territory=departements[1])
    user = UserFactory(ddets=True, territory=departements[0])
    names = [item["name"] for item in client.get("/api/v1/organisations/", **bearer(user)).json()["items"]]
    assert "Entraide Ligérienne" in names
    assert "Vendée solidaire" not in names


def test_ddets_of_another_departement_does_not_see_the_organisation(client, departements, association):
    user = UserFactory(ddets=True, territory=departements[1])
    names = [item["name"] for item in client.get("/api/v1/organisations/", **bearer(user)).json()["items"]]
    assert "Entraide Ligérienne" not in names
    assert client.get(f"/api/v1/organisations/{association.pk}", **bearer(user)).status_code == 403


def test_anonymous_visitors_cannot_read_organisations(client, association):
    assert client.get("/api/v1/organisations/").status_code == 401
    assert client.get(f"/api/v1/organisations/{association.pk}").status_code == 401


def test_the_browser_session_can_read_organisations(client, departements, association):
    client.force_login(UserFactory(ddets=True, territory=departements[0]))
    assert client.get(f"/api/v1/organisations/{association.pk}").json()["name"] == "Entraide Ligérienne"


def _patch(client, organisation, user, **payload):
    return client.patch(
        f"/api/v1/organisations/{organisation.pk}",
        data=payload,
        content_type="application/json",
        **bearer(user),
    )


def test_ddets_changes_an_organisation_of_its_departement_with_a_token(client, departements, association):
    user = UserFactory(ddets=True, territory=departements[0])
    response = _patch(client, association, user, lock_version=0, email="a@b.fr")
    assert response.status_code == 200
    assert response.json()["lock_version"] == 1
    association.refresh_from_db()
    assert association.email == "a@b.fr"


def test_what_get_answered_can_be_sent_back_whole(client, departements, association):
    user = UserFactory(ddets=True, territory=departements[0])
    read = client.get(f"/api/v1/organisations/{association.pk}", **bearer(user)).json()
    assert read["lock_version"] == 0
    response = _patch(client, association, user, **read)
    assert response.status_code == 200, response.content
    assert {**response.json(), "lock_version": 0, "updated_at": read["updated_at"]} == read
    changed = {**response.json(), "website": "https://entraide.example"}
    assert _patch(client, association, user, **changed).status_code == 200
    assert Organisation.objects.get(pk=association.pk).website == "https://entraide.example"


def test_read_only_fields_sent_back_are_ignored_and_unknown_ones_refused(client, departements, association):
    user = UserFactory(national=True)
    response = _patch(client, association, user, lock_version=0, kind="ddets", is_demo=True)
    assert response.status_code == 200
    association.refresh_from_db()
    assert (association.kind, association.is_demo) == ("association", False)
    response = _patch(client, association, user, lock_version=1, mail="a@b.fr")
    assert response.status_code == 422
    assert response.json()["erreurs"] == [{"champ": "mail", "message": "mail : champ inconnu"}]


def test_ddets_of_another_departement_cannot_change_it(client, departements, association):
    user = UserFactory(ddets=True, territory=departements[1])
    response = _patch(client, association, user, lock_version=0, email="a@b.fr")
    assert response.status_code == 403
    association.refresh_from_db()
    assert association.email == ""


def test_anonymous_and_session_writes_are_refused(client, departements, association):
    assert _patch(client, association, None, lock_version=0).status_code == 401
    client.force_login(UserFactory(national=True))
    assert _patch(client, association, None, lock_version=0).status_code == 401


def test_a_stale_version_is_refused_with_a_conflict(client, departements, association):
    user = UserFactory(ddets=True, territory=departements[0])
    assert _patch(client, association, user, lock_version=0, email="premier@b.fr").status_code == 200
    response = _patch(client, association, user, lock_version=0, email="second@b.fr")
    assert response.status_code == 409
    assert response.json()["detail"].startswith(
        "lock_version : Ces informations ont été modifiées par quelqu’un"
    )
    association.refresh_from_db()
    assert association.email == "premier@b.fr"
    assert association.lock_version == 1


def test_a_change_without_the_version_is_refused_naming_the_field(client, departements, association):
    response = _patch(client, association, UserFactory(national=True), email="a@b.fr")
    assert response.status_code == 422
    assert response.json()["erreurs"] == [
        {"champ": "lock_version", "message": "lock_version : ce champ est obligatoire"}
    ]
    assert Organisation.objects.get(pk=association.pk).email == ""


def test_a_bad_siren_is_refused_naming_the_field(client, departements, association):
    user = UserFactory(national=True)
    response = _patch(client, association, user, lock_version=0, siren="12")
    assert response.status_code == 422
    assert response.json()["erreurs"][0]["champ"] == "siren"


def test_a_null_is_refused_naming_the_field(client, departements, association):
    response = _patch(client, association, UserFactory(national=True), lock_version=0, email=None)
    assert response.status_code == 422
    assert response.json()["erreurs"] == [
        {"champ": "email", "message": "email : utilisez une chaîne vide plutôt que null"}
    ]


def test_a_refusal_of_the_service_names_the_field_and_writes_nothing(client, departements, association):
    OrganisationFactory(name="Vendée solidaire", territory=departements[1])
    response = _patch(
        client, association, UserFactory(national=True), lock_version=0, name="Vendée solidaire"
    )
    assert response.status_code == 422
    assert response.json()["erreurs"] == [
        {"champ": "name", "message": "name : Une organisation de ce type porte déjà ce nom."}
    ]
    association.refresh_from_db()
    assert (association.name, association.lock_version) == ("Entraide Ligérienne", 0)


def test_me_needs_a_token_or_a_session(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert "Authentification requise" in response.json()["detail"]
