from datetime import date

import pytest
from django.urls import reverse

from pacte.programme.models import Axis, Measure, Milestone, Programme, Target
from pacte.programme.services import load_referentiel
from tests.accounts.factories import UserFactory
from tests.programme.factories import MeasureFactory
from tests.territories.factories import RegionFactory


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="alice", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def referentiel():
    RegionFactory(code="52", name="Pays de la Loire")
    load_referentiel(today=date(2025, 3, 1))


@pytest.mark.parametrize(
    "url",
    [
        "/admin/programme/programme/",
        "/admin/programme/axis/",
        "/admin/programme/measure/",
        "/admin/programme/measure/?kind__exact=reforme_associee&q=bourses",
        "/admin/programme/target/",
        "/admin/programme/target/?scope__exact=territoire&q=CALPAE",
        "/admin/programme/milestone/",
        "/admin/programme/milestone/?date_start__year=2023&scope__exact=regional",
    ],
)
def test_the_referentiel_lists_open_for_the_admin(admin_client, referentiel, url):
    assert admin_client.get(url).status_code == 200


def test_each_change_page_opens_with_its_inlines(admin_client, referentiel):
    pages = [
        reverse("admin:programme_programme_change", args=[Programme.objects.get().pk]),
        reverse("admin:programme_axis_change", args=[Axis.objects.get(number=1).pk]),
        reverse("admin:programme_measure_change", args=[Measure.objects.get(code="a1-n5").pk]),
        reverse("admin:programme_target_change", args=[Target.objects.get(code="pdl-copil-reunions").pk]),
        reverse("admin:programme_milestone_change", args=[Milestone.objects.get(code="pdl-negociation").pk]),
    ]
    for page in pages:
        response = admin_client.get(page)
        assert response.status_code == 200, page
    response = admin_client.get(pages[2])
    assert "a1-n5-pass-colo-plafond" in response.content.decode()


def test_the_measure_search_finds_a_measure_by_its_words(admin_client, referentiel):
    response = admin_client.get("/admin/programme/measure/?q=AVIP")

    assert list(response.context["cl"].result_list) == [Measure.objects.get(code="a2-n4")]


def test_a_target_added_through_its_measure_belongs_to_the_programme(admin_client):
    measure = MeasureFactory(code="a9-n1")
    form = {
        "axis": measure.axis.pk,
        "code": measure.code,
        "kind": measure.kind,
        "number_label": measure.number_label,
        "title": measure.title,
        "description": "",
        "order": measure.order,
        "source_file": measure.source_file,
        "targets-TOTAL_FORMS": "1",
        "targets-INITIAL_FORMS": "0",
        "targets-MIN_NUM_FORMS": "0",
        "targets-MAX_NUM_FORMS": "1000",
        "targets-0-code": "a9-n1-nouvelle-cible",
        "targets-0-kind": "cible",
        "targets-0-order": "1",
        "targets-0-label": "Places créées",
        "targets-0-unit": "places",
        "targets-0-scope": "national",
        "targets-0-territory": "",
        "targets-0-baseline_value": "",
        "targets-0-baseline_year": "",
        "targets-0-target_value": "1500",
        "targets-0-target_year": "2027",
        "targets-0-source_file": "saisie dans l'administration",
        "targets-0-source_excerpt": "",
        "targets-0-notes": "",
    }

    response = admin_client.post(reverse("admin:programme_measure_change", args=[measure.pk]), form)

    assert response.status_code == 302
    target = Target.objects.get(code="a9-n1-nouvelle-cible")
    assert target.programme == measure.axis.programme
    assert target.source_hash == ""
