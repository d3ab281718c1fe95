"""Faults of the rights worker (issue 15): stopped (SIGTERM) or killed in the middle of a job, a job ended
elsewhere while it ran, the results disk full, and the modes of the private files. The scripted drill on a real
worker process is scripts/drill_worker.sh (its output is quoted in docs/deploiement.md)."""

import errno
import os
import signal
import stat
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from pacte.rights import detect
from pacte.screening import files, jobs
from pacte.screening.enums import JobStatus
from pacte.screening.models import ScreeningAggregate, ScreeningJob
from tests.screening.factories import submit


def private_files(folder: str) -> list[str]:
    directory = files.private_dir() / folder
    return sorted(path.name for path in directory.iterdir()) if directory.is_dir() else []


@pytest.fixture
def real_detect():
    return detect.detect


def test_a_worker_stopped_mid_job_queues_it_again_with_its_upload_and_the_next_run_counts_once(
    engine, users, cog, monkeypatch, real_detect
):
    job = submit(users["worker"], cog["44"])
    upload = files.path_of(job.upload_name)

    def stopped_midway(lines, *, output, rejects, **kwargs):
        output.write("foyer_id;prestation\nF001;rsa\n")  # a partial result on disk when the signal comes
        output.flush()
        os.kill(os.getpid(), signal.SIGTERM)  # what systemd sends on `systemctl stop`
        for _ in range(200):
            time.sleep(0.01)
        raise AssertionError("SIGTERM did not stop the job")

    monkeypatch.setattr(detect, "detect", stopped_midway)
    assert jobs.work(once=True) == 0
    job.refresh_from_db()
    assert (job.status, job.error, job.started_at, job.rows) == (JobStatus.QUEUED, "", None, 0)
    assert job.upload_name and upload.exists(), "the upload is kept until the job ends"
    assert private_files(files.RESULTS) == [], "the partial results are deleted"
    assert not job.aggregates.exists()

    monkeypatch.setattr(detect, "detect", real_detect)
    assert jobs.work(once=True) == 1
    job.refresh_from_db()
    assert (job.status, job.households, job.rejected) == (JobStatus.DONE, 2, 3)
    assert not upload.exists() and job.upload_name == ""
    assert ScreeningAggregate.objects.get(job=job, level="commune", code="44109", benefit="").households == 2
    assert len(private_files(files.RESULTS)) == 2  # one results file, one rejects file: nothing twice


def test_a_killed_worker_leaves_a_job_that_fails_cleanly_within_minutes_without_its_files(users, cog):
    job = submit(users["worker"], cog["44"])
    upload = files.path_of(job.upload_name)
    assert jobs.claim_next() == job
    # What a worker killed by SIGKILL leaves: the job running, its upload, its partial results.
    for kind in ("resultats", "rejets"):
        files.path_of(files.new_name(files.RESULTS, job.pk, kind)).with_suffix(".part").write_text(
            "F001;rsa\n"
        )
    other = submit(users["worker"], cog["44"])  # another job's upload is not touched
    assert jobs.fail_stale(timezone.now() + timedelta(minutes=4)) == 0, "a silent minute is not a death"
    assert upload.exists()
    assert jobs.fail_stale(timezone.now() + timedelta(minutes=10)) == 1
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error == jobs.STALE and job.finished_at
    assert not upload.exists() and private_files(files.RESULTS) == []
    assert files.path_of(other.upload_name).exists()


def test_the_heartbeat_keeps_a_long_job_alive_and_stops_with_it(users, cog, monkeypatch):
    job = submit(users["worker"], cog["44"])
    jobs.claim_next()
    ScreeningJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1))
    assert jobs.beat(job.pk) is True
    job.refresh_from_db()
    assert timezone.now() - job.heartbeat_at < timedelta(minutes=1)
    assert jobs.fail_stale(timezone.now() + jobs.STALE_AFTER / 2) == 0
    ScreeningJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED)
    assert jobs.beat(job.pk) is False

    beats = []
    monkeypatch.setattr(jobs, "HEARTBEAT_EVERY", 0.01)
    monkeypatch.setattr(jobs, "beat", beats.append)  # the thread's own database connection is not needed here
    with jobs._Heartbeat(job.pk) as heartbeat:
        time.sleep(0.2)
    assert beats and set(beats) == {job.pk} and not heartbeat.thread.is_alive()
    assert jobs.HEARTBEAT_EVERY * 5 < jobs.STALE_AFTER.total_seconds()


def test_a_job_failed_as_stale_while_it_ran_keeps_that_end_and_no_summary(
    engine, users, cog, monkeypatch, real_detect
):
    job = submit(users["worker"], cog["44"])

    def failed_elsewhere(*args, **kwargs):
        report = real_detect(*args, **kwargs)
        # Another worker's housekeeping declared this one dead meanwhile (the upload is gone with it).
        ScreeningJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error=jobs.STALE)
        return report

    monkeypatch.setattr(detect, "detect", failed_elsewhere)
    jobs.run(jobs.claim_next())
    job.refresh_from_db()
    assert (job.status, job.error) == (JobStatus.FAILED, jobs.STALE)
    assert not job.aggregates.exists() and (job.results_name, job.rejects_name) == ("", "")
    assert private_files(files.RESULTS) == []


def test_a_full_results_disk_fails_the_job_in_french_and_frees_what_it_wrote(
    engine, users, cog, monkeypatch, caplog
):
    job = submit(users["worker"], cog["44"])

    def disk_full(lines, *, output, rejects, **kwargs):
        output.write("foyer_id;prestation\nF001;rsa\n")
        output.flush()
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(detect, "detect", disk_full)
    jobs.run(jobs.claim_next())
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error.startswith("Le disque où sont enregistrés les résultats est plein")
    assert f"traitement n° {job.pk}" in job.error and "F001" not in job.error
    assert private_files(files.RESULTS) == [] and private_files(files.UPLOADS) == []
    assert "results disk full (ENOSPC)" in caplog.text and "F001" not in caplog.text


def test_the_upload_results_and_rejects_are_readable_by_their_owner_only(engine, users, cog):
    previous = os.umask(0o022)
    try:
        job = submit(users["worker"], cog["44"])
        assert stat.S_IMODE(files.path_of(job.upload_name).stat().st_mode) == 0o600
        jobs.run(jobs.claim_next())
    finally:
        os.umask(previous)
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    for name in (job.results_name, job.rejects_name):
        assert stat.S_IMODE(files.path_of(name).stat().st_mode) == 0o600, name


def test_a_full_upload_disk_refuses_the_file_in_french_and_keeps_nothing(users, cog, monkeypatch):
    from django.core.files.uploadedfile import SimpleUploadedFile

    class FullDisk(SimpleUploadedFile):
        def chunks(self, chunk_size=None):
            yield b"foyer_id;role\n"
            raise OSError(errno.ENOSPC, "No space left on device")

    with pytest.raises(jobs.StorageFull) as refused:
        jobs.submit(
            user=users["worker"], territory=cog["44"], month="2026-05", upload=FullDisk("menages.csv", b"x")
        )
    assert str(refused.value).startswith("Le disque où sont enregistrés les fichiers déposés est plein")
    assert not ScreeningJob.objects.exists() and private_files(files.UPLOADS) == []
