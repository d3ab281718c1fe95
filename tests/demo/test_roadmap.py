"""The roadmap demo (pacte.demo.roadmap, data/roadmap.yaml): the Pays de la Loire's roadmap of the year, its
objectives and actions (three from a working group's decision, one late), published once, flagged « donnée
fictive », nobody mailed; reloading duplicates nothing."""

import pytest
from django.core import mail as outbox
from django.core.exceptions import ImproperlyConfigured

from pacte.core.models import OutgoingMail
from pacte.demo.common import DemoDataError, user
from pacte.demo.contracts import load_contracts_demo
from pacte.demo.governance import load_governance_demo
from pacte.demo.roadmap import load_roadmap_demo
from pacte.governance.roadmap_models import Roadmap, RoadmapAction, RoadmapStatus
from tests.demo.factories import TODAY
from tests.workspace.factories import titles


def test_it_refuses_to_load_outside_demo_mode(settings):
    settings.DEMO_MODE = False
    with pytest.raises(ImproperlyConfigured):
        load_roadmap_demo(today=TODAY)


def test_it_needs_the_governance_demo_first(prerequisites):
    with pytest.raises(DemoDataError, match="chargez d'abord la gouvernance"):
        load_roadmap_demo(today=TODAY)
    assert not Roadmap.objects.exists()  # one transaction: nothing half-loaded


def test_the_demo_roadmap_is_published_fed_by_the_working_groups_and_reloadable(prerequisites, client):
    load_contracts_demo(today=TODAY)
    load_governance_demo(today=TODAY)
    report = load_roadmap_demo(today=TODAY)
    assert "données fictives" in report.summary()
    roadmap = Roadmap.objects.get()
    assert (roadmap.region.code, roadmap.year) == ("52", TODAY.year)
    assert roadmap.is_demo and roadmap.status == RoadmapStatus.PUBLISHED and roadmap.publication_number == 1
    actions = RoadmapAction.objects.filter(objective__roadmap=roadmap)
    assert actions.count() == 7
    from_decisions = actions.exclude(source_decision=None)
    assert from_decisions.count() == 3
    assert all(action.source_decision.meeting.committee.kind == "gt_regional" for action in from_decisions)
    assert sum(action.is_overdue_on(TODAY) for action in actions) == 1
    assert actions.get(title__startswith="Tenir des rendez-vous").partners.count() == 2
    assert outbox.outbox == [] and not OutgoingMail.objects.exists()
    # « Mon espace »: the commissioner sees the late action and those due within 30 days.
    commissioner_tasks = titles(user("commissaire-pdl"), "roadmap_actions", TODAY)
    assert "Action 1.3 – Recenser les permanences d'accès aux droits en milieu rural" in commissioner_tasks
    assert "Action 1.1 – Tenir des rendez-vous des droits dans chaque département" in commissioner_tasks
    assert titles(user("ddets44"), "roadmap_actions", TODAY) == [
        "Action 1.1 – Tenir des rendez-vous des droits dans chaque département"
    ]
    public = client.get(roadmap.get_public_url())
    assert public.status_code == 200 and "Propositions du GT Accès aux droits" in public.content.decode()
    again = load_roadmap_demo(today=TODAY)
    assert Roadmap.objects.count() == 1 and actions.count() == 7
    assert "laissées telles quelles" in again.summary()
