"""« Mon compte » : the choice of the notifications' frequency (the view `accounts:notification_settings`). Each
user changes only their own choice; an anonymous visitor is asked to sign in; a value that is not offered is
refused with a French message naming the field."""

import re

from django.urls import reverse

from pacte.accounts.enums import NotificationFrequency
from tests.accounts.factories import UserFactory
from tests.helpers import is_login, page

URL = "/comptes/profil/notifications/"


def test_the_route_is_named():
    assert reverse("accounts:notification_settings") == URL


def test_the_profile_page_offers_the_three_frequencies_with_the_current_one_checked(client):
    user = UserFactory(notification_frequency=NotificationFrequency.DAILY)
    html = page(client, "/comptes/profil/", user)
    assert f'action="{URL}"' in html
    for label in ("À chaque événement", "Un résumé par jour", "Aucun courriel"):
        assert label in html
    assert re.search(r'<input(?=[^>]*value="quotidien")(?=[^>]*checked)[^>]*>', html)
    assert not re.search(r'<input(?=[^>]*value="immediat")(?=[^>]*checked)[^>]*>', html)


def test_a_user_changes_their_own_frequency(client):
    user = UserFactory()
    other = UserFactory()
    client.force_login(user)
    response = client.post(URL, {"notification_frequency": "aucun"}, follow=True)
    assert response.redirect_chain[-1][0].startswith("/comptes/profil/")
    assert "Courriels de notification : « Aucun courriel » enregistré." in response.content.decode()
    user.refresh_from_db()
    other.refresh_from_db()
    assert (user.notification_frequency, other.notification_frequency) == ("aucun", "immediat")


def test_a_value_not_offered_is_refused_in_french(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(URL, {"notification_frequency": "hebdomadaire"}, follow=True)
    assert "Courriels de notification : choisissez l’une des trois possibilités proposées." in (
        response.content.decode()
    )
    user.refresh_from_db()
    assert user.notification_frequency == "immediat"


def test_an_anonymous_visitor_is_asked_to_sign_in_and_a_get_changes_nothing(client):
    assert is_login(client.post(URL, {"notification_frequency": "aucun"}))
    client.force_login(UserFactory())
    assert client.get(URL).status_code == 405
