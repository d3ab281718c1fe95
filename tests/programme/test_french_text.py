"""French text of the référentiel (issue 17, item 6): a count agrees with its unit (« 5 maisons des parents »,
« 1 foyer ») and the Pacte's total is written one way on every page (« 20 Md€ », as on the home page)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from tests.accounts.factories import UserFactory
from tests.helpers import page
from tests.programme.factories import ProgrammeFactory, TargetFactory


@pytest.mark.django_db
def test_the_referentiel_writes_the_total_as_the_home_page_does(client):
    ProgrammeFactory()
    html = page(client, reverse("programme:index"))
    assert "20\u202fMd€" in html
    assert "20\u202f000\u202f000\u202f000" not in html
    home = page(client, reverse("home"))
    assert "20\u202fMd€" in home


@pytest.mark.django_db
def test_a_count_agrees_with_its_unit_in_the_targets_table(client):
    TargetFactory(label="Maisons des parents ouvertes", unit="maison des parents", target_value=Decimal("5"))
    TargetFactory(label="Foyers accompagnés", unit="foyers", target_value=Decimal("1"))
    html = page(client, reverse("programme:targets"), UserFactory(national=True))
    assert "5 maisons des parents" in html
    assert "5 maison des parents" not in html
    assert "1 foyer " in html or "1 foyer<" in html or "1 foyer (" in html
    assert "1 foyers" not in html


@pytest.mark.django_db
def test_the_same_agreement_for_an_anonymous_visitor(client):
    TargetFactory(unit="maison des parents", target_value=Decimal("5"))
    assert "5 maisons des parents" in page(client, reverse("programme:targets"))
