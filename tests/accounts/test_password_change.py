"""« Mon compte » : changing one's password needs the current one, follows the validators' rules (shown above the
fields) and keeps the user signed in."""

from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from pacte.accounts.models import User
from tests.accounts.factories import UserFactory
from tests.helpers import is_login, page, text

URL = reverse("accounts:password_change")
CURRENT = "motdepasse-de-test"
NEW_PASSWORD = "Une-phrase-de-passe-solide-2026"


def _change(client, old=CURRENT, new=NEW_PASSWORD, confirmation=None):
    data = {
        "old_password": old,
        "new_password1": new,
        "new_password2": new if confirmation is None else confirmation,
    }
    return client.post(URL, data)


def test_an_anonymous_visitor_is_asked_to_sign_in(client):
    assert is_login(client.get(URL))
    assert is_login(client.post(URL, {"old_password": CURRENT}))


def test_mon_compte_links_to_the_password_change(client):
    html = page(client, reverse("accounts:profile"), UserFactory(username="alice", ddets=True))
    assert "Changer de mot de passe" in html
    assert URL in html


def test_an_account_without_password_is_not_offered_the_change(client):
    user = UserFactory(username="agent", ddets=True)
    user.set_unusable_password()
    user.save()
    html = page(client, reverse("accounts:profile"), user)
    assert URL not in html
    assert "n’a pas de mot de passe sur la plateforme" in html


def test_the_form_shows_the_rules_above_the_fields_in_french(client):
    html = page(client, URL, UserFactory(username="alice", ddets=True))
    assert "Mot de passe actuel" in html
    rules = html.index("Règles du mot de passe")
    assert rules < html.index('name="old_password"')
    for rule in (
        "Votre mot de passe doit contenir au minimum 12 caractères.",
        "Votre mot de passe ne peut pas être entièrement numérique.",
    ):
        assert rules < html.index(rule) < html.index('name="old_password"')
        assert html.count(rule) == 1  # not repeated under the field


def test_a_wrong_current_password_is_refused_with_a_french_message_naming_the_field(client):
    client.force_login(UserFactory(username="alice", ddets=True))
    response = _change(client, old="pas-le-bon")
    assert response.status_code == 200
    assert "Mot de passe actuel incorrect" in text(response)
    assert User.objects.get(username="alice").check_password(CURRENT)


def test_a_weak_new_password_gets_the_validators_french_message(client):
    client.force_login(UserFactory(username="alice", ddets=True))
    short = _change(client, new="court")
    assert short.status_code == 200
    assert "Ce mot de passe est trop court" in text(short)
    numeric = _change(client, new="123456789012345")
    assert "Ce mot de passe est entièrement numérique" in text(numeric)
    mismatch = _change(client, confirmation="autre-chose-encore-2026")
    assert "les deux saisies ne correspondent pas" in text(mismatch)
    assert User.objects.get(username="alice").check_password(CURRENT)


def test_after_the_change_the_user_stays_signed_in_with_the_new_password(client):
    user = UserFactory(username="alice", ddets=True)
    client.force_login(user)
    response = _change(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:profile")
    profile = client.get(response["Location"])
    assert profile.status_code == 200
    assert "Votre mot de passe est changé. Vous restez connecté." in text(profile)
    assert client.session[SESSION_KEY] == str(user.pk)
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert not user.check_password(CURRENT)


def test_another_session_of_the_user_is_signed_out_by_the_change(client):
    from django.test import Client

    user = UserFactory(username="alice", ddets=True)
    other = Client()
    other.force_login(user)
    client.force_login(user)
    assert _change(client).status_code == 302
    assert is_login(other.get(URL))
