"""`GET /sante/` (issue 16): 200 when the database answers and the rights worker gave a recent sign of life, a
503 in JSON otherwise — the database stopped included, where every other page gets the French HTML 503."""

from datetime import timedelta

import pytest
from django.db import OperationalError
from django.db.backends import utils
from django.utils import timezone

from pacte.core import logs
from pacte.screening import jobs
from pacte.screening.models import WorkerHeartbeat

URL = "/sante/"


@pytest.fixture
def database_down(monkeypatch):
    """During the test, every statement but a transaction's own fails, as on a stopped PostgreSQL server."""
    original = utils.CursorWrapper._execute
    down = [True]

    def execute(cursor, sql, *args, **kwargs):
        if down[0] and not str(sql).lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            raise OperationalError("server closed the connection unexpectedly")
        return original(cursor, sql, *args, **kwargs)

    monkeypatch.setattr(utils.CursorWrapper, "_execute", execute)
    yield
    down[0] = False  # before the test database is rolled back


def _health(client, **headers):
    response = client.get(URL, **headers)
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]
    return response, response.json()


def test_a_fresh_heartbeat_and_a_database_that_answers_give_200(client):
    jobs.worker_beat()
    response, body = _health(client)
    assert response.status_code == 200
    assert (body["base"], body["worker"]) == ("ok", "ok")
    assert body["version"] == logs.version() and body["version"].startswith("0.")
    heure = timezone.datetime.fromisoformat(body["heure"])
    assert heure.utcoffset() in (timedelta(hours=1), timedelta(hours=2)), "Paris time, with its offset"
    assert abs(heure - timezone.now()) < timedelta(minutes=1)


def test_it_is_open_to_anonymous_visitors_sets_no_cookie_and_is_never_kept(client, settings):
    settings.PACTE_PAGE_CACHE_SECONDS = 300
    jobs.worker_beat()
    first, _ = _health(client)
    assert first.status_code == 200 and not first.cookies
    assert "X-Pacte-Cache" not in first
    WorkerHeartbeat.objects.all().delete()
    second, body = _health(client)
    assert second.status_code == 503 and body["worker"] == "absent", "a second probe is answered afresh"


def test_no_worker_ever_seen_is_a_503_absent(client):
    response, body = _health(client)
    assert response.status_code == 503
    assert (body["base"], body["worker"]) == ("ok", "absent")
    assert response["Retry-After"] == "30"


def test_a_stale_heartbeat_is_a_503_late_after_the_configured_delay(client, settings):
    jobs.worker_beat(now=timezone.now() - timedelta(seconds=301))
    response, body = _health(client)
    assert response.status_code == 503 and body["worker"] == "en retard"
    settings.PACTE_WORKER_STALE_SECONDS = 600
    response, body = _health(client)
    assert response.status_code == 200 and body["worker"] == "ok"


def test_a_database_that_does_not_answer_is_a_503_in_json_not_the_html_page(client, database_down):
    response, body = _health(client)
    assert response.status_code == 503
    assert (body["base"], body["worker"]) == ("injoignable", "inconnu")
    assert body["version"] and body["heure"]
    assert "Service momentanément indisponible" not in response.content.decode()


def test_only_get_and_head_are_answered(client):
    jobs.worker_beat()
    assert client.head(URL).status_code == 200
    assert client.post(URL).status_code == 405


def test_the_heartbeat_is_one_row_that_every_worker_overwrites():
    earlier = timezone.now() - timedelta(minutes=3)
    jobs.worker_beat(now=earlier)
    assert jobs.last_worker_beat() == earlier
    jobs.worker_beat()
    assert WorkerHeartbeat.objects.count() == 1
    assert jobs.last_worker_beat() > earlier


def test_the_version_names_the_release_commit_when_the_file_says_it(tmp_path):
    (tmp_path / "none").mkdir()
    assert logs.version(tmp_path / "none") == logs.version()  # no REVISION file: the package's version alone
    for name, text, expected in [
        ("release", "3f2c9ab\n", f"{logs.version()} (3f2c9ab)"),
        ("unsafe", "<script>\n", logs.version()),
    ]:
        (tmp_path / name).mkdir()
        (tmp_path / name / "REVISION").write_text(text, encoding="utf-8")
        assert logs.version(tmp_path / name) == expected
