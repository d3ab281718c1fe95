"""Who is told by the regional roadmap: the members of an action's pilot organisation when it is given to them
(not again on a later edit, not for a closed action, not the one who acted); the DDETS of the région when the
roadmap is published (not those of another région)."""

import datetime

import pytest
from django.core import mail as outbox

from pacte.core.mail import send_pending
from pacte.governance.roadmap_models import RoadmapActionStatus
from pacte.governance.services import roadmap as services
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.governance.factories import ROADMAP_YEAR
from tests.territories.factories import DepartementFactory


@pytest.fixture
def caf(loire_atlantique):
    return OrganisationFactory(name="CAF de Loire-Atlantique", territory=loire_atlantique)


@pytest.fixture
def caf_agent(caf, loire_atlantique):
    return UserFactory(username="carla", ddets=True, organisation=caf, territory=loire_atlantique)


def _sent() -> list:
    send_pending()
    return list(outbox.outbox)


def test_the_pilot_organisation_s_members_are_told_once(
    objective, caf, caf_agent, commissioner, django_capture_on_commit_callbacks
):
    outsider = UserFactory(username="oscar", ddets=True, territory=caf.territory)
    with django_capture_on_commit_callbacks(execute=True):
        action = services.save_action(
            objective,
            title="Rendez-vous des droits",
            owner_organisation=caf,
            due_date=datetime.date(ROADMAP_YEAR, 12, 31),
            description="Texte interne à ne pas envoyer",
            actor=commissioner,
        )
    sent = _sent()
    assert [message.to for message in sent] == [[caf_agent.email]]
    message = sent[0]
    assert (
        message.subject
        == f"Pacte – Action 1.1 à piloter – Feuille de route {ROADMAP_YEAR} – Pays de la Loire"
    )
    assert "« Rendez-vous des droits »" in message.body and "Texte interne" not in message.body
    assert (
        f"/feuilles-de-route/{objective.roadmap_id}/" in message.body
    )  # a DDETS of the région reads the draft
    assert outsider.email not in {address for sent_one in sent for address in sent_one.to}
    outbox.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.save_action(objective, action, title="Rendez-vous des droits 2", expected_version=0)
    assert _sent() == []  # same pilot: nobody told again


def test_a_new_pilot_is_told_a_closed_action_tells_nobody(
    objective, caf, caf_agent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        action = services.save_action(objective, title="Permanences", owner_text="Un service hors plateforme")
        services.save_action(
            objective, title="Déjà faite", owner_organisation=caf, status=RoadmapActionStatus.DONE
        )
    assert _sent() == []
    with django_capture_on_commit_callbacks(execute=True):
        services.save_action(objective, action, owner_organisation=caf, expected_version=0)
    assert [message.to for message in _sent()] == [[caf_agent.email]]


def test_the_one_who_acts_is_not_told(objective, caf, caf_agent, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.save_action(objective, title="Permanences", owner_organisation=caf, actor=caf_agent)
    assert _sent() == []


def test_the_region_s_ddets_are_told_of_a_publication(
    roadmap, objective, commissioner, ddets, other_region, django_capture_on_commit_callbacks
):
    elsewhere = UserFactory(
        username="ines", ddets=True, territory=DepartementFactory(code="29", parent=other_region)
    )
    services.save_action(objective, title="Permanences")
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(roadmap, by=commissioner, expected_version=0)
    sent = _sent()
    assert [message.to for message in sent] == [[ddets.email]]
    assert (
        sent[0].subject == f"Pacte – Feuille de route {ROADMAP_YEAR} – Pays de la Loire publiée (version n°1)"
    )
    assert f"/feuilles-de-route/{roadmap.pk}/publique/" in sent[0].body
    assert elsewhere.email not in sent[0].to
