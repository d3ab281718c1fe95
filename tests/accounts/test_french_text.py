"""The admin names django-axes' section in French (issue 17, item 6): « Tentatives de connexion », not « Axes »
beside the Pacte's own axes; a demo account carries « donnée fictive » among an organisation's members (item 8)."""

import re

import pytest
from django.apps import apps
from django.urls import reverse

from pacte.accounts.apps_axes import AxesConfig
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.helpers import page


def test_the_config_keeps_the_name_and_label_of_django_axes():
    assert (AxesConfig.name, AxesConfig.verbose_name) == ("axes", "Tentatives de connexion")
    assert apps.get_app_config("axes").name == "axes"  # the tables and migrations stay those of django-axes


def test_the_installed_config_is_the_french_one():
    assert apps.get_app_config("axes").verbose_name == "Tentatives de connexion"


@pytest.mark.django_db
def test_the_admin_index_shows_the_french_section(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    html = client.get(reverse("admin:index")).content.decode()
    section = re.search(
        rf'<a href="{reverse("admin:app_list", args=["axes"])}"[^>]*class="section"[^>]*>([^<]+)</a>', html
    )
    assert section is not None and section.group(1) == "Tentatives de connexion"


@pytest.mark.django_db
def test_the_admin_stays_closed_to_a_signed_in_user_without_staff_status(client):
    client.force_login(UserFactory(national=True))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


@pytest.mark.django_db
def test_a_demo_account_is_flagged_among_the_members_of_an_organisation(client):
    organisation = OrganisationFactory(name="Entraide Nantes")
    UserFactory(first_name="Céline", last_name="Morin", organisation=organisation, is_demo=True)
    UserFactory(first_name="Marc", last_name="Leroy", organisation=organisation)
    html = page(client, reverse("accounts:organisation", args=[organisation.pk]), UserFactory(national=True))
    celine = html[html.index("Céline Morin") : html.index("</li>", html.index("Céline Morin"))]
    marc = html[html.index("Marc Leroy") : html.index("</li>", html.index("Marc Leroy"))]
    assert "donnée fictive" in celine
    assert "donnée fictive" not in marc


@pytest.mark.django_db
def test_the_members_stay_hidden_from_an_anonymous_visitor(client):
    organisation = OrganisationFactory()
    UserFactory(first_name="Céline", last_name="Morin", organisation=organisation, is_demo=True)
    response = client.get(reverse("accounts:organisation", args=[organisation.pk]))
    assert response.status_code == 302
    assert "Céline Morin" not in response.content.decode()
