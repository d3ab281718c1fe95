import pytest

from pacte.screening import perms
from tests.screening.factories import ScreeningJobFactory


@pytest.fixture
def job(users, cog):
    return ScreeningJobFactory(uploader=users["worker"], territory=cog["44"], done=True)


@pytest.mark.parametrize(
    ("who", "may_view", "may_download"),
    [
        ("worker", True, True),
        ("colleague", False, False),
        ("worker35", False, False),
        ("cd44", True, False),
        ("cd35", False, False),
        ("ddets44", True, False),
        ("ddets35", False, False),
        ("commissioner52", True, False),
        ("commissioner53", False, False),
        ("national", True, False),
        ("association", False, False),
        ("nobody", False, False),
    ],
)
def test_who_sees_a_job_and_who_downloads_its_households(users, job, who, may_view, may_download):
    assert perms.can_view_job(users[who], job) is may_view
    assert perms.can_download_results(users[who], job) is may_download


@pytest.mark.parametrize(
    ("who", "may_upload", "may_simulate"),
    [
        ("worker", True, True),
        ("cd44", True, True),
        ("ddets44", False, True),
        ("commissioner52", False, True),
        ("national", False, True),
        ("association", False, True),
        ("nobody", False, False),
    ],
)
def test_only_social_workers_and_collectivites_upload_but_every_role_simulates(
    users, who, may_upload, may_simulate
):
    assert perms.can_upload_households(users[who]) is may_upload
    assert perms.can_use_simulator(users[who]) is may_simulate


def test_a_social_worker_screens_its_territory_and_what_lies_inside_only(users, cog):
    assert perms.can_screen_territory(users["worker"], cog["44"])
    assert perms.can_screen_territory(users["worker"], cog["44109"])
    assert not perms.can_screen_territory(users["worker"], cog["49"])
    assert not perms.can_screen_territory(users["worker"], cog["52"])


def test_the_list_shows_own_jobs_and_for_steering_those_of_its_territory(users, cog, job):
    other = ScreeningJobFactory(uploader=users["worker35"], territory=cog["35"])
    from pacte.screening.models import ScreeningJob

    def visible(who):
        return set(perms.visible_jobs(users[who], ScreeningJob.objects.all()))

    assert visible("worker") == {job}
    assert visible("colleague") == set()
    assert visible("ddets44") == {job}
    assert visible("commissioner53") == {other}
    assert visible("national") == {job, other}
