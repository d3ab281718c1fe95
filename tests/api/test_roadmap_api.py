"""API of the regional roadmaps: the published version for everyone (anonymous included), the working version for
the commissioner of the région, the DDETS of the région and national steering; a roadmap never published is a 404
for the same role outside the région and for an anonymous caller."""

import pytest
from django.utils import timezone

from pacte.governance.services import roadmap as services
from tests.accounts.factories import UserFactory
from tests.helpers import api_get, api_queries, ids
from tests.territories.factories import DepartementFactory, RegionFactory

API = "/api/v1/feuilles-de-route/"
YEAR = timezone.localdate().year


@pytest.fixture
def bretagne():
    return RegionFactory(code="53", name="Bretagne")


@pytest.fixture
def commissioner(region):
    return UserFactory(username="alice", commissioner=True, territory=region)


@pytest.fixture
def other_commissioner(bretagne):
    return UserFactory(username="charlie", commissioner=True, territory=bretagne)


@pytest.fixture
def ddets(loire_atlantique):
    return UserFactory(username="bob", ddets=True, territory=loire_atlantique)


@pytest.fixture
def other_ddets(bretagne):
    return UserFactory(username="dan", ddets=True, territory=DepartementFactory(code="29", parent=bretagne))


@pytest.fixture
def published(region, commissioner):
    roadmap = services.create_roadmap(region, YEAR)
    objective = services.save_objective(roadmap, title="Aller vers les publics")
    action = services.save_action(objective, title="Rendez-vous des droits", owner_text="CAF 44")
    services.publish(roadmap, by=commissioner, expected_version=roadmap.lock_version)
    services.save_action(
        objective, action, title="Changée après publication", expected_version=action.lock_version
    )
    roadmap.refresh_from_db()
    return roadmap


@pytest.fixture
def draft(bretagne):
    roadmap = services.create_roadmap(bretagne, YEAR)
    services.save_action(services.save_objective(roadmap, title="Objectif breton"), title="Brouillon breton")
    return roadmap


def test_the_list_shows_published_roadmaps_to_everyone_and_drafts_to_their_readers(
    client, published, draft, other_commissioner, commissioner, other_ddets, ddets
):
    assert ids(api_get(client, API)) == [published.pk]
    assert ids(api_get(client, API, commissioner)) == [published.pk]  # Bretagne's draft: not its région
    assert sorted(ids(api_get(client, API, other_commissioner))) == sorted([published.pk, draft.pk])
    assert sorted(ids(api_get(client, API, other_ddets))) == sorted([published.pk, draft.pk])
    assert ids(api_get(client, API, ddets)) == [published.pk]
    assert ids(api_get(client, API, region="53")) == []
    assert ids(api_get(client, API, other_commissioner, region="53", year=YEAR)) == [draft.pk]


def test_everyone_reads_the_published_version_only_the_region_reads_the_working_one(
    client, published, commissioner, other_commissioner, ddets
):
    url = f"{API}{published.pk}"
    anonymous = api_get(client, url).json()
    assert anonymous["published"]["objectives"][0]["actions"][0]["title"] == "Rendez-vous des droits"
    assert anonymous["working"] is None and anonymous["working_version_readable"] is False
    assert anonymous["url"] == published.get_public_url()
    assert api_get(client, url, other_commissioner).json()["working"] is None
    for reader in (commissioner, ddets):
        body = api_get(client, url, reader).json()
        working_action = body["working"]["objectives"][0]["actions"][0]
        assert working_action["title"] == "Changée après publication"
        assert working_action["owner"] == "CAF 44" and working_action["status"] == "a_engager"
        assert body["url"] == published.get_absolute_url()


def test_a_draft_is_hidden_from_the_same_role_outside_and_from_the_public(
    client, draft, commissioner, other_commissioner, ddets, other_ddets
):
    url = f"{API}{draft.pk}"
    for caller in (None, commissioner, ddets):
        response = api_get(client, url, caller)
        assert response.status_code == 404 and "Feuille de route introuvable" in response.json()["detail"]
    for reader in (other_commissioner, other_ddets):
        body = api_get(client, url, reader).json()
        assert body["published"] is None and body["status"] == "brouillon"
        assert body["working"]["objectives"][0]["actions"][0]["title"] == "Brouillon breton"


def test_the_list_runs_a_fixed_number_of_queries(client, published, region, commissioner, ddets):
    counts = {user: api_queries(client, API, user) for user in (None, commissioner, ddets)}
    for year in (YEAR - 1, YEAR - 2, YEAR - 3):
        services.create_roadmap(region, year)
    for user, count in counts.items():
        assert api_queries(client, API, user) == count
