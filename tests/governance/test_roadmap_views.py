"""The regional roadmap's pages, each with an allowed user, a user of the same role in another région and an
anonymous visitor; the public version shows only what was published; the PDF is a PDF."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from pacte.governance.enums import CommitteeKind
from pacte.governance.roadmap_models import Roadmap, RoadmapAction, RoadmapActionStatus
from pacte.governance.services import roadmap as services
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.governance.factories import ROADMAP_YEAR, CommitteeFactory, DecisionFactory, MeetingFactory
from tests.helpers import assert_access, count_queries, is_login, page


@pytest.fixture
def action(objective):
    partner = OrganisationFactory(name="Secours populaire 44")
    return services.save_action(
        objective,
        title="Rendez-vous des droits dans les quartiers",
        owner_text="DDETS de Loire-Atlantique",
        partners=[partner],
        partners_text="Mission locale de Nantes",
        due_date=timezone.localdate() - datetime.timedelta(days=3),
    )


@pytest.fixture
def gt_decision(region):
    committee = CommitteeFactory(
        territory=region, kind=CommitteeKind.REGIONAL_WORKING_GROUP, name="GT droits"
    )
    meeting = MeetingFactory(committee=committee, starts_at=timezone.now().replace(microsecond=0))
    return DecisionFactory(meeting=meeting, text="Lancer un aller-vers en milieu rural")


def _publish(roadmap, user):
    roadmap.refresh_from_db()
    services.publish(roadmap, by=user, expected_version=roadmap.lock_version)


@pytest.mark.parametrize(
    "name",
    ["governance:roadmap", "governance:roadmap_history"],
)
def test_the_working_version_is_read_by_the_state_services_of_the_region(
    client, name, roadmap, action, ddets, other_commissioner, commissioner
):
    url = reverse(name, kwargs={"pk": roadmap.pk})
    assert_access(client, url, outsider=other_commissioner, allowed=commissioner)
    client.force_login(ddets)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "name",
    ["governance:roadmap_edit", "governance:roadmap_objective_create", "governance:roadmap_action_create"],
)
def test_the_forms_are_for_the_commissioner_of_the_region(
    client, name, roadmap, objective, ddets, other_commissioner, commissioner, national
):
    url = reverse(name, kwargs={"pk": roadmap.pk})
    assert_access(client, url, outsider=other_commissioner, allowed=commissioner)
    client.force_login(ddets)
    assert client.get(url).status_code == 403
    client.force_login(national)
    assert client.get(url).status_code == 200


def test_the_detail_shows_owner_partners_due_date_status_and_overdue(client, roadmap, action, commissioner):
    html = page(client, roadmap.get_absolute_url(), commissioner)
    for expected in (
        "Rendez-vous des droits dans les quartiers",
        "DDETS de Loire-Atlantique",
        "Mission locale de Nantes",
        "Secours populaire 44",
        "À engager",
        "En retard",
        "pas encore publiée",
    ):
        assert expected in html


def test_the_commissioner_adds_an_action_and_publishes(client, roadmap, objective, commissioner):
    client.force_login(commissioner)
    url = reverse("governance:roadmap_action_create", kwargs={"pk": roadmap.pk})
    response = client.post(
        url,
        {
            "objective": objective.pk,
            "title": "Permanences en France Services",
            "status": RoadmapActionStatus.IN_PROGRESS,
            "due_date": f"{ROADMAP_YEAR}-12-31",
            "lock_version": 0,
        },
    )
    assert response.status_code == 302
    action = RoadmapAction.objects.get()
    assert (action.title, action.status) == (
        "Permanences en France Services",
        RoadmapActionStatus.IN_PROGRESS,
    )
    response = client.post(
        reverse("governance:roadmap_action_edit", kwargs={"pk": roadmap.pk, "action_pk": action.pk}),
        {"objective": objective.pk, "title": "", "status": "en_cours", "lock_version": action.lock_version},
    )
    assert response.status_code == 200 and "Rien n’a été enregistré" in response.content.decode()
    roadmap.refresh_from_db()
    response = client.post(
        reverse("governance:roadmap_publish", kwargs={"pk": roadmap.pk}),
        {"lock_version": roadmap.lock_version},
    )
    assert response.status_code == 302
    assert Roadmap.objects.get().is_published


def test_a_stale_action_form_is_refused_with_a_french_message(
    client, roadmap, objective, action, commissioner
):
    client.force_login(commissioner)
    services.save_action(objective, action, title="Changée ailleurs", expected_version=action.lock_version)
    response = client.post(
        reverse("governance:roadmap_action_edit", kwargs={"pk": roadmap.pk, "action_pk": action.pk}),
        {"objective": objective.pk, "title": "Ma version", "status": "en_cours", "lock_version": 0},
    )
    assert "modifiées par quelqu’un d’autre" in response.content.decode()
    assert RoadmapAction.objects.get().title == "Changée ailleurs"


def test_the_public_version_shows_only_the_published_content(
    client, roadmap, objective, action, commissioner
):
    public_url = reverse("governance:roadmap_public", kwargs={"pk": roadmap.pk})
    assert client.get(public_url).status_code == 404
    assert is_login(client.get(roadmap.get_absolute_url()))
    _publish(roadmap, commissioner)
    services.save_action(objective, title="Action encore en préparation")
    html = page(client, public_url)
    assert "Rendez-vous des droits dans les quartiers" in html
    assert "Action encore en préparation" not in html
    # An anonymous visitor or a user outside the région following the working version's link lands on it.
    assert client.get(roadmap.get_absolute_url())["Location"] == public_url
    listed = page(client, reverse("governance:roadmaps"))
    assert roadmap.title in listed and public_url in listed


def test_the_list_hides_a_draft_from_the_public_and_other_regions(client, roadmap, other_commissioner, ddets):
    assert roadmap.title not in page(client, reverse("governance:roadmaps"))
    assert roadmap.title not in page(client, reverse("governance:roadmaps"), other_commissioner)
    assert roadmap.title in page(client, reverse("governance:roadmaps"), ddets)


def test_the_pdf_is_a_pdf(client, roadmap, action, commissioner, other_commissioner):
    url = reverse("governance:roadmap_pdf", kwargs={"pk": roadmap.pk})
    assert is_login(client.get(url))
    client.force_login(other_commissioner)
    assert client.get(url).status_code == 404
    client.force_login(commissioner)
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    _publish(roadmap, commissioner)
    client.logout()
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_a_decision_is_reported_into_the_roadmap(
    client, roadmap, objective, gt_decision, commissioner, other_commissioner
):
    url = reverse("governance:decision_roadmap", kwargs={"pk": gt_decision.pk})
    edit = reverse("governance:decision_edit", kwargs={"pk": gt_decision.pk})
    assert "Reporter dans la feuille de route" in page(client, edit, commissioner)
    assert_access(client, url, outsider=other_commissioner, allowed=commissioner)
    response = client.post(url, {"objective": objective.pk, "title": ""})
    assert response.status_code == 302
    action = RoadmapAction.objects.get()
    assert action.source_decision == gt_decision and action.title == "Lancer un aller-vers en milieu rural"
    assert "Décision n°" in page(client, roadmap.get_absolute_url(), commissioner)
    client.post(url, {"objective": "", "title": ""})
    assert RoadmapAction.objects.count() == 1


def test_a_regional_user_without_the_role_may_not_report(client, roadmap, gt_decision, ddets):
    url = reverse("governance:decision_roadmap", kwargs={"pk": gt_decision.pk})
    client.force_login(ddets)
    assert client.get(url).status_code in (403, 404)


def test_the_association_does_not_read_the_working_version(client, roadmap, loire_atlantique):
    user = UserFactory(association=True, territory=loire_atlantique)
    client.force_login(user)
    assert client.get(roadmap.get_absolute_url()).status_code == 404


def test_a_second_roadmap_for_the_same_year_is_refused_on_the_year(client, region, roadmap, commissioner):
    client.force_login(commissioner)
    url = reverse("governance:roadmap_create")
    response = client.post(url, {"region": region.pk, "year": ROADMAP_YEAR, "title": ""})
    assert response.status_code == 200
    assert (
        f"la feuille de route {ROADMAP_YEAR} de la région Pays de la Loire existe déjà"
        in response.content.decode()
    )
    assert Roadmap.objects.count() == 1
    response = client.post(url, {"region": region.pk, "year": ROADMAP_YEAR + 1, "title": ""})
    assert response.status_code == 302 and Roadmap.objects.count() == 2


def test_a_commissioner_may_not_create_the_roadmap_of_another_region(client, region, other_commissioner):
    client.force_login(other_commissioner)
    response = client.post(reverse("governance:roadmap_create"), {"region": region.pk, "year": ROADMAP_YEAR})
    assert response.status_code == 200 and not Roadmap.objects.exists()


def test_the_history_names_the_partners_added(client, roadmap, objective, action, commissioner):
    added = OrganisationFactory(name="Restos du cœur 44")
    services.save_action(
        objective, action, partners=[*action.partners.all(), added], expected_version=action.lock_version
    )
    html = page(client, reverse("governance:roadmap_history", kwargs={"pk": roadmap.pk}), commissioner)
    assert "partenaires : Secours populaire 44 → Restos du cœur 44, Secours populaire 44" in html
    assert "Action 1.1 « Rendez-vous des droits dans les quartiers »" in html


def test_the_detail_reads_a_fixed_number_of_queries(client, roadmap, objective, action, commissioner):
    few = count_queries(client, roadmap.get_absolute_url(), commissioner)
    for number in range(3):
        more = services.save_objective(roadmap, title=f"Objectif {number}")
        for _ in range(3):
            services.save_action(
                more, title="Action", partners=[OrganisationFactory(), OrganisationFactory()]
            )
    assert count_queries(client, roadmap.get_absolute_url(), commissioner) == few
