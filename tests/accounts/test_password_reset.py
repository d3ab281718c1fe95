"""« Mot de passe oublié » : the request queues one mail (never sent in the request), the same page for an unknown
address, the link sets a new password once and for a limited time, the requests are throttled."""

import re
from datetime import datetime, timedelta

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from pacte.core.mail import send_pending
from pacte.core.models import OutgoingMail
from tests.accounts.factories import UserFactory
from tests.helpers import text

NEW_PASSWORD = "Une-phrase-de-passe-solide-2026"
CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/comptes/reinitialiser/[^/\s]+/[^/\s]+/)")


def _ask(client, email: str, **extra):
    return client.post(reverse("accounts:password_reset"), {"email": email}, **extra)


def _sent_mails() -> list:
    send_pending()
    return mail.outbox


def _link_path(message) -> str:
    found = CONFIRM_LINK.search(message.body)
    assert found, message.body
    return found.group(1)


def _sign_in(client, username: str, password: str) -> bool:
    client.logout()
    response = client.post(reverse("accounts:login"), {"username": username, "password": password})
    return response.status_code == 302


def _set_password(client, path: str, password: str = NEW_PASSWORD, confirmation: str | None = None):
    """Opens the link of the mail (Django moves the token into the session and redirects) and posts the form."""
    response = client.get(path)
    assert response.status_code == 302, text(response)[:500]
    form_url = response["Location"]
    data = {"new_password1": password, "new_password2": password if confirmation is None else confirmation}
    return client.post(form_url, data)


# The way in


def test_the_login_page_offers_mot_de_passe_oublie(client):
    html = text(client.get(reverse("accounts:login")))
    assert "Mot de passe oublié ?" in html
    assert reverse("accounts:password_reset") in html


def test_the_request_page_is_in_french_and_tells_the_link_lifetime(client, settings):
    settings.PASSWORD_RESET_TIMEOUT = 3600
    response = client.get(reverse("accounts:password_reset"))
    assert response.status_code == 200
    html = text(response)
    assert "Adresse électronique" in html
    assert "valable 1 heure" in html


def test_a_signed_in_visitor_may_also_ask_for_a_link(client):
    client.force_login(UserFactory(username="alice", ddets=True))
    assert client.get(reverse("accounts:password_reset")).status_code == 200


# The mail


def test_a_request_queues_exactly_one_mail_sent_by_the_worker(client, settings):
    settings.PASSWORD_RESET_TIMEOUT = 3600
    user = UserFactory(username="alice", ddets=True, email="alice@example.org")
    response = _ask(client, "Alice@Example.org")
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert OutgoingMail.objects.count() == 1
    assert mail.outbox == []  # queued, not sent in the request
    sent = _sent_mails()
    assert len(sent) == 1
    message = sent[0]
    assert message.to == ["alice@example.org"]
    assert message.subject == "Pacte des solidarités : choisir un nouveau mot de passe"
    assert "valable 1 heure" in message.body
    assert _link_path(message).startswith("/comptes/reinitialiser/")
    for personal in (user.username, user.first_name, user.last_name, user.email):
        assert personal not in message.body
        assert personal not in message.subject


def test_an_unknown_address_gets_no_mail_and_the_same_answer(client):
    UserFactory(username="alice", ddets=True, email="alice@example.org")
    known = _ask(client, "alice@example.org")
    unknown = _ask(client, "personne@example.org")
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert OutgoingMail.objects.count() == 1
    done = text(client.get(unknown["Location"]))
    assert "Si l’adresse indiquée correspond à un compte actif" in done
    assert "personne@example.org" not in done


def test_an_empty_address_is_refused_with_a_french_message_naming_the_field(client):
    response = _ask(client, "")
    assert response.status_code == 200
    assert "Adresse électronique : indiquez l’adresse de votre compte." in text(response)


def test_inactive_accounts_and_accounts_without_password_get_nothing(client):
    UserFactory(username="parti", ddets=True, email="parti@example.org", is_active=False)
    sans = UserFactory(username="sans", ddets=True, email="sans@example.org")
    sans.set_unusable_password()
    sans.save()
    assert _ask(client, "parti@example.org").status_code == 302
    assert _ask(client, "sans@example.org").status_code == 302
    assert OutgoingMail.objects.count() == 0


