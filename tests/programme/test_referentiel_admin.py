from datetime import date

import pytest
from django.urls import reverse

from pacte.programme.models import Axis, Measure, Milestone, Programme, Target
from pacte.programme.services import load_referentiel, update_target
from tests.accounts.factories import UserFactory
from tests.programme.factories import MeasureFactory, TargetFactory
from tests.territories.factories import RegionFactory


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="alice", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def loaded_referentiel():
    """The committed référentiel file, loaded."""
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
def test_the_referentiel_lists_open_for_the_admin(admin_client, loaded_referentiel, url):
    assert admin_client.get(url).status_code == 200


def test_each_change_page_opens_with_its_inlines(admin_client, loaded_referentiel):
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


def test_the_measure_search_finds_a_measure_by_its_words(admin_client, loaded_referentiel):
    response = admin_client.get("/admin/programme/measure/?q=AVIP")

    assert list(response.context["cl"].result_list) == [Measure.objects.get(code="a2-n4")]


def _measure_form(measure: Measure, *, initial_targets: int) -> dict:
    """The POST of the change page of `measure` with one target form (an existing target or a new one)."""
    return {
        "axis": measure.axis.pk,
        "code": measure.code,
        "kind": measure.kind,
        "number_label": measure.number_label,
        "title": measure.title,
        "description": "",
        "order": measure.order,
        "source_file": measure.source_file,
        "targets-TOTAL_FORMS": "1",
        "targets-INITIAL_FORMS": str(initial_targets),
        "targets-MIN_NUM_FORMS": "0",
        "targets-MAX_NUM_FORMS": "1000",
    }


def test_a_target_added_through_its_measure_belongs_to_the_programme(admin_client):
    measure = MeasureFactory(code="a9-n1")
    form = {
        **_measure_form(measure, initial_targets=0),
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
        "targets-0-comparison": "niveau",
        "targets-0-source_file": "saisie dans l'administration",
        "targets-0-source_excerpt": "",
        "targets-0-notes": "",
    }

    response = admin_client.post(reverse("admin:programme_measure_change", args=[measure.pk]), form)

    assert response.status_code == 302
    target = Target.objects.get(code="a9-n1-nouvelle-cible")
    assert target.programme == measure.axis.programme
    assert target.source_hash == ""


def _target_form(target: Target, **changes) -> dict:
    """The POST of the change page of `target`, as the page was read (its version included)."""
    data = {
        "measure": target.measure_id or "",
        "programme": target.programme_id,
        "code": target.code,
        "kind": target.kind,
        "label": target.label,
        "unit": target.unit,
        "baseline_value": target.baseline_value if target.baseline_value is not None else "",
        "baseline_year": target.baseline_year or "",
        "target_value": target.target_value if target.target_value is not None else "",
        "target_year": target.target_year or "",
        "comparison": target.comparison,
        "horizon_source": target.horizon_source,
        "baseline_source": target.baseline_source,
        "in_force_on": target.in_force_on or "",
        "in_force_source": target.in_force_source,
        "contracts_reason": target.contracts_reason,
        "scope": target.scope,
        "territory": target.territory_id or "",
        "source_file": target.source_file,
        "source_excerpt": target.source_excerpt,
        "notes": target.notes,
        "order": target.order,
        "expected_version": target.lock_version,
    }
    return {**data, **changes}


def test_a_target_corrected_in_the_admin_goes_through_the_service(admin_client):
    target = TargetFactory(code="places-creches", label="Places en crèche")
    url = reverse("admin:programme_target_change", args=[target.pk])
    assert 'name="expected_version" value="0"' in admin_client.get(url).content.decode()

    response = admin_client.post(url, _target_form(target, target_value="2000"))

    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.target_value, target.lock_version) == (2000, 1)


def test_a_target_changed_since_the_admin_page_was_read_is_refused(admin_client):
    target = TargetFactory(code="places-creches", label="Places en crèche")
    read = _target_form(target)
    update_target(target, expected_version=0, notes="corrigé par l'API")

    response = admin_client.post(
        reverse("admin:programme_target_change", args=[target.pk]), {**read, "target_value": "2000"}
    )

    assert response.status_code == 200
    assert "modifiées par quelqu’un d’autre" in response.content.decode()
    target.refresh_from_db()
    assert (target.target_value, target.notes) == (1000, "corrigé par l'API")


def test_a_target_that_breaks_a_rule_is_refused_on_its_field_in_the_admin(admin_client):
    target = TargetFactory(code="places-creches", label="Places en crèche")

    response = admin_client.post(
        reverse("admin:programme_target_change", args=[target.pk]),
        _target_form(target, target_value="", target_year=""),
    )

    assert response.status_code == 200
    assert "Une cible doit avoir une valeur cible." in response.content.decode()
    assert Target.objects.get(pk=target.pk).target_value == 1000


def test_a_target_corrected_through_its_measure_goes_through_the_service(admin_client):
    target = TargetFactory(code="places-creches", label="Places en crèche")
    measure = target.measure
    form = {
        **_measure_form(measure, initial_targets=1),
        **{
            f"targets-0-{name}": value
            for name, value in _target_form(target, label="Places en crèche ouvertes").items()
            if name not in ("measure", "programme")
        },
        "targets-0-id": target.pk,
        "targets-0-measure": measure.pk,
    }

    response = admin_client.post(reverse("admin:programme_measure_change", args=[measure.pk]), form)

    assert response.status_code == 302
    target.refresh_from_db()
    assert (target.label, target.lock_version) == ("Places en crèche ouvertes", 1)


def test_the_programme_budget_is_written_as_on_the_public_pages(admin_client, loaded_referentiel):
    content = admin_client.get("/admin/programme/programme/").content.decode()
    assert "20\u202fMd€" in content
    assert "20000000000" not in content
