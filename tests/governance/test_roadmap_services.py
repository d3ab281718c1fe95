"""The regional roadmap's services: one per région and year, objectives and actions numbered, optimistic locking,
publication frozen, and the actions a regional working group's decision creates then updates."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from pacte.core.locking import StaleEditError
from pacte.governance import perms
from pacte.governance.enums import CommitteeKind, DecisionStatus
from pacte.governance.roadmap_models import RoadmapAction, RoadmapActionStatus, RoadmapStatus
from pacte.governance.services import roadmap as services
from pacte.governance.services.decisions import update_decision
from tests.accounts.factories import OrganisationFactory
from tests.governance.factories import ROADMAP_YEAR, CommitteeFactory, DecisionFactory, MeetingFactory


@pytest.fixture
def working_group(region):
    return CommitteeFactory(
        territory=region, kind=CommitteeKind.REGIONAL_WORKING_GROUP, name="GT régional accès aux droits"
    )


@pytest.fixture
def gt_decision(working_group):
    meeting = MeetingFactory(committee=working_group, starts_at=timezone.now().replace(microsecond=0))
    owner = OrganisationFactory(name="CAF de Loire-Atlantique")
    return DecisionFactory(
        meeting=meeting,
        text="Organiser des rendez-vous des droits dans chaque département\nDétails à préciser.",
        owner_organisation=owner,
        due_date=datetime.date(ROADMAP_YEAR, 11, 30),
    )


def test_a_region_has_one_roadmap_per_year(region, roadmap):
    assert roadmap.title == f"Feuille de route régionale {ROADMAP_YEAR} – Pays de la Loire"
    assert roadmap.status == RoadmapStatus.DRAFT
    with pytest.raises(ValidationError) as refused:
        services.create_roadmap(region, ROADMAP_YEAR)
    assert "existe déjà" in refused.value.message_dict["year"][0]
    assert services.create_roadmap(region, ROADMAP_YEAR + 1).year == ROADMAP_YEAR + 1


def test_it_refuses_a_departement_or_a_year_outside_the_pacte(loire_atlantique, region):
    with pytest.raises(ValidationError) as refused:
        services.create_roadmap(loire_atlantique, 2050)
    assert set(refused.value.message_dict) == {"region", "year"}


def test_objectives_and_actions_are_numbered(roadmap, objective):
    second = services.save_objective(roadmap, title="Deuxième objectif")
    assert (objective.number, second.number) == (1, 2)
    first = services.save_action(objective, title="Première action")
    other = services.save_action(objective, title="Deuxième action", status=RoadmapActionStatus.IN_PROGRESS)
    assert (first.number, other.number) == (1, 2)
    moved = services.save_action(second, first, title="Déplacée", expected_version=first.lock_version)
    assert (moved.objective, moved.number) == (second, 1)


def test_an_action_needs_a_title_named_in_french(objective):
    with pytest.raises(ValidationError) as refused:
        services.save_action(objective, title="  ")
    assert refused.value.message_dict["title"] == ["Intitulé : indiquez l'intitulé de l'action."]
    assert not RoadmapAction.objects.exists()


def test_two_people_editing_an_action_do_not_overwrite_each_other(objective):
    action = services.save_action(objective, title="Action")
    read = action.lock_version
    services.save_action(objective, action, status=RoadmapActionStatus.DONE, expected_version=read)
    with pytest.raises(StaleEditError):
        services.save_action(
            objective,
            RoadmapAction.objects.get(pk=action.pk),
            status=RoadmapActionStatus.DROPPED,
            expected_version=read,
        )
    assert RoadmapAction.objects.get(pk=action.pk).status == RoadmapActionStatus.DONE


def test_publication_freezes_what_the_public_reads(roadmap, objective, commissioner):
    with pytest.raises(ValidationError):
        services.publish(roadmap, by=commissioner, expected_version=roadmap.lock_version)
    action = services.save_action(objective, title="Version publiée")
    services.publish(roadmap, by=commissioner, expected_version=roadmap.lock_version)
    roadmap.refresh_from_db()
    assert roadmap.status == RoadmapStatus.PUBLISHED and roadmap.publication_number == 1
    services.save_action(objective, action, title="Changée après", expected_version=action.lock_version)
    roadmap.refresh_from_db()
    published = roadmap.published_content["objectives"][0]["actions"][0]
    assert published["title"] == "Version publiée"
    with pytest.raises(StaleEditError):
        services.publish(roadmap, by=commissioner, expected_version=roadmap.lock_version - 1)


def test_a_working_group_decision_creates_then_updates_its_action(roadmap, objective, gt_decision):
    action, created = services.action_from_decision(gt_decision, objective=objective)
    assert created
    assert action.title == "Organiser des rendez-vous des droits dans chaque département"
    assert action.owner_label == "CAF de Loire-Atlantique"
    assert (action.status, action.due_date) == (
        RoadmapActionStatus.TO_START,
        datetime.date(ROADMAP_YEAR, 11, 30),
    )
    assert action.source_decision == gt_decision

    update_decision(
        gt_decision,
        expected_version=gt_decision.lock_version,
        status=DecisionStatus.DONE,
        due_date=datetime.date(ROADMAP_YEAR, 10, 1),
    )
    again, created = services.action_from_decision(gt_decision)
    assert not created and again.pk == action.pk
    assert (again.status, again.due_date) == (RoadmapActionStatus.DONE, datetime.date(ROADMAP_YEAR, 10, 1))
    assert RoadmapAction.objects.count() == 1


def test_a_decision_needs_the_roadmap_of_its_year_and_an_objective(region, gt_decision):
    with pytest.raises(ValidationError) as refused:
        services.action_from_decision(gt_decision)
    assert "pas encore de feuille de route" in refused.value.message_dict["objective"][0]
    other_year = services.create_roadmap(region, ROADMAP_YEAR + 1)
    elsewhere = services.save_objective(other_year, title="L'an prochain")
    services.create_roadmap(region, ROADMAP_YEAR)
    with pytest.raises(ValidationError) as refused:
        services.action_from_decision(gt_decision, objective=elsewhere)
    assert "Objectif" in refused.value.message_dict["objective"][0]


def test_a_decision_of_a_departemental_committee_does_not_feed_the_roadmap(
    loire_atlantique, roadmap, objective
):
    committee = CommitteeFactory(territory=loire_atlantique, kind=CommitteeKind.AXIS_COMMITTEE, axis=None)
    decision = DecisionFactory(meeting=MeetingFactory(committee=committee))
    assert perms.roadmap_region_of(committee) is None
    with pytest.raises(ValidationError):
        services.action_from_decision(decision, objective=objective)


def test_who_edits_and_who_reads_the_working_version(
    region, other_region, commissioner, other_commissioner, ddets, national
):
    assert perms.can_edit_roadmap(commissioner, region) and perms.can_edit_roadmap(national, region)
    assert not perms.can_edit_roadmap(other_commissioner, region)
    assert not perms.can_edit_roadmap(ddets, region)
    assert perms.can_read_roadmap_draft(ddets, region)
    assert not perms.can_read_roadmap_draft(ddets, other_region)
    assert not perms.can_read_roadmap_draft(other_commissioner, region)
