"""The families of stakeholders and the colleges of members the Pacte names besides the concertation's five: the
CNLE, the trade unions and the companies (seed 000), with trade unions and companies as colleges of a comité
départemental pour l'emploi (décret n° 2024-560); nothing already recorded changes family."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from pacte.governance.enums import MemberCategory, StakeholderCategory
from pacte.governance.models import Stakeholder
from pacte.governance.services import committees, concertation
from tests.accounts.factories import UserFactory
from tests.governance.factories import StakeholderFactory
from tests.helpers import api_get, ids, page

NEW_FAMILIES = [StakeholderCategory.CNLE, StakeholderCategory.TRADE_UNIONS, StakeholderCategory.COMPANIES]


@pytest.mark.parametrize("category", NEW_FAMILIES)
def test_a_stakeholder_of_the_new_families_is_recorded(category):
    stakeholder = concertation.save_stakeholder(name=f"Partie {category}", category=category)
    assert stakeholder.get_category_display() == category.label


def test_an_unknown_family_is_refused_on_its_field():
    with pytest.raises(ValidationError) as caught:
        concertation.save_stakeholder(name="Inconnue", category="lobbies")
    assert "category" in caught.value.message_dict
    assert not Stakeholder.objects.exists()


def test_the_existing_families_are_kept():
    assert {
        "associations_collectivites",
        "associations_lutte",
        "securite_sociale",
        "operateurs_etat",
        "services_etat",
        "personnes_concernees",
    } <= set(StakeholderCategory.values)


@pytest.mark.parametrize("category", [MemberCategory.TRADE_UNIONS, MemberCategory.COMPANIES])
def test_a_trade_union_or_a_company_takes_a_seat_in_its_college(committee, category):
    member = committees.save_member(committee, organisation_name="CFDT Pays de la Loire", category=category)
    assert member.category == category


def test_a_seat_in_an_unknown_college_is_refused_on_its_field(committee):
    with pytest.raises(ValidationError) as caught:
        committees.save_member(committee, organisation_name="Inconnue", category="lobbies")
    assert "category" in caught.value.message_dict


def test_national_steering_records_a_trade_union_and_the_registry_filters_it(client, commissioner):
    url = reverse("governance:stakeholder_create")
    form = {"name": "Union syndicale", "category": StakeholderCategory.TRADE_UNIONS}
    assert client.post(url, form).status_code == 302  # sign in first
    client.force_login(commissioner)
    assert client.post(url, form).status_code == 403
    client.force_login(UserFactory(national=True))
    assert client.post(url, form).status_code == 302
    StakeholderFactory(name="Une association", category=StakeholderCategory.ANTI_POVERTY_ASSOCIATIONS)
    client.logout()
    html = page(client, reverse("governance:stakeholders"), famille=StakeholderCategory.TRADE_UNIONS)
    assert "Union syndicale" in html and "Une association" not in html
    assert "Organisations syndicales" in page(client, reverse("governance:concertation"))


def test_the_api_lists_the_stakeholders_by_family_without_their_contacts(client, commissioner):
    union = StakeholderFactory(category=StakeholderCategory.TRADE_UNIONS, contact_email="secret@example.org")
    StakeholderFactory(category=StakeholderCategory.COMPANIES)
    url = "/api/v1/governance/stakeholders/"
    for user in (None, commissioner):
        response = api_get(client, url, user, category=StakeholderCategory.TRADE_UNIONS)
        assert ids(response) == [union.pk]
        item = response.json()["items"][0]
        assert item["category_label"] == "Organisations syndicales"
        assert "secret@example.org" not in response.content.decode()
    assert api_get(client, url, category="lobbies").status_code == 422
