"""An instance as the comité de pilotage of contracts: the rules of the link (kinds, territory, axis), who may link
and unlink, the committee page, the contract page's inclusion tag; the two kinds of a département's employment and
solidarity governance (joint governance, comité départemental pour l'emploi) and their rules."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from pacte.contracts.enums import ContractKind, ContractStatus
from pacte.governance.enums import CommitteeKind, MemberRole
from pacte.governance.models import SteeredContract
from pacte.governance.services import committees, meetings, steering
from tests.accounts.factories import UserFactory
from tests.contracts.factories import ContractFactory
from tests.governance.factories import CommitteeFactory, MeetingFactory, MemberFactory
from tests.helpers import assert_access, is_login, page
from tests.programme.factories import AxisFactory
from tests.territories.factories import EpciFactory


def signed(territory, kind=ContractKind.DEPARTEMENT, **fields):
    return ContractFactory(
        territory=territory,
        kind=kind,
        status=ContractStatus.SIGNED,
        signed_on=datetime.date(2024, 1, 15),
        **fields,
    )


@pytest.fixture
def copil(loire_atlantique):
    """The private comité de pilotage of Loire-Atlantique's conventions (an « autre instance »)."""
    return CommitteeFactory(
        territory=loire_atlantique,
        kind=CommitteeKind.OTHER,
        name="COPIL du contrat local des solidarités 44",
        meetings_per_year_min=None,
        meetings_per_year_max=None,
    )


@pytest.fixture
def solidarites(loire_atlantique):
    return signed(loire_atlantique, title="Contrat local des solidarités 2024-2027 – Loire-Atlantique")


@pytest.fixture
def draft(loire_atlantique):
    return ContractFactory(
        territory=loire_atlantique, kind=ContractKind.FRANCE_TRAVAIL, title="Convention France Travail 44"
    )


@pytest.fixture
def other_ddets(vendee):
    return UserFactory(username="dan", ddets=True, territory=vendee)


def problems(call) -> dict:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


# --- The rules of the link -------------------------------------------------------------------------------


def test_a_departements_committee_steers_its_contract_and_its_amendments(
    copil, solidarites, loire_atlantique
):
    amendment = ContractFactory(
        territory=loire_atlantique,
        kind=ContractKind.DEPARTEMENT,
        root=solidarites,
        amends=solidarites,
        amendment_number=1,
    )
    link = steering.link_contract(copil, amendment)
    assert link.contract == solidarites  # the initial version: its avenants share it
    assert list(steering.steering_problems(copil, solidarites)) == []


def test_a_regional_copil_of_the_state_services_cannot_steer_a_contract(region, solidarites):
    regional = CommitteeFactory(territory=region, kind=CommitteeKind.REGIONAL_COPIL)
    errors = problems(lambda: steering.link_contract(regional, solidarites))
    assert "COPIL régional des services de l'État" in errors["contract"][0]
    assert not SteeredContract.objects.exists()


def test_a_contract_outside_the_committees_territory_is_refused(copil, vendee):
    errors = problems(lambda: steering.link_contract(copil, signed(vendee)))
    assert "porte sur Vendée, hors du territoire de l'instance (Loire-Atlantique)" in errors["contract"][0]


def test_a_metropoles_contract_inside_the_departement_is_steerable(copil, loire_atlantique):
    nantes = EpciFactory(metropole=True, name="Nantes Métropole", parent=loire_atlantique)
    steering.link_contract(copil, signed(nantes, kind=ContractKind.METROPOLE))
    assert copil.steered_contracts.count() == 1


def test_a_national_instance_cannot_steer_a_local_contract(solidarites):
    national = CommitteeFactory(territory=None, kind=CommitteeKind.OTHER, name="Instance nationale")
    errors = problems(lambda: steering.link_contract(national, solidarites))
    assert errors["contract"] == [
        "Une instance nationale ne peut pas être le comité de pilotage d'un contrat local."
    ]


def test_the_same_contract_is_linked_once(copil, solidarites):
    steering.link_contract(copil, solidarites)
    errors = problems(lambda: steering.link_contract(copil, solidarites))
    assert errors["contract"] == ["Cette instance est déjà le comité de pilotage de ce contrat."]


def test_the_employment_committee_steers_the_france_travail_convention_not_the_solidarites_contract(
    loire_atlantique, solidarites, draft
):
    cde = CommitteeFactory(territory=loire_atlantique, kind=CommitteeKind.EMPLOYMENT_COMMITTEE)
    steering.link_contract(cde, draft)
    errors = problems(lambda: steering.link_contract(cde, solidarites))
    assert "dans le champ de l'emploi" in errors["contract"][0]


def test_the_joint_governance_steers_the_departements_conventions_not_a_metropoles(
    loire_atlantique, solidarites
):
    joint = CommitteeFactory(territory=loire_atlantique, kind=CommitteeKind.JOINT_GOVERNANCE)
    steering.link_contract(joint, solidarites)
    steering.link_contract(joint, signed(loire_atlantique, kind=ContractKind.GLOBALE, period_start=2025))
    nantes = EpciFactory(metropole=True, parent=loire_atlantique)
    errors = problems(lambda: steering.link_contract(joint, signed(nantes, kind=ContractKind.METROPOLE)))
    assert "l'État et du département" in errors["contract"][0]


