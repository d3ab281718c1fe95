"""API of the mécénat de proximité: the public projects for everyone, the followed ones (withdrawn included) for
the association, the commissioner of the région and national steering; the pledges only for them; a company never
named without its consent, its SIRET and contact never given."""

import datetime

import pytest
from django.utils import timezone

from pacte.grants.enums import ApplicationStatus
from pacte.sponsorship.enums import PledgeStatus, PublicationStatus
from tests.accounts.factories import UserFactory
from tests.grants.factories import ApplicationFactory, AssociationFactory, CallFactory
from tests.helpers import api_get, api_queries, ids
from tests.sponsorship.factories import CompanyFactory, PledgeFactory, PublishedProjectFactory
from tests.territories.factories import CommuneFactory, DepartementFactory, RegionFactory

API = "/api/v1/mecenat/projets/"


@pytest.fixture
def bretagne():
    return RegionFactory(code="53", name="Bretagne")


@pytest.fixture
def association(loire_atlantique):
    return AssociationFactory(name="Entraide", territory=loire_atlantique)


@pytest.fixture
def member(association, loire_atlantique):
    return UserFactory(username="bob", association=True, organisation=association, territory=loire_atlantique)


@pytest.fixture
def other_member(bretagne):
    finistere = DepartementFactory(code="29", parent=bretagne)
    return UserFactory(
        username="dan",
        association=True,
        organisation=AssociationFactory(territory=finistere),
        territory=finistere,
    )


@pytest.fixture
def commissioner(region):
    return UserFactory(username="alice", commissioner=True, territory=region)


@pytest.fixture
def other_commissioner(bretagne):
    return UserFactory(username="charlie", commissioner=True, territory=bretagne)


def _project(region, association, territory, title, **fields):
    application = ApplicationFactory(
        call=CallFactory(region=region),
        organisation=association,
        territory=territory,
        status=ApplicationStatus.SELECTED,
        project_title=title,
    )
    return PublishedProjectFactory(application=application, **fields)


@pytest.fixture
def projects(region, association, loire_atlantique):
    public = _project(region, association, loire_atlantique, "Épicerie solidaire")
    withdrawn = _project(
        region,
        association,
        loire_atlantique,
        "Projet retiré",
        status=PublicationStatus.WITHDRAWN,
        association_consent=False,
    )
    past = _project(
        region,
        association,
        loire_atlantique,
        "Échéance passée",
        deadline=timezone.localdate() - datetime.timedelta(days=1),
    )
    return public, withdrawn, past


def test_the_public_lists_the_open_projects_followers_list_theirs(
    client, projects, member, other_member, commissioner, other_commissioner
):
    public, withdrawn, past = projects
    assert ids(api_get(client, API)) == [public.pk]
    assert ids(api_get(client, API, other_member)) == [public.pk]
    assert ids(api_get(client, API, other_commissioner)) == [public.pk]
    for follower in (member, commissioner):
        assert sorted(ids(api_get(client, API, follower))) == sorted([public.pk, withdrawn.pk, past.pk])
    assert ids(api_get(client, API, region="52")) == [public.pk]
    assert ids(api_get(client, API, region="53")) == []
    item = api_get(client, API).json()["items"][0]
    assert item["title"] == "Épicerie solidaire" and item["association"] == "Entraide"
    assert item["money_wanted"] == "5000.00" and item["region"]["code"] == "52"


def test_pledges_are_for_followers_and_a_company_is_named_only_with_its_consent(
    client, projects, member, other_member, commissioner, other_commissioner, loire_atlantique
):
    public, withdrawn, _ = projects
    nantes = CommuneFactory(code="44109", parent=loire_atlantique)
    named = CompanyFactory(name="Boulangerie Dupont", commune=nantes, publish_name=True)
    discreet = CompanyFactory(name="Entreprise discrète", commune=nantes)
    PledgeFactory(project=public, company=named, status=PledgeStatus.ACCEPTED)
    PledgeFactory(project=public, company=discreet, status=PledgeStatus.DELIVERED)
    url = f"{API}{public.pk}"
    for outsider in (None, other_member, other_commissioner):
        body = api_get(client, url, outsider).json()
        assert body["supporters"] == ["Boulangerie Dupont"] and body["pledges"] is None
        assert "discrète" not in str(body) and named.siret not in str(body)
    for follower in (member, commissioner):
        body = api_get(client, url, follower).json()
        assert sorted(pledge["company"] for pledge in body["pledges"]) == [
            "Boulangerie Dupont",
            "Entreprise discrète",
        ]
        assert named.siret not in str(body) and named.contact_email not in str(body)
    hidden = f"{API}{withdrawn.pk}"
    for outsider in (None, other_member, other_commissioner):
        response = api_get(client, hidden, outsider)
        assert response.status_code == 404 and "Projet introuvable" in response.json()["detail"]
    assert api_get(client, hidden, member).json()["pledges"] == []


def test_the_list_runs_a_fixed_number_of_queries(
    client, projects, region, association, loire_atlantique, member
):
    counts = {user: api_queries(client, API, user) for user in (None, member)}
    for number in range(4):
        _project(region, association, loire_atlantique, f"Projet {number}")
    for user, count in counts.items():
        assert api_queries(client, API, user) == count
