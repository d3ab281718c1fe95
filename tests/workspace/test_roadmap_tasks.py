"""The regional roadmap in « Mon espace »: its open actions late or due within 30 days, for the members of the
pilot organisation and the commissioner of the région; not for the commissioner of another région, not for
national steering, not for a closed action or one due later; the link each may follow."""

import datetime

import pytest

from pacte.governance.roadmap_models import RoadmapActionStatus
from pacte.governance.services import roadmap as services
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.workspace.factories import TODAY, tasks_of, titles


@pytest.fixture
def caf(places):
    return OrganisationFactory(name="CAF de Loire-Atlantique", territory=places.loire_atlantique)


@pytest.fixture
def caf_agent(caf, places):
    return UserFactory(username="carla", ddets=True, organisation=caf, territory=places.loire_atlantique)


@pytest.fixture
def objective(places):
    roadmap = services.create_roadmap(places.pays_de_la_loire, TODAY.year)
    return services.save_objective(roadmap, title="Aller vers")


def _action(objective, title, due, caf=None, **fields):
    return services.save_action(objective, title=title, due_date=due, owner_organisation=caf, **fields)


def test_late_and_soon_due_actions_for_the_commissioner_and_the_pilot(
    objective, caf, caf_agent, commissioner, other_commissioner, national
):
    late = _action(objective, "En retard", TODAY - datetime.timedelta(days=3), caf)
    _action(objective, "Bientôt", TODAY + datetime.timedelta(days=30), caf)
    _action(objective, "Plus tard", TODAY + datetime.timedelta(days=31), caf)
    _action(objective, "Réalisée", TODAY - datetime.timedelta(days=3), caf, status=RoadmapActionStatus.DONE)
    _action(objective, "Sans pilote", TODAY + datetime.timedelta(days=2))
    assert titles(commissioner, "roadmap_actions") == [
        "Action 1.1 – En retard",
        "Action 1.5 – Sans pilote",
        "Action 1.2 – Bientôt",
    ]
    assert titles(caf_agent, "roadmap_actions") == ["Action 1.1 – En retard", "Action 1.2 – Bientôt"]
    assert tasks_of(other_commissioner, "roadmap_actions") == []
    assert tasks_of(national, "roadmap_actions") == []
    [first, *_] = tasks_of(commissioner, "roadmap_actions")
    assert first.due_on == late.due_date and first.detail.endswith("en retard")
    assert first.url.endswith(f"/actions/{late.pk}/modifier/")
    # The pilot is a DDETS of the région: it reads the working version.
    assert tasks_of(caf_agent, "roadmap_actions")[0].url == objective.roadmap.get_absolute_url()


def test_a_pilot_who_may_not_read_the_draft_follows_the_published_version_or_sees_nothing(
    objective, caf, places, commissioner
):
    association_member = UserFactory(
        username="amel", association=True, organisation=caf, territory=places.loire_atlantique
    )
    _action(objective, "Permanences", TODAY + datetime.timedelta(days=5), caf)
    assert tasks_of(association_member, "roadmap_actions") == []  # never published, not readable
    roadmap = objective.roadmap
    services.publish(roadmap, by=commissioner, expected_version=roadmap.lock_version)
    [task] = tasks_of(association_member, "roadmap_actions")
    assert task.url == roadmap.get_public_url()
