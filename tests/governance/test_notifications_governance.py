"""The e-mail of a decision given an owner (`pacte.governance.notifications`): to the platform user of the member
who carries it, when the decision is recorded or its owner changes; not to the other members, not again for
another change, never with the decision's text."""

import pytest

from pacte.core.models import OutgoingMail
from pacte.governance.enums import DecisionStatus
from pacte.governance.services import decisions
from tests.accounts.factories import UserFactory
from tests.governance.factories import MeetingFactory, MemberFactory


@pytest.fixture(autouse=True)
def _site(settings):
    settings.PACTE_SITE_URL = "https://pacte.example.gouv.fr"


def told() -> list[str]:
    return sorted(address.split("@")[0] for row in OutgoingMail.objects.all() for address in row.to)


@pytest.fixture
def meeting(committee):
    return MeetingFactory(committee=committee, past=True, title="COPIL de printemps")


@pytest.fixture
def owner(committee, ddets):
    return MemberFactory(committee=committee, user=ddets, organisation=ddets.organisation)


def test_a_decision_recorded_with_an_owner_mails_its_user(
    meeting, owner, seated, commissioner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        decision = decisions.add_decision(
            meeting, text="Relancer la famille Dupont", owner_member=owner, due_date=meeting.starts_at.date()
        )
    assert told() == ["bob"]
    row = OutgoingMail.objects.get()
    assert row.subject == f"Pacte – Décision n°{decision.number} à porter – COPIL régional Pays de la Loire"
    assert "« COPIL de printemps »" in row.body
    assert f"https://pacte.example.gouv.fr{meeting.get_absolute_url()}#decision-{decision.number}" in row.body
    assert "Dupont" not in row.body


def test_a_decision_without_an_owner_account_mails_nobody(
    meeting, seated, committee, django_capture_on_commit_callbacks
):
    without_account = MemberFactory(committee=committee, user=None)
    with django_capture_on_commit_callbacks(execute=True):
        decisions.add_decision(meeting, text="A", owner_member=without_account)
        decisions.add_decision(meeting, text="B")
        decisions.add_decision(meeting, text="C", owner_organisation=seated.organisation)
    assert not OutgoingMail.objects.exists()


def test_a_new_owner_is_told_once_and_a_closed_decision_tells_nobody(
    meeting, owner, committee, django_capture_on_commit_callbacks
):
    decision = decisions.add_decision(meeting, text="A")
    with django_capture_on_commit_callbacks(execute=True):
        decision = decisions.update_decision(
            decision, expected_version=decision.lock_version, owner_member=owner
        )
        decisions.update_decision(decision, expected_version=decision.lock_version, follow_up="En cours")
    assert told() == ["bob"]
    other = MemberFactory(committee=committee, user=UserFactory(username="olga"))
    with django_capture_on_commit_callbacks(execute=True):
        decisions.update_decision(
            decision, expected_version=decision.lock_version, owner_member=other, status=DecisionStatus.DONE
        )
    assert told() == ["bob"]
