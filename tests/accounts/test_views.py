import pytest
from django.urls import reverse

from pacte.accounts.models import ApiToken, Organisation
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.territories.factories import DepartementFactory, RegionFactory


@pytest.fixture
def region():
    return RegionFactory(code="52", name="Pays de la Loire")


@pytest.fixture
def loire_atlantique(region):
    return DepartementFactory(code="44", name="Loire-Atlantique", parent=region)


@pytest.fixture
def vendee(region):
    return DepartementFactory(code="85", name="Vendée", parent=region)


@pytest.fixture
def association(loire_atlantique):
    return OrganisationFactory(name="Entraide Ligérienne", kind="association", territory=loire_atlantique)


def _edit_data(organisation, **changes):
    data = {
        "name": organisation.name,
        "siren": organisation.siren,
        "rna": organisation.rna,
        "email": organisation.email,
        "website": organisation.website,
        "version": organisation.updated_at.isoformat(),
    }
    data.update(changes)
    return data


# Login and throttling


def test_the_login_page_signs_a_user_in(client):
    UserFactory(username="alice", ddets=True)
    response = client.post(reverse("accounts:login"), {"username": "alice", "password": "motdepasse-de-test"})
    assert response.status_code == 302
    assert response.url == reverse("home")


def test_a_wrong_password_is_refused_with_a_french_message(client):
    UserFactory(username="alice", ddets=True)
    response = client.post(reverse("accounts:login"), {"username": "alice", "password": "mauvais"})
    assert response.status_code == 200
    assert "Identifiant ou mot de passe incorrect" in response.content.decode()


def test_repeated_failed_logins_are_throttled(client):
    UserFactory(username="alice", ddets=True)
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "alice", "password": "mauvais"})
    response = client.post(reverse("accounts:login"), {"username": "alice", "password": "motdepasse-de-test"})
    assert response.status_code == 429
    assert "temporairement bloquée" in response.content.decode()


def test_demo_logins_are_not_advertised_outside_demo_mode(client):
    assert "Comptes de démonstration" not in client.get(reverse("accounts:login")).content.decode()


def test_logout_needs_a_post(client):
    client.force_login(UserFactory(ddets=True))
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302


# Profile and API tokens


