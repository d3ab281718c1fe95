"""Way-finding on the territory page (issue 17, item 8): it links to the territory's contracts (the signed ones
for everyone, the drafts for the parties only) and shows the « espace de travail » before the list of communes."""

import pytest
from django.urls import reverse

from tests.contracts.factories import make_world
from tests.helpers import page
from tests.territories.factories import CommuneFactory


@pytest.fixture
def world():
    return make_world()


@pytest.mark.django_db
def test_signed_contract_is_linked_for_everyone(client, world):
    html = page(client, world.vendee.get_absolute_url())
    assert world.signed.get_absolute_url() in html
    assert 'id="contrats"' in html


@pytest.mark.django_db
def test_draft_contract_is_linked_for_its_parties_only(client, world):
    url, link = world.loire_atlantique.get_absolute_url(), world.draft.get_absolute_url()
    assert link in page(client, url, world.ddets_a)
    assert link in page(client, url, world.local_a)
    assert link not in page(client, url, world.ddets_c)  # same role, another département
    client.logout()
    assert link not in page(client, url)


@pytest.mark.django_db
def test_workspace_comes_before_the_communes(client, world):
    CommuneFactory(code="44109", name="Nantes", parent=world.loire_atlantique)
    html = page(client, world.loire_atlantique.get_absolute_url(), world.ddets_a)
    assert "Espace de travail" in html
    assert html.index("Espace de travail") < html.index('id="communes"')
    assert html.index(world.draft.get_absolute_url()) < html.index('id="communes"')


@pytest.mark.django_db
def test_no_workspace_for_an_anonymous_visitor(client, world):
    html = page(client, world.loire_atlantique.get_absolute_url())
    assert "Espace de travail" not in html
    assert 'id="contrats"' not in html  # its only contract is a draft


@pytest.mark.django_db
def test_diagnostic_is_linked_from_a_departement(client, world):
    html = page(client, world.vendee.get_absolute_url())
    assert reverse("observation:diagnostic", args=["departement", world.vendee.code]) in html
