"""The mécénat demo (pacte.demo.sponsorship, data/sponsorship.yaml): companies validated and pending, the grants
demo's selected projects published, pledges in each state, all « donnée fictive », nobody mailed; reloading
duplicates nothing."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from pacte.core.models import OutgoingMail
from pacte.core.validators import siret_problem
from pacte.demo.common import user
from pacte.demo.grants import load_grants_demo
from pacte.demo.sponsorship import load_sponsorship_demo
from pacte.sponsorship.enums import CompanyStatus, PledgeStatus
from pacte.sponsorship.models import Company, Pledge, PublishedProject
from tests.workspace.factories import titles


def test_it_refuses_to_load_outside_demo_mode(settings):
    settings.DEMO_MODE = False
    with pytest.raises(ImproperlyConfigured):
        load_sponsorship_demo()


def test_the_demo_publishes_the_selected_projects_with_pledges_in_each_state(prerequisites, client):
    load_grants_demo()
    report = load_sponsorship_demo()
    today = timezone.localdate()
    assert "données fictives" in report.summary()
    companies = Company.objects.all()
    assert sorted(companies.values_list("status", flat=True)) == sorted(
        [CompanyStatus.VALIDATED, CompanyStatus.VALIDATED, CompanyStatus.PENDING]
    )
    assert all(company.is_demo and siret_problem(company.siret) is None for company in companies)
    assert all(company.contact_email.endswith(".invalid") for company in companies)
    projects = PublishedProject.objects.all()
    assert sorted(project.application.project_title for project in projects) == [
        "Ateliers d'accès aux droits en milieu rural",
        "Épicerie solidaire itinérante",
    ]
    assert all(project.is_public and project.is_demo for project in projects)
    assert set(Pledge.objects.values_list("status", flat=True)) == set(PledgeStatus.values)
    assert all(pledge.is_demo for pledge in Pledge.objects.all())
    assert not OutgoingMail.objects.exists()  # the companies' e-mails of the demo's history are not sent
    # « Mon espace »: each demo role finds its step of the story.
    assert titles(user("commissaire-pdl"), "sponsors_to_validate", today) == [
        "Transports de l'Erdre (entreprise fictive) – Nantes"
    ]
    assert titles(user("association-sarthe"), "pledges_to_answer", today) == [
        "Ateliers d'accès aux droits en milieu rural – Atelier numérique nantais (entreprise fictive)"
    ]
    for username in ("association", "commissaire-pdl"):
        assert titles(user(username), "pledges_to_deliver", today) == [
            "Épicerie solidaire itinérante – Atelier numérique nantais (entreprise fictive)"
        ]
    page = client.get("/mecenat/").content.decode()
    assert "Épicerie solidaire itinérante" in page
    again = load_sponsorship_demo()
    assert (Company.objects.count(), PublishedProject.objects.count(), Pledge.objects.count()) == (3, 2, 4)
    assert "laissées telles quelles" in again.summary()


def test_a_reload_after_the_fictitious_sirets_changed_keeps_the_same_companies(prerequisites):
    load_grants_demo()
    load_sponsorship_demo()
    # A demo loaded before December 2026, whose SIRENs had a wrong key: a reload finds its companies by name.
    for number, company in enumerate(Company.objects.order_by("pk"), start=1):
        Company.objects.filter(pk=company.pk).update(siret=f"80000000{number}00010")
    load_sponsorship_demo()
    assert Company.objects.count() == 3
