from django.urls import reverse

from pacte.accounts.models import ApiToken, Organisation
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.helpers import is_login, page


def _edit_data(organisation, **changes):
    data = {
        "name": organisation.name,
        "siren": organisation.siren,
        "rna": organisation.rna,
        "email": organisation.email,
        "website": organisation.website,
        "lock_version": organisation.lock_version,
    }
    data.update(changes)
    return data


# Login and throttling


def test_the_login_page_signs_a_user_in(client):
    UserFactory(username="alice", ddets=True)
    response = client.post(reverse("accounts:login"), {"username": "alice", "password": "motdepasse-de-test"})
    assert response.status_code == 302
    assert response.url == reverse("workspace:home")


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


def test_ddets_lists_the_organisations_of_its_departement(client, vendee, association, ddets):
    OrganisationFactory(name="Association vendéenne", territory=vendee)
    content = page(client, reverse("accounts:organisations"), ddets)
    assert "Entraide Ligérienne" in content
    assert "Association vendéenne" not in content


def test_ddets_of_another_departement_does_not_list_them(client, association, other_ddets):
    assert "Entraide Ligérienne" not in page(client, reverse("accounts:organisations"), other_ddets)


def test_anonymous_visitors_are_sent_to_the_login_page_for_organisations(client, association):
    for url in (
        reverse("accounts:organisations"),
        association.get_absolute_url(),
        reverse("accounts:organisation_edit", args=[association.pk]),
    ):
        assert is_login(client.get(url))


def test_a_role_less_user_cannot_list_organisations(client, association):
    client.force_login(UserFactory())
    assert client.get(reverse("accounts:organisations")).status_code == 403


def test_ddets_sees_an_organisation_of_its_departement_with_its_members(
    client, loire_atlantique, association, ddets
):
    UserFactory(association=True, organisation=association, territory=loire_atlantique, first_name="Léa")
    content = page(client, association.get_absolute_url(), ddets)
    assert "Léa" in content
    assert "Modifier" in content


def test_ddets_of_another_departement_cannot_see_the_organisation(client, association, other_ddets):
    page(client, association.get_absolute_url(), other_ddets, status=403)


def test_a_member_sees_its_own_organisation_but_cannot_edit_it(client, loire_atlantique, association):
    member = UserFactory(association=True, organisation=association, territory=loire_atlantique)
    client.force_login(member)
    response = client.get(association.get_absolute_url())
    assert response.status_code == 200
    assert "Modifier" not in response.content.decode()
    assert client.get(reverse("accounts:organisation_edit", args=[association.pk])).status_code == 403


def test_ddets_edits_an_organisation_of_its_departement(client, association, ddets):
    client.force_login(ddets)
    url = reverse("accounts:organisation_edit", args=[association.pk])
    response = client.post(
        url, _edit_data(association, email="contact@entraide.example", siren="123 456 789")
    )
    assert response.status_code == 302
    association.refresh_from_db()
    assert association.email == "contact@entraide.example"
    assert association.siren == "123456789"
    assert association.lock_version == 1


def test_the_edit_form_carries_the_version_it_was_opened_with(client, association, ddets):
    association.lock_version = 7
    association.save()
    content = page(client, reverse("accounts:organisation_edit", args=[association.pk]), ddets)
    assert 'name="lock_version" value="7"' in content


def test_ddets_of_another_departement_cannot_edit_it(client, association, other_ddets):
    client.force_login(other_ddets)
    url = reverse("accounts:organisation_edit", args=[association.pk])
    assert client.post(url, _edit_data(association, email="pirate@example.org")).status_code == 403
    association.refresh_from_db()
    assert association.email != "pirate@example.org"


def test_a_bad_siren_is_refused_with_a_message_naming_the_field(client, association, ddets):
    client.force_login(ddets)
    url = reverse("accounts:organisation_edit", args=[association.pk])
    response = client.post(url, _edit_data(association, siren="12AB"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Le SIREN compte 9 chiffres." in content
    assert 'id="id_siren-desc-error"' in content


def test_the_second_of_two_concurrent_edits_is_refused_and_the_first_kept(
    client, association, ddets, commissioner
):
    url = reverse("accounts:organisation_edit", args=[association.pk])
    stale = _edit_data(association)
    client.force_login(ddets)
    assert client.post(url, {**stale, "email": "premier@example.org"}).status_code == 302
    client.force_login(commissioner)
    response = client.post(url, {**stale, "email": "second@example.org"})
    assert response.status_code == 200
    assert "modifiées par quelqu’un d’autre" in response.content.decode()
    assert Organisation.objects.get(pk=association.pk).email == "premier@example.org"


def test_a_name_another_organisation_of_the_same_kind_bears_is_refused_on_its_field(
    client, association, ddets
):
    OrganisationFactory(name="Secours ligérien", kind="association", territory=association.territory)
    client.force_login(ddets)
    response = client.post(
        reverse("accounts:organisation_edit", args=[association.pk]),
        _edit_data(association, name="Secours ligérien"),
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Une organisation de ce type porte déjà ce nom." in content
    assert 'id="id_name-desc-error"' in content
    assert Organisation.objects.get(pk=association.pk).name == "Entraide Ligérienne"


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