def test_the_profile_needs_a_signed_in_user(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_a_user_creates_a_token_whose_clear_value_is_shown_once(client):
    user = UserFactory(ddets=True)
    client.force_login(user)
    response = client.post(reverse("accounts:profile"), {"name": "Tableau de bord", "duration": "30"})
    content = response.content.decode()
    token = ApiToken.objects.get(user=user)
    assert "Copiez-le maintenant" in content
    assert token.key_hint in content
    assert ApiToken.authenticate(content.split('id="new-token">')[1].split("<")[0]) == user
    assert token.key_hash not in content


def test_a_token_without_a_name_is_refused_naming_the_field(client):
    client.force_login(UserFactory(ddets=True))
    response = client.post(reverse("accounts:profile"), {"name": "", "duration": "30"})
    content = response.content.decode()
    assert "fr-input-group--error" in content
    assert "Ce champ est obligatoire" in content
    assert not ApiToken.objects.exists()


def test_a_user_revokes_its_own_token(client):
    user = UserFactory(ddets=True)
    token, raw = ApiToken.issue(user, "script")
    client.force_login(user)
    client.post(reverse("accounts:revoke_token", args=[token.pk]))
    assert ApiToken.authenticate(raw) is None


def test_a_user_cannot_revoke_someone_elses_token(client):
    token, raw = ApiToken.issue(UserFactory(ddets=True), "script")
    client.force_login(UserFactory(ddets=True))
    assert client.post(reverse("accounts:revoke_token", args=[token.pk])).status_code == 404
    assert ApiToken.authenticate(raw) is not None


# Organisations: list, detail, edit — an in-scope user, an out-of-scope user of the same role, anonymous


def test_ddets_lists_the_organisations_of_its_departement(client, loire_atlantique, vendee, association):
    OrganisationFactory(name="Association vendéenne", territory=vendee)
    client.force_login(UserFactory(ddets=True, territory=loire_atlantique))
    content = client.get(reverse("accounts:organisations")).content.decode()
    assert "Entraide Ligérienne" in content
    assert "Association vendéenne" not in content


def test_ddets_of_another_departement_does_not_list_them(client, vendee, association):
    client.force_login(UserFactory(ddets=True, territory=vendee))
    assert "Entraide Ligérienne" not in client.get(reverse("accounts:organisations")).content.decode()


def test_anonymous_visitors_are_sent_to_the_login_page_for_organisations(client, association):
    for url in (
        reverse("accounts:organisations"),
        association.get_absolute_url(),
        reverse("accounts:organisation_edit", args=[association.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("accounts:login"))


def test_a_role_less_user_cannot_list_organisations(client, association):
    client.force_login(UserFactory())
    assert client.get(reverse("accounts:organisations")).status_code == 403


def test_ddets_sees_an_organisation_of_its_departement_with_its_members(
    client, loire_atlantique, association
):
    UserFactory(association=True, organisation=association, territory=loire_atlantique, first_name="Léa")
    client.force_login(UserFactory(ddets=True, territory=loire_atlantique))
    response = client.get(association.get_absolute_url())
    assert response.status_code == 200
    assert "Léa" in response.content.decode()
    assert "Modifier" in response.content.decode()


def test_ddets_of_another_departement_cannot_see_the_organisation(client, vendee, association):
    client.force_login(UserFactory(ddets=True, territory=vendee))
    assert client.get(association.get_absolute_url()).status_code == 403


def test_a_member_sees_its_own_organisation_but_cannot_edit_it(client, loire_atlantique, association):
    member = UserFactory(association=True, organisation=association, territory=loire_atlantique)
    client.force_login(member)
    response = client.get(association.get_absolute_url())
    assert response.status_code == 200
    assert "Modifier" not in response.content.decode()
    assert client.get(reverse("accounts:organisation_edit", args=[association.pk])).status_code == 403


def test_ddets_edits_an_organisation_of_its_departement(client, loire_atlantique, association):
    client.force_login(UserFactory(ddets=True, territory=loire_atlantique))
    url = reverse("accounts:organisation_edit", args=[association.pk])
    response = client.post(
        url, _edit_data(association, email="contact@entraide.example", siren="123 456 789")
    )
    assert response.status_code == 302
    association.refresh_from_db()
    assert association.email == "contact@entraide.example"
    assert association.siren == "123456789"


def test_ddets_of_another_departement_cannot_edit_it(client, vendee, association):
    client.force_login(UserFactory(ddets=True, territory=vendee))
    url = reverse("accounts:organisation_edit", args=[association.pk])
    assert client.post(url, _edit_data(association, email="pirate@example.org")).status_code == 403
    association.refresh_from_db()
    assert association.email != "pirate@example.org"


def test_a_bad_siren_is_refused_with_a_message_naming_the_field(client, loire_atlantique, association):
    client.force_login(UserFactory(ddets=True, territory=loire_atlantique))
    url = reverse("accounts:organisation_edit", args=[association.pk])
    response = client.post(url, _edit_data(association, siren="12AB"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Le SIREN compte 9 chiffres." in content
    assert 'id="id_siren-desc-error"' in content


def test_the_second_of_two_concurrent_edits_is_refused_and_the_first_kept(
    client, loire_atlantique, association
):
    first, second = (
        UserFactory(ddets=True, territory=loire_atlantique),
        UserFactory(commissioner=True, territory=loire_atlantique.region),
    )
    url = reverse("accounts:organisation_edit", args=[association.pk])
    stale = _edit_data(association)
    client.force_login(first)
    assert client.post(url, {**stale, "email": "premier@example.org"}).status_code == 302
    client.force_login(second)
    response = client.post(url, {**stale, "email": "second@example.org"})
    assert response.status_code == 200
    assert "modifiée par quelqu’un d’autre" in response.content.decode()
    assert Organisation.objects.get(pk=association.pk).email == "premier@example.org"


def test_behind_a_trusted_proxy_failed_logins_count_per_real_client_address(client, settings):
    settings.PACTE_TRUSTED_PROXY = True
    UserFactory(username="alice", ddets=True)
    for _ in range(5):
        client.post(
            reverse("accounts:login"),
            {"username": "alice", "password": "mauvais"},
            HTTP_X_REAL_IP="203.0.113.7",
        )
    good_password = {"username": "alice", "password": "motdepasse-de-test"}
    locked = client.post(reverse("accounts:login"), good_password, HTTP_X_REAL_IP="203.0.113.7")
    assert locked.status_code == 429
    assert (
        client.post(reverse("accounts:login"), good_password, HTTP_X_REAL_IP="198.51.100.2").status_code
        == 302
    )


def test_without_a_trusted_proxy_the_forwarded_address_is_ignored(client):
    UserFactory(username="alice", ddets=True)
    for number in range(5):
        client.post(
            reverse("accounts:login"),
            {"username": "alice", "password": "mauvais"},
            HTTP_X_REAL_IP=f"203.0.113.{number}",
        )
    response = client.post(reverse("accounts:login"), {"username": "alice", "password": "motdepasse-de-test"})
    assert response.status_code == 429


def test_a_forwarded_value_that_is_not_an_address_falls_back_to_the_connection_address(rf, settings):
    from pacte.accounts.throttling import client_ip

    settings.PACTE_TRUSTED_PROXY = True
    assert client_ip(rf.get("/", HTTP_X_REAL_IP="nimporte", REMOTE_ADDR="10.0.0.1")) == "10.0.0.1"
    assert client_ip(rf.get("/", HTTP_X_REAL_IP=" 2001:db8::1 ")) == "2001:db8::1"
    assert client_ip(None) is None
