"""/droits/ carries its documentation (issue 17, item 8): the key facts, and links to the in-app pages that
explain the rest (the simulator, the household file format for those who may upload)."""

import pytest
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.helpers import is_login, page
from tests.territories.factories import DepartementFactory


@pytest.mark.django_db
def test_social_worker_gets_the_documentation_with_the_format_link(client):
    user = UserFactory(social_worker=True, territory=DepartementFactory())
    html = page(client, reverse("screening:index"), user)
    assert 'id="documentation"' in html
    assert reverse("screening:upload") + "#format" in html
    assert reverse("screening:simulator") in html
    assert "aucun chiffre sur moins de 11 foyers" in html


@pytest.mark.django_db
def test_association_gets_the_documentation_without_the_upload_format(client):
    user = UserFactory(association=True, territory=DepartementFactory())
    html = page(client, reverse("screening:index"), user)
    assert 'id="documentation"' in html
    assert reverse("screening:upload") not in html


@pytest.mark.django_db
def test_anonymous_visitor_is_asked_to_sign_in(client):
    assert is_login(client.get(reverse("screening:index")))