def test_an_axis_committee_steers_a_contract_holding_its_axis_only(loire_atlantique, solidarites):
    axis_2 = CommitteeFactory(
        territory=loire_atlantique, kind=CommitteeKind.AXIS_COMMITTEE, axis=AxisFactory(number=2)
    )
    errors = problems(lambda: steering.link_contract(axis_2, solidarites))
    assert "axe 2" in errors["contract"][0]
    axis_1 = CommitteeFactory(
        territory=loire_atlantique, kind=CommitteeKind.AXIS_COMMITTEE, axis=AxisFactory(number=1)
    )
    steering.link_contract(axis_1, solidarites)


def test_moving_a_committee_away_from_the_contract_it_steers_is_refused(
    copil, solidarites, loire_atlantique, vendee
):
    steering.link_contract(copil, solidarites)
    errors = problems(lambda: committees.update_committee(copil, expected_version=None, territory=vendee))
    assert "retirez d'abord ce rattachement" in errors["territory"][0]
    copil.refresh_from_db()
    assert copil.territory == loire_atlantique
    steering.unlink_contract(copil.steered_contracts.get())
    committees.update_committee(copil, expected_version=None, territory=vendee)


# --- The joint governance and the comité départemental pour l'emploi -----------------------------------


def committee_fields(territory, kind):
    return {"kind": kind, "name": "Instance de test", "territory": territory}


@pytest.mark.parametrize("kind", [CommitteeKind.JOINT_GOVERNANCE, CommitteeKind.EMPLOYMENT_COMMITTEE])
def test_the_departements_employment_and_solidarity_governance_sits_in_a_departement(
    region, loire_atlantique, kind
):
    errors = problems(lambda: committees.create_committee(**committee_fields(region, kind)))
    assert "siège dans un département" in errors["territory"][0]
    assert (
        committees.create_committee(**committee_fields(loire_atlantique, kind)).territory == loire_atlantique
    )


