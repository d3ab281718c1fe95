"""The demo accounts (pacte.demo.accounts, data/accounts.yaml) and the `pacte load_demo` command."""

import pytest
from django.core.management import CommandError, call_command

from pacte.accounts.enums import OrganisationKind, Role
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


def test_the_demo_has_the_parties_of_the_overseas_convention(settings, pays_de_la_loire):
    settings.DEMO_MODE = True
    report = load_accounts_demo()
    # The organisations and accounts of the Pays de la Loire and of Bretagne (17 each), and the DEETS and the
    # Département of La Réunion with one account each, the parties of the overseas convention (contracts.yaml).
    assert report.organisations == {"created": 19, "updated": 0}
    assert report.users == {"created": 19, "updated": 0}
    deets, cd974 = User.objects.get(username="deets974"), User.objects.get(username="cd974")
    assert (deets.role, deets.organisation.name, deets.organisation.kind) == (
        Role.DDETS,
        "DEETS La Réunion",
        OrganisationKind.DDETS,
    )
    assert (cd974.role, cd974.organisation.kind) == (
        Role.LOCAL_AUTHORITY,
        OrganisationKind.DEPARTEMENT_COUNCIL,
    )
    for user in (deets, cd974):
        assert user.territory.code == user.organisation.territory.code == "974"
        assert user.territory.region.code == "04"
        assert user.is_demo and user.email == f"{user.username}@demo.pacte.invalid"
        assert user.check_password(DEMO_PASSWORD)


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
