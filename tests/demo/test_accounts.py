"""The demo accounts (pacte.demo.accounts, data/accounts.yaml) and the `pacte load_demo` command."""

import pytest
from django.core.management import CommandError, call_command

from pacte.accounts.enums import Role
from pacte.accounts.models import Organisation, User
from pacte.demo.accounts import load_accounts_demo
from pacte.demo.common import DEMO_PASSWORD


def test_the_demo_is_refused_outside_demo_mode(pays_de_la_loire):
    with pytest.raises(CommandError, match="mode démonstration"):
        call_command("load_demo")
    assert not User.objects.exists()


def test_the_demo_creates_one_account_per_role_that_can_sign_in(client, settings, pays_de_la_loire):
    settings.DEMO_MODE = True
    load_accounts_demo()
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    response = client.post("/comptes/connexion/", {"username": "commissaire-pdl", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert User.objects.get(username="nantes-metropole").territory.code == "244400404"
    assert Organisation.objects.get(name__startswith="Entraide").is_demo


def test_loading_the_demo_twice_duplicates_nothing(settings, pays_de_la_loire):
    settings.DEMO_MODE = True
    load_accounts_demo()
    counts = (User.objects.count(), Organisation.objects.count())
    report = load_accounts_demo()
    assert (User.objects.count(), Organisation.objects.count()) == counts
    assert report.users["created"] == 0 and report.organisations["created"] == 0


def test_the_demo_needs_the_territories_first(settings):
    settings.DEMO_MODE = True
    with pytest.raises(CommandError, match="pacte load_cog"):
        call_command("load_demo")