def paris_time(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_the_employment_committee_meets_from_1_july_2024(loire_atlantique):
    cde = CommitteeFactory(territory=loire_atlantique, kind=CommitteeKind.EMPLOYMENT_COMMITTEE)
    before = paris_time(datetime.date(2024, 6, 30))
    errors = problems(
        lambda: meetings.create_meeting(
            cde, title="Installation", starts_at=before, ends_at=before + datetime.timedelta(hours=2)
        )
    )
    assert errors["starts_at"] == [
        "Le comité départemental pour l'emploi existe depuis le 1er juillet 2024 (décret n° 2024-560 du 18 juin "
        "2024) : choisissez une date à partir de ce jour."
    ]
    start = paris_time(datetime.date(2024, 7, 1), hour=0)
    meeting = meetings.create_meeting(
        cde, title="Installation", starts_at=start, ends_at=start + datetime.timedelta(hours=2)
    )
    errors = problems(lambda: meetings.update_meeting(meeting, expected_version=None, starts_at=before))
    assert "1er juillet 2024" in errors["starts_at"][0]


def test_a_joint_governance_with_earlier_meetings_cannot_become_the_employment_committee(loire_atlantique):
    joint = CommitteeFactory(territory=loire_atlantique, kind=CommitteeKind.JOINT_GOVERNANCE)
    MeetingFactory(committee=joint, starts_at=paris_time(datetime.date(2024, 3, 12)))
    errors = problems(
        lambda: committees.update_committee(
            joint, expected_version=None, kind=CommitteeKind.EMPLOYMENT_COMMITTEE
        )
    )
    assert "cette instance a des réunions antérieures" in errors["kind"][0]
    later = CommitteeFactory(territory=loire_atlantique, kind=CommitteeKind.JOINT_GOVERNANCE, name="Autre")
    MeetingFactory(committee=later, starts_at=paris_time(datetime.date(2024, 9, 12)))
    committees.update_committee(later, expected_version=None, kind=CommitteeKind.EMPLOYMENT_COMMITTEE)


def test_the_committee_form_shows_the_territory_rule_on_its_field(client, region):
    client.force_login(UserFactory(national=True))
    response = client.post(
        reverse("governance:committee_create"),
        {"kind": CommitteeKind.EMPLOYMENT_COMMITTEE, "name": "CDE", "territory": region.pk},
    )
    assert response.status_code == 200
    assert "siège dans un département" in response.context["form"].errors["territory"][0]


def test_the_employment_committee_page_cites_the_decree(client, loire_atlantique):
    cde = CommitteeFactory(territory=loire_atlantique, kind=CommitteeKind.EMPLOYMENT_COMMITTEE, public=True)
    html = page(client, cde.get_absolute_url())
    assert "décret n° 2024-560 du 18 juin 2024" in html
    assert "https://www.legifrance.gouv.fr/jorf/id/JORFTEXT000049746070" in html


# --- Who may link and unlink: the pages ------------------------------------------------------------------


def test_the_link_page_answers_the_committees_managers(client, copil, ddets, other_ddets):
    assert_access(
        client, reverse("governance:steering_create", args=[copil.pk]), outsider=other_ddets, allowed=ddets
    )


def test_a_member_who_does_not_manage_the_instance_may_not_link(client, copil, association_user):
    MemberFactory(committee=copil, organisation=association_user.organisation)
    client.force_login(association_user)
    assert client.get(reverse("governance:steering_create", args=[copil.pk])).status_code == 403


def test_the_ddets_links_its_contract_and_the_committee_page_shows_it(client, copil, solidarites, ddets):
    client.force_login(ddets)
    response = client.post(
        reverse("governance:steering_create", args=[copil.pk]), {"contract": solidarites.pk}
    )
    assert response.status_code == 302
    link = copil.steered_contracts.get()
    assert (link.contract, link.linked_by) == (solidarites, ddets)
    html = page(client, copil.get_absolute_url())
    assert solidarites.title in html and "Retirer" in html


def test_a_refusal_of_the_rules_is_shown_on_the_contract_field(client, loire_atlantique, solidarites, ddets):
    cde = CommitteeFactory(territory=loire_atlantique, kind=CommitteeKind.EMPLOYMENT_COMMITTEE)
    client.force_login(ddets)
    response = client.post(reverse("governance:steering_create", args=[cde.pk]), {"contract": solidarites.pk})
    assert response.status_code == 200
    assert "dans le champ de l'emploi" in response.context["form"].errors["contract"][0]
    assert not SteeredContract.objects.exists()


def test_a_manager_who_may_not_see_the_draft_cannot_link_it(client, copil, draft, solidarites):
    """The secretariat (an association) manages the instance but does not follow the draft convention."""
    secretary = UserFactory(association=True, territory=copil.territory)
    MemberFactory(committee=copil, organisation=secretary.organisation, role=MemberRole.SECRETARIAT)
    client.force_login(secretary)
    url = reverse("governance:steering_create", args=[copil.pk])
    offered = page(client, url)
    assert solidarites.title in offered and draft.title not in offered
    response = client.post(url, {"contract": draft.pk})
    assert response.status_code == 200 and "contract" in response.context["form"].errors
    assert not SteeredContract.objects.exists()


def test_unlinking_answers_the_managers_only(
    client, copil, solidarites, ddets, other_ddets, association_user
):
    link = steering.link_contract(copil, solidarites)
    url = reverse("governance:steering_remove", args=[copil.pk, link.pk])
    assert is_login(client.post(url))
    client.force_login(other_ddets)
    assert client.post(url).status_code == 404  # a private instance does not exist for them
    MemberFactory(committee=copil, organisation=association_user.organisation)
    client.force_login(association_user)
    assert client.post(url).status_code == 403
    client.force_login(ddets)
    assert client.post(url).status_code == 302
    assert not SteeredContract.objects.exists()


def test_the_committee_page_hides_a_draft_contract_from_a_member_who_does_not_follow_it(
    client, copil, draft, association_user, ddets
):
    steering.link_contract(copil, draft)
    MemberFactory(committee=copil, organisation=association_user.organisation)
    assert draft.title not in page(client, copil.get_absolute_url(), association_user)
    assert draft.title in page(client, copil.get_absolute_url(), ddets)


# --- The contract page's inclusion tag -------------------------------------------------------------------


def render_tag(contract, user=None) -> str:
    request = RequestFactory().get("/")
    request.user = user or AnonymousUser()
    template = Template("{% load governance %}{% contract_committees contract %}")
    return template.render(Context({"request": request, "contract": contract}))


def test_the_contract_page_lists_the_committees_its_reader_sees(
    copil, solidarites, loire_atlantique, ddets, other_ddets
):
    public = CommitteeFactory(
        territory=loire_atlantique,
        kind=CommitteeKind.JOINT_GOVERNANCE,
        name="Gouvernance commune 44",
        public=True,
    )
    steering.link_contract(copil, solidarites)
    steering.link_contract(public, solidarites)
    amendment = ContractFactory(
        territory=loire_atlantique, kind=ContractKind.DEPARTEMENT, root=solidarites, amendment_number=1
    )
    allowed = render_tag(amendment, ddets)
    assert copil.name in allowed and public.name in allowed
    outside = render_tag(solidarites, other_ddets)  # the same role in Vendée: the public instance only
    assert public.name in outside and copil.name not in outside
    anonymous = render_tag(solidarites)
    assert public.name in anonymous and copil.name not in anonymous


def test_the_contract_page_says_where_to_link_a_committee_to_its_followers_only(solidarites, ddets):
    assert "Piloter un contrat" in render_tag(solidarites, ddets)
    assert render_tag(solidarites).strip() == ""
