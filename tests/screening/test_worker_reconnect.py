"""The rights worker when the database goes away (issue 16): it says « prêt », waits with a growing delay, closes
its connections, logs « base de nouveau joignable » when the database answers again, and never stops for that. A
job it was running stays « en cours » and is failed as stalled, as for a killed worker. It also writes its sign
of life for `/sante/`, while idle and while a job runs."""

import logging
import os
import signal
import time
from datetime import timedelta

import pytest
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from pacte.screening import jobs
from pacte.screening.enums import JobStatus
from tests.screening.factories import submit


class Outage:
    """`claim_next` (or `run`) failing `times` times as on a stopped database, then the real one; the worker is
    stopped (SIGTERM, as systemd does) once the database answered again and nothing is left to do."""

    def __init__(self, monkeypatch, times: int, error=OperationalError, where: str = "claim_next"):
        self.left = times
        self.error = error
        self.pauses: list[float] = []
        self.closed = 0
        self.real = getattr(jobs, where)
        self.real_claim = jobs.claim_next
        monkeypatch.setattr(jobs, where, self.failing)
        if where != "claim_next":
            monkeypatch.setattr(jobs, "claim_next", self.claim_then_stop)
        else:
            self.real = self.claim_then_stop
        monkeypatch.setattr(jobs, "_pause", lambda seconds, stopped: self.pauses.append(seconds))
        # Closing the test's connection would end its transaction: count the calls instead.
        monkeypatch.setattr(jobs, "_close_connections", self.close)

    def close(self):
        self.closed += 1

    def failing(self, *args, **kwargs):
        if self.left:
            self.left -= 1
            raise self.error("server closed the connection unexpectedly")
        return self.real(*args, **kwargs)

    def claim_then_stop(self):
        job = self.real_claim()
        if job is None:
            os.kill(os.getpid(), signal.SIGTERM)
        return job


@pytest.fixture
def worker_log(caplog):
    caplog.set_level(logging.INFO, logger="pacte.screening.jobs")
    return caplog


def _messages(caplog) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == "pacte.screening.jobs"]


def test_the_worker_survives_the_database_going_away_and_says_when_it_is_back(monkeypatch, worker_log):
    outage = Outage(monkeypatch, times=2)
    assert jobs.work(poll=0.01) == 0
    messages = _messages(worker_log)
    assert messages[0].startswith("traitement par lot prêt : processus ") and str(os.getpid()) in messages[0]
    assert "résultats conservés 30 jours" in messages[0]
    assert messages[1:4] == [
        "base de données injoignable (OperationalError) : nouvel essai dans 2 s",
        "base de données injoignable (OperationalError) : nouvel essai dans 4 s",
        "base de nouveau joignable",
    ]
    assert [r.levelname for r in worker_log.records if r.name == "pacte.screening.jobs"][1:4] == [
        "WARNING",
        "WARNING",
        "INFO",
    ]
    assert outage.pauses == [2.0, 4.0] and outage.closed == 2
    assert timezone.now() - jobs.last_worker_beat() < timedelta(minutes=1)


def test_the_wait_doubles_up_to_a_minute_and_an_interface_error_counts_too(monkeypatch, worker_log):
    outage = Outage(monkeypatch, times=8, error=InterfaceError)
    jobs.work(poll=0.01)
    assert outage.pauses == [2.0, 4.0, 8.0, 16.0, 32.0, 60.0, 60.0, 60.0]
    assert _messages(worker_log).count("base de nouveau joignable") == 1


def test_a_job_cut_by_the_database_stays_running_then_fails_as_stalled(users, cog, monkeypatch, worker_log):
    job = submit(users["worker"], cog["44"])
    outage = Outage(monkeypatch, times=1, where="run")
    assert jobs.work(poll=0.01) == 0, "the job did not end"
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.upload_name, "as a killed worker leaves it"
    assert f"screening job {job.pk} interrupted: database unavailable (OperationalError)" in " ".join(
        _messages(worker_log)
    )
    assert outage.pauses == [2.0]
    assert jobs.fail_stale(timezone.now() + jobs.STALE_AFTER + timedelta(seconds=1)) == 1
    job.refresh_from_db()
    assert (job.status, job.error, job.upload_name) == (JobStatus.FAILED, jobs.STALE, "")


def test_a_single_run_reports_the_database_error_to_its_caller(monkeypatch):
    outage = Outage(monkeypatch, times=1)
    with pytest.raises(OperationalError):
        jobs.work(once=True)
    assert outage.pauses == []


def test_the_worker_gives_a_sign_of_life_while_a_job_runs_and_not_once_it_ended(monkeypatch):
    job_beats, worker_beats = [], []
    running = [True]
    monkeypatch.setattr(jobs, "HEARTBEAT_EVERY", 0.01)
    # The thread's own database connection is not needed here (as in test_worker_faults.py).
    monkeypatch.setattr(jobs, "beat", lambda pk: job_beats.append(pk) or running[0])
    monkeypatch.setattr(jobs, "worker_beat", lambda: worker_beats.append(time.monotonic()))
    with jobs._Heartbeat(7):
        time.sleep(0.2)
    assert worker_beats and len(worker_beats) == len(job_beats), "one sign of life of the worker per job beat"
    running[0] = False  # the job was ended elsewhere: the thread keeps quiet for the worker
    worker_beats.clear()
    with jobs._Heartbeat(7):
        time.sleep(0.1)
    assert worker_beats == []


def test_the_worker_run_once_sends_the_queued_mails_too():
    from django.core import mail as outbox
    from django.core.mail import EmailMessage

    from pacte.core import mail

    mail.queue(EmailMessage(subject="Convocation", body="Réunion", to=["membre@example.org"]))
    jobs.work(once=True)
    assert [message.subject for message in outbox.outbox] == ["Convocation"]
    assert mail.OutgoingMail.objects.get().status == mail.MailStatus.SENT
