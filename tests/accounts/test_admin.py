import pytest
from django.urls import reverse

from pacte.accounts import services
from pacte.accounts.models import Organisation
from tests.accounts.factories import UserFactory


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def _organisation_form(organisation: Organisation, **changes) -> dict:
    """The POST of the change page of `organisation`, as the page was read (its version included)."""
    data = {
        "name": organisation.name,
        "kind": organisation.kind,
        "territory": organisation.territory_id or "",
        "siren": organisation.siren,
        "rna": organisation.rna,
        "email": organisation.email,
        "website": organisation.website,
        "expected_version": organisation.lock_version,
    }
    return {**data, **changes}


def test_an_organisation_changed_in_the_admin_goes_through_the_service(admin_client, association):
    url = reverse("admin:accounts_organisation_change", args=[association.pk])
    assert 'name="expected_version" value="0"' in admin_client.get(url).content.decode()

    response = admin_client.post(url, _organisation_form(association, email="contact@entraide.example"))

    assert response.status_code == 302
    association.refresh_from_db()
    assert (association.email, association.lock_version) == ("contact@entraide.example", 1)


def test_an_organisation_changed_since_the_admin_page_was_read_is_refused(admin_client, association):
    read = _organisation_form(association)
    services.update_organisation(association, expected_version=0, email="premier@example.org")

    response = admin_client.post(
        reverse("admin:accounts_organisation_change", args=[association.pk]),
        {**read, "email": "second@example.org"},
    )

    assert response.status_code == 200
    assert "modifiées par quelqu’un d’autre" in response.content.decode()
    assert Organisation.objects.get(pk=association.pk).email == "premier@example.org"


def test_an_organisation_is_added_in_the_admin(admin_client, loire_atlantique):
    response = admin_client.post(
        reverse("admin:accounts_organisation_add"),
        {
            "name": "Solidarité Atlantique",
            "kind": "association",
            "territory": loire_atlantique.pk,
            "siren": "",
        },
    )

    assert response.status_code == 302
    assert Organisation.objects.get(name="Solidarité Atlantique").lock_version == 0