def test_a_malformed_address_is_refused_with_a_french_message_naming_the_field(client):
    response = _ask(client, "pas-une-adresse")
    assert response.status_code == 200
    html = text(response)
    assert "Adresse électronique : saisissez une adresse valide" in html
    assert OutgoingMail.objects.count() == 0


# The link


def test_the_link_sets_a_new_password_that_then_signs_in(client):
    UserFactory(username="alice", ddets=True, email="alice@example.org")
    _ask(client, "alice@example.org")
    path = _link_path(_sent_mails()[0])
    form_page = client.get(client.get(path)["Location"])
    html = text(form_page)
    assert "Choisir un nouveau mot de passe" in html
    assert "alice" in html  # the identifier, shown to whoever opened the link, never written in the mail
    assert html.index("Règles du mot de passe") < html.index('name="new_password1"')
    assert "au minimum 12 caractères" in html

    response = _set_password(client, path)
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_complete")
    assert "Mot de passe modifié" in text(client.get(response["Location"]))
    assert _sign_in(client, "alice", NEW_PASSWORD)
    assert not _sign_in(client, "alice", "motdepasse-de-test")


def test_a_used_link_shows_a_french_error_page(client):
    UserFactory(username="alice", ddets=True, email="alice@example.org")
    _ask(client, "alice@example.org")
    path = _link_path(_sent_mails()[0])
    assert _set_password(client, path).status_code == 302
    client.logout()
    response = client.get(path)
    assert response.status_code == 200
    html = text(response)
    assert "Lien non valable" in html
    assert "il a déjà servi, il a expiré" in html
    assert 'name="new_password1"' not in html


def test_an_expired_link_shows_a_french_error_page(client, settings):
    settings.PASSWORD_RESET_TIMEOUT = 3600
    user = UserFactory(username="alice", ddets=True, email="alice@example.org")

    class TwoHoursAgo(PasswordResetTokenGenerator):
        def _now(self):
            return datetime.now() - timedelta(hours=2)

    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = TwoHoursAgo().make_token(user)
    response = client.get(reverse("accounts:password_reset_confirm", args=[uid, token]), follow=True)
    assert response.status_code == 200
    assert "Lien non valable" in text(response)


def test_a_weak_new_password_gets_the_validators_french_message(client):
    UserFactory(username="alice", ddets=True, email="alice@example.org")
    _ask(client, "alice@example.org")
    path = _link_path(_sent_mails()[0])
    response = _set_password(client, path, "court")
    assert response.status_code == 200
    assert "Ce mot de passe est trop court" in text(response)
    mismatch = client.post(
        response.request["PATH_INFO"], {"new_password1": NEW_PASSWORD, "new_password2": "x"}
    )
    assert "les deux saisies ne correspondent pas" in text(mismatch)
    assert not _sign_in(client, "alice", "court")


# The throttle


def test_the_sixth_request_in_an_hour_for_one_address_is_refused_in_french(client):
    UserFactory(username="alice", ddets=True, email="alice@example.org")
    for number in range(5):
        response = _ask(client, "alice@example.org", REMOTE_ADDR=f"192.0.2.{number + 1}")
        assert response.status_code == 302
    refused = _ask(client, "ALICE@example.org", REMOTE_ADDR="192.0.2.99")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) <= 3600
    assert "Trop de demandes de réinitialisation en une heure" in text(refused)
    assert OutgoingMail.objects.count() == 5


def test_the_sixth_request_in_an_hour_from_one_client_is_refused(client):
    for number in range(5):
        assert _ask(client, f"personne{number}@example.org").status_code == 302
    refused = _ask(client, "encore@example.org")
    assert refused.status_code == 429
    assert "Trop de demandes de réinitialisation" in text(refused)


def test_the_limit_is_a_setting(client, settings):
    settings.PACTE_PASSWORD_RESETS_PER_HOUR = 2
    assert _ask(client, "a@example.org").status_code == 302
    assert _ask(client, "a@example.org").status_code == 302
    assert _ask(client, "a@example.org").status_code == 429
