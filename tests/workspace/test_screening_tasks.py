"""The batch jobs of the access to rights in « Mon espace »: the uploader's, finished in the last 30 days or since
its last visit; never a household."""

import datetime

import pytest
from django.utils import timezone

from pacte.screening.models import ScreeningJob
from tests.accounts.factories import UserFactory
from tests.helpers import page
from tests.screening.factories import ScreeningJobFactory
from tests.workspace.factories import tasks_of


@pytest.fixture
def worker(places):
    return UserFactory(username="sacha", social_worker=True)


def test_the_uploader_sees_its_finished_jobs_with_the_day_their_results_are_deleted(worker, places, ddets):
    job = ScreeningJobFactory(uploader=worker, territory=places.loire_atlantique, done=True)
    ScreeningJobFactory(uploader=worker, territory=places.loire_atlantique, running=True)
    [task] = tasks_of(worker, "screening_jobs")
    assert task.due_on == timezone.localdate(job.results_expire_at)
    assert task.url == job.get_absolute_url()
    assert tasks_of(ddets, "screening_jobs") == []  # it follows the job's counts, the task is the uploader's


def test_a_failed_job_is_listed_without_due_date(worker, places):
    ScreeningJobFactory(uploader=worker, territory=places.loire_atlantique, failed=True)
    [task] = tasks_of(worker, "screening_jobs")
    assert task.due_on is None and task.action == "Voir le traitement"


def test_a_job_finished_long_before_the_last_visit_is_not_listed(worker, places):
    job = ScreeningJobFactory(uploader=worker, territory=places.loire_atlantique, done=True)
    ScreeningJob.objects.filter(pk=job.pk).update(finished_at=timezone.now() - datetime.timedelta(days=40))
    worker.last_login = timezone.now() - datetime.timedelta(days=2)
    assert tasks_of(worker, "screening_jobs") == []
    worker.last_login = timezone.now() - datetime.timedelta(
        days=60
    )  # away for two months: since its last visit
    assert len(tasks_of(worker, "screening_jobs")) == 1


def test_the_page_names_the_file_never_a_household(client, worker, places):
    ScreeningJobFactory(
        uploader=worker, territory=places.loire_atlantique, done=True, file_name="menages-mai.csv"
    )
    html = page(client, "/mon-espace/", worker)
    assert "menages-mai.csv" in html
    assert "Traitements par lot terminés (1)" in html
    assert "foyer" not in html.split("Traitements par lot terminés")[1].split("</section>")[0]
