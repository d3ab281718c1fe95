"""The tasks of the calls for projects in « Mon espace »: each for the role that must act, none for the same
role outside the scope."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from pacte import formatting
from pacte.core.enums import ReportStatus
from pacte.grants.enums import ReviewStatus
from pacte.grants.models import GrantAgreement, GrantReport, Review, ReviewerAssignment
from pacte.grants.services import payments
from pacte.grants.services import reports as report_services
from tests.accounts.factories import UserFactory
from tests.grants.factories import (
    ApplicationFactory,
    AssociationFactory,
    CallFactory,
    PrefectureFactory,
    select,
)
from tests.workspace.factories import tasks_of, titles


@pytest.fixture
def call(places):
    prefecture = PrefectureFactory(
        name="Préfecture de la région Pays de la Loire", territory=places.pays_de_la_loire
    )
    return CallFactory(region=places.pays_de_la_loire, owner=prefecture, closed=True, title="Appel 2025")


@pytest.fixture
def member(places):
    association = AssociationFactory(name="Entraide de test", territory=places.loire_atlantique)
    return UserFactory(
        username="bob", association=True, organisation=association, territory=places.loire_atlantique
    )


@pytest.fixture
def other_member(places):
    association = AssociationFactory(name="Autre association", territory=places.vendee)
    return UserFactory(username="dan", association=True, organisation=association, territory=places.vendee)


@pytest.fixture
def application(call, member, places):
    return ApplicationFactory(
        call=call,
        organisation=member.organisation,
        territory=places.loire_atlantique,
        project_title="Épicerie",
    )


@pytest.fixture
def agreement(application, commissioner):
    """The convention of the selected candidature: 20 000 € in 2025 and in 2026."""
    select(application, commissioner)
    return GrantAgreement.objects.get(application=application)


def test_an_assigned_reviewer_scores_the_candidatures_until_its_review_is_submitted(
    application, ddets, other_ddets, call
):
    ReviewerAssignment.objects.create(call=call, reviewer=ddets)
    [task] = tasks_of(ddets, "applications_to_score")
    assert task.title == "Épicerie – Entraide de test"
    assert task.url == f"/appels-a-projets/candidatures/{application.pk}/evaluer/"
    assert tasks_of(other_ddets, "applications_to_score") == []
    Review.objects.create(application=application, reviewer=ddets, status=ReviewStatus.SUBMITTED)
    assert tasks_of(ddets, "applications_to_score") == []


def test_no_candidature_to_score_while_the_call_is_open(places, member, ddets):
    open_call = CallFactory(region=places.pays_de_la_loire)
    ApplicationFactory(call=open_call, organisation=member.organisation, territory=places.loire_atlantique)
    ReviewerAssignment.objects.create(call=open_call, reviewer=ddets)
    assert tasks_of(ddets, "applications_to_score") == []


def test_the_commissioner_of_the_region_decides(application, commissioner, other_commissioner, ddets):
    assert titles(commissioner, "applications_to_decide") == ["Épicerie – Entraide de test"]
    for outsider in (other_commissioner, ddets):
        assert tasks_of(outsider, "applications_to_decide") == []


def test_an_association_files_its_drafts_by_the_call_deadline(places, member, other_member):
    open_call = CallFactory(region=places.pays_de_la_loire)
    ApplicationFactory(
        call=open_call, organisation=member.organisation, territory=places.loire_atlantique, draft=True
    )
    [task] = tasks_of(member, "application_drafts")
    assert task.due_on == timezone.localdate(open_call.deadline)
    assert tasks_of(other_member, "application_drafts") == []


def test_the_state_pays_what_may_be_paid_of_each_year_begun(
    agreement, commissioner, ddets, other_commissioner, other_ddets
):
    for state in (commissioner, ddets):
        tasks = tasks_of(state, "grant_payments")
        assert [task.detail for task in tasks] == [
            f"solde versable : {formatting.euros(20000)}",
            f"avance versable : {formatting.euros(10000)}",  # the 2025 report is not validated
        ]
        assert tasks[0].url == f"/appels-a-projets/conventions/{agreement.pk}/versements/nouveau/"
    assert len(tasks_of(commissioner, "grant_payments", today=datetime.date(2025, 6, 1))) == 1
    for outsider in (other_commissioner, other_ddets):
        assert tasks_of(outsider, "grant_payments") == []


def test_nothing_to_pay_once_a_year_is_paid(agreement, commissioner):
    payments.record_payment(
        agreement, commissioner, year=2025, amount=Decimal("20000"), paid_on=datetime.date(2025, 3, 1)
    )
    assert [task.title.split(" – ")[0] for task in tasks_of(commissioner, "grant_payments")] == [
        "Subvention 2026"
    ]


def test_the_association_files_its_reports_due_and_the_state_reviews_them(
    agreement, member, other_member, commissioner, ddets, other_commissioner
):
    [task] = tasks_of(member, "grant_reports_to_file")
    assert task.due_on == datetime.date(2026, 6, 30)  # the 2025 report: six months after the exercise
    assert task.url == f"/appels-a-projets/conventions/{agreement.pk}/comptes-rendus/2025/"
    assert tasks_of(other_member, "grant_reports_to_file") == []
    assert tasks_of(commissioner, "grant_reports_to_review") == []

    report = report_services.open_report(agreement, 2025)
    GrantReport.objects.filter(pk=report.pk).update(
        status=ReportStatus.SUBMITTED, submitted_at=timezone.now()
    )
    assert tasks_of(member, "grant_reports_to_file") == []
    for state in (commissioner, ddets):
        assert len(tasks_of(state, "grant_reports_to_review")) == 1
    assert tasks_of(other_commissioner, "grant_reports_to_review") == []


def test_no_report_due_before_the_year_is_over(agreement, member):
    assert tasks_of(member, "grant_reports_to_file", today=datetime.date(2025, 12, 31)) == []
