"""Issue 15, finding 6: the page that shows a new API token once is never stored by a browser or a proxy
(`Cache-Control: no-store`). The calendar key's page: tests/governance/test_hardening.py."""

import re

from django.urls import reverse

from pacte.accounts.models import ApiToken
from tests.accounts.factories import UserFactory
from tests.helpers import is_login


def test_the_token_page_is_never_stored_and_shows_each_token_to_its_owner_only(client, loire_atlantique):
    owner = UserFactory(username="bob", ddets=True, territory=loire_atlantique)
    other = UserFactory(username="brice", ddets=True, territory=loire_atlantique)
    url = reverse("accounts:profile")
    assert is_login(client.get(url))
    client.force_login(owner)
    response = client.post(url, {"name": "Outil ligérien", "duration": "90"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    raw = re.search(r'<code id="new-token">([^<]+)</code>', response.content.decode()).group(1)
    assert ApiToken.objects.filter(user=owner).count() == 1
    again = client.get(url)
    assert "no-store" in again["Cache-Control"] and raw not in again.content.decode()
    client.force_login(other)
    page = client.get(url)
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert raw not in page.content.decode() and "Outil ligérien" not in page.content.decode()


def test_a_token_name_on_two_lines_is_refused_in_french(client, loire_atlantique):
    owner = UserFactory(username="bob", ddets=True, territory=loire_atlantique)
    client.force_login(owner)
    response = client.post(reverse("accounts:profile"), {"name": "Outil\nligérien", "duration": "90"})
    assert "Le champ « Nom du jeton » tient sur une seule ligne" in response.content.decode()
    assert not ApiToken.objects.exists()
