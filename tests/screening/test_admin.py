"""The screening admin: jobs and their links to territoires zéro non-recours are read there, never written (the
links are made on the experiment's page, where the rights and the territory are checked)."""

import pytest
from django.urls import reverse

from pacte.screening.models import ExperimentMoment, ExperimentScreening, ScreeningJob
from tests.accounts.factories import UserFactory
from tests.screening.factories import ScreeningJobFactory
from tests.tznr.factories import ExperimentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    client.force_login(UserFactory(username="alice", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def link(loire_atlantique):
    job = ScreeningJobFactory(done=True, territory=loire_atlantique, write_files=False)
    experiment = ExperimentFactory(name="Pays de Châteaubriant")
    return ExperimentScreening.objects.create(experiment=experiment, job=job, moment=ExperimentMoment.BEFORE)


def test_the_links_are_listed_and_read_but_not_added_or_changed(staff, link):
    listing = staff.get(reverse("admin:screening_experimentscreening_changelist"))
    assert listing.status_code == 200
    assert "Pays de Châteaubriant" in listing.content.decode()
    page = staff.get(reverse("admin:screening_experimentscreening_change", args=[link.pk]))
    assert page.status_code == 200
    assert 'name="moment"' not in page.content.decode()  # read only
    assert staff.get(reverse("admin:screening_experimentscreening_add")).status_code == 403
    response = staff.post(
        reverse("admin:screening_experimentscreening_change", args=[link.pk]), {"moment": "apres"}
    )
    assert response.status_code == 403
    link.refresh_from_db()
    assert link.moment == ExperimentMoment.BEFORE


def test_removing_a_wrong_link_keeps_the_job(staff, link):
    url = reverse("admin:screening_experimentscreening_delete", args=[link.pk])
    assert staff.post(url, {"post": "yes"}).status_code == 302
    assert not ExperimentScreening.objects.exists()
    assert ScreeningJob.objects.filter(pk=link.job_id).exists()


def test_a_user_without_staff_status_is_sent_to_the_admin_login(client, link):
    url = reverse("admin:screening_experimentscreening_changelist")
    client.force_login(UserFactory(national=True))
    assert client.get(url).status_code == 302
