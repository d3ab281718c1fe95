"""The mécénat de proximité in « Mon espace »: companies to validate for the commissioner of their région,
pledges to accept or decline for the association, accepted pledges whose gift is to be recorded for both; none for
the same role outside the scope."""

import pytest

from pacte.grants.enums import ApplicationStatus
from pacte.sponsorship.enums import PledgeStatus
from tests.accounts.factories import UserFactory
from tests.grants.factories import ApplicationFactory, AssociationFactory, CallFactory
from tests.sponsorship.factories import CompanyFactory, PledgeFactory, PublishedProjectFactory
from tests.territories.factories import CommuneFactory
from tests.workspace.factories import tasks_of, titles


@pytest.fixture
def nantes_commune(places):
    return CommuneFactory(code="44109", name="Nantes", parent=places.loire_atlantique)


@pytest.fixture
def association(places):
    return AssociationFactory(name="Entraide", territory=places.loire_atlantique)


@pytest.fixture
def member(association, places):
    return UserFactory(
        username="bob", association=True, organisation=association, territory=association.territory
    )


@pytest.fixture
def other_member(places):
    other = AssociationFactory(name="Autre", territory=places.bouches_du_rhone)
    return UserFactory(
        username="dan", association=True, organisation=other, territory=places.bouches_du_rhone
    )


@pytest.fixture
def project(places, association):
    application = ApplicationFactory(
        call=CallFactory(region=places.pays_de_la_loire),
        organisation=association,
        territory=places.loire_atlantique,
        status=ApplicationStatus.SELECTED,
        project_title="Épicerie solidaire",
    )
    return PublishedProjectFactory(application=application)


def test_the_commissioner_validates_the_companies_of_its_region(
    nantes_commune, commissioner, other_commissioner, national
):
    company = CompanyFactory(name="Boulangerie Dupont", commune=nantes_commune, pending=True)
    CompanyFactory(name="Déjà validée", commune=nantes_commune)
    [task] = tasks_of(commissioner, "sponsors_to_validate")
    assert task.title == "Boulangerie Dupont – Nantes" and task.url == company.get_absolute_url()
    assert task.due_on is None
    assert tasks_of(other_commissioner, "sponsors_to_validate") == []
    assert tasks_of(national, "sponsors_to_validate") == []


def test_the_association_answers_then_both_record_the_gift(
    project, member, other_member, commissioner, other_commissioner, nantes_commune
):
    company = CompanyFactory(name="Boulangerie Dupont", commune=nantes_commune)
    PledgeFactory(project=project, company=company)
    assert titles(member, "pledges_to_answer") == ["Épicerie solidaire – Boulangerie Dupont"]
    assert tasks_of(member, "pledges_to_answer")[0].url == project.get_absolute_url()
    assert tasks_of(other_member, "pledges_to_answer") == []
    assert tasks_of(commissioner, "pledges_to_answer") == []  # the association answers
    assert tasks_of(member, "pledges_to_deliver") == []
    PledgeFactory(project=project, company=company, status=PledgeStatus.ACCEPTED)
    for user in (member, commissioner):
        assert titles(user, "pledges_to_deliver") == ["Épicerie solidaire – Boulangerie Dupont"]
    assert tasks_of(other_member, "pledges_to_deliver") == []
    assert tasks_of(other_commissioner, "pledges_to_deliver") == []
