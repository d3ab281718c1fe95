"""The e-mails of a candidature (`pacte.grants.notifications`): filed, to the commissioner of the call's région and
the call's reviewers (not a reviewer of the association itself, not the commissioner of another région); decided,
to the members of the association (not another association's), never with an amount, the motivation or the
contact person."""

import pytest

from pacte.core.models import OutgoingMail
from pacte.grants import services
from pacte.grants.models import Application
from pacte.grants.services import calls, evaluations
from tests.accounts.factories import UserFactory
from tests.grants.factories import ApplicationFactory, select


@pytest.fixture(autouse=True)
def _site(settings):
    settings.PACTE_SITE_URL = "https://pacte.example.gouv.fr"


def told() -> list[str]:
    return sorted(address.split("@")[0] for row in OutgoingMail.objects.all() for address in row.to)


@pytest.fixture
def draft(call, member, loire_atlantique):
    return ApplicationFactory(
        call=call, draft=True, organisation=member.organisation, territory=loire_atlantique
    )


def test_a_filed_candidature_mails_the_commissioner_and_the_reviewers_of_the_call(
    draft,
    member,
    commissioner,
    other_commissioner,
    other_member,
    reviewer,
    django_capture_on_commit_callbacks,
):
    conflicted = UserFactory(username="zoe", association=True, organisation=member.organisation)
    evaluations.assign_reviewer(draft.call, conflicted)
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_application(draft, member)
    assert told() == ["alice", "eve"]
    row = OutgoingMail.objects.first()
    assert row.subject == "Pacte – Candidature déposée – Appel à projets 2025 – Entraide de test"
    assert f"https://pacte.example.gouv.fr/appels-a-projets/candidatures/{draft.pk}/" in row.body
    assert "Jeanne Martin" not in row.body and "€" not in row.body


@pytest.fixture
def closed(application, commissioner):
    calls.close_call(application.call, commissioner)
    return Application.objects.get(pk=application.pk)


def test_a_retained_candidature_mails_the_members_of_the_association(
    closed, member, other_member, commissioner, django_capture_on_commit_callbacks
):
    UserFactory(username="bea", association=True, organisation=member.organisation)
    with django_capture_on_commit_callbacks(execute=True):
        select(closed, commissioner)
    assert told() == ["bea", "bob"]
    row = OutgoingMail.objects.first()
    assert row.subject == "Pacte – Candidature retenue – Appel à projets 2025"
    assert "Projet solide" not in row.body and "€" not in row.body


def test_a_candidature_not_retained_mails_the_association_without_the_motivation(
    closed, member, commissioner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.decide_application(
            closed, commissioner, selected=False, motivation="Budget de M. Durand incomplet."
        )
    assert told() == ["bob"]
    row = OutgoingMail.objects.get()
    assert row.subject == "Pacte – Candidature non retenue – Appel à projets 2025"
    assert "Durand" not in row.body
    assert "La motivation de la décision est sur la page de la candidature." in row.body
