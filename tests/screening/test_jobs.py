"""The batch runner in-process: a job on the example household file, its failures, claiming, stale jobs,
retention and the `worker` / `purge` actions of `pacte rights`."""

import io
import logging
from datetime import timedelta

import pytest
from django.utils import timezone

from pacte.screening import commands, files, jobs, queries
from pacte.screening.enums import AggregateLevel, JobStatus
from pacte.screening.models import ScreeningAggregate, ScreeningJob
from tests.screening.factories import ScreeningAggregateFactory, ScreeningJobFactory, submit


def stored(name: str) -> str:
    return files.path_of(name).read_text(encoding="utf-8")


@pytest.fixture
def done_job(engine, users, cog, caplog):
    caplog.set_level(logging.DEBUG)
    job = submit(users["worker"], cog["44"])
    upload = files.path_of(job.upload_name)
    assert jobs.run(jobs.claim_next()) == job
    job.refresh_from_db()
    assert not upload.exists()
    return job


def test_a_job_screens_the_households_of_its_territory_and_deletes_the_upload(done_job, cog):
    job = done_job
    assert (job.status, job.error, job.upload_name) == (JobStatus.DONE, "", "")
    assert (job.total_rows, job.rows, job.households, job.rejected) == (9, 9, 2, 3)
    assert job.percent == 100 and job.results_expire_at - job.finished_at == timedelta(days=30)
    results = stored(job.results_name).splitlines()
    assert results[0].startswith("foyer_id;prestation;periode;montant;percue;non_recours;confiance")
    assert {line.split(";")[0] for line in results[1:]} <= {"F001", "F002"}
    assert len(results) - 1 == job.result_rows > 0
    rejects = stored(job.rejects_name)
    assert (
        "F003" in rejects
        and "commune « 49007 » hors du territoire du traitement (Loire-Atlantique)" in rejects
    )
    totals = ScreeningAggregate.objects.get(job=job, level="commune", code="44109", benefit="")
    assert (totals.territory, totals.households) == (cog["44109"], 2)
    v2 = ("probable_households", "opened_amount", "probable_yearly_amount", "probable_monthly_households")
    assert None not in [getattr(totals, name) for name in v2]
    assert (
        ScreeningAggregate.objects.get(job=job, level="departement", code="44", benefit="").territory
        == cog["44"]
    )


def test_the_logs_name_the_job_and_counts_never_a_household(done_job, caplog):
    text = "\n".join(record.getMessage() for record in caplog.get_records("setup"))
    assert f"screening job {done_job.pk} queued" in text and f"screening job {done_job.pk} termine" in text
    for personal in ("F001", "F002", "1988-03-14", "44109", "menages.csv"):
        assert personal not in text


def test_an_unusable_file_fails_the_job_with_the_french_message_and_leaves_nothing(engine, users, cog):
    job = submit(users["worker"], cog["44"], b"foyer_id;date_naissance\nF1;1980-01-01\n")
    upload = files.path_of(job.upload_name)
    jobs.run(jobs.claim_next())
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "role" in job.error
    assert not upload.exists() and (job.results_name, job.rejects_name) == ("", "")
    assert not list((files.private_dir() / files.RESULTS).iterdir())
    assert not job.aggregates.exists()


def test_a_file_that_is_not_utf8_past_its_header_fails_the_job_in_french(engine, users, cog):
    content = b"foyer_id,role,date_naissance\nF1,demandeur,1980-01-01\n" + "F2,enfant,é\n".encode("latin-1")
    job = submit(users["worker"], cog["44"], content)
    jobs.run(jobs.claim_next())
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "UTF-8" in job.error
    assert job.upload_name == "" and not list((files.private_dir() / files.UPLOADS).iterdir())


def test_an_unexpected_error_fails_the_job_without_logging_the_file(engine, users, cog, monkeypatch, caplog):
    from pacte.rights import detect

    def boom(*args, **kwargs):
        raise ValueError("F001 1988-03-14")

    monkeypatch.setattr(detect, "detect", boom)
    job = submit(users["worker"], cog["44"])
    jobs.run(jobs.claim_next())
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and f"traitement n° {job.pk}" in job.error
    assert "ValueError" in caplog.text and "F001" not in caplog.text
    assert job.upload_name == ""


def test_a_job_is_claimed_once(users, cog):
    first = submit(users["worker"], cog["44"])
    second = submit(users["worker"], cog["44"])
    assert jobs.claim_next() == first
    assert jobs.claim_next() == second
    assert jobs.claim_next() is None
    assert set(ScreeningJob.objects.values_list("status", flat=True)) == {JobStatus.RUNNING}


def test_a_running_job_whose_worker_died_is_failed_and_its_upload_deleted(users, cog):
    job = submit(users["worker"], cog["44"])
    upload = files.path_of(job.upload_name)
    jobs.claim_next()
    assert jobs.fail_stale() == 0
    assert jobs.fail_stale(timezone.now() + timedelta(hours=1)) == 1
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "déposez le fichier à nouveau" in job.error
    assert not upload.exists()


def test_the_purge_deletes_expired_results_and_keeps_the_summary(users, cog):
    expired = ScreeningJobFactory(uploader=users["worker"], territory=cog["44"], expired=True)
    kept = ScreeningJobFactory(uploader=users["worker"], territory=cog["44"], done=True)
    paths = [files.path_of(expired.results_name), files.path_of(expired.rejects_name)]
    dry = jobs.purge(dry_run=True)
    assert (dry.jobs, dry.files) == (1, 2) and all(path.exists() for path in paths)
    report = jobs.purge()
    assert (report.jobs, report.files) == (1, 2) and not any(path.exists() for path in paths)
    expired.refresh_from_db()
    kept.refresh_from_db()
    assert expired.results_name == expired.rejects_name == "" and expired.results_purged_at
    assert kept.results_name and files.path_of(kept.results_name).exists()
    assert jobs.purge().files == 0


def test_the_purge_drops_the_benefit_lines_of_a_commune_only_the_uploader_saw(users, cog):
    """Past the retention the uploader too reads the summary under secrecy: nobody reads a commune's line per
    benefit any more, so it is not kept (queries.uploader_only_lines)."""
    counted = dict(
        monthly_households=1, probable_monthly_households=1, yearly_households=0, probable_yearly_households=0
    )
    expired = ScreeningJobFactory(uploader=users["worker"], territory=cog["44"], expired=True)
    for level, place in ((AggregateLevel.COMMUNE, cog["44109"]), (AggregateLevel.DEPARTEMENT, cog["44"])):
        ScreeningAggregateFactory(job=expired, territory=place, level=level, households=1, **counted)
        ScreeningAggregateFactory(
            job=expired, territory=place, level=level, households=1, benefit="aspa", non_take_up_households=1
        )
    assert queries.uploader_only_lines(expired).exists()
    before = queries.job_summary(expired, masked=True, details=True)
    jobs.purge()
    assert not queries.uploader_only_lines(expired).exists()
    assert queries.job_summary(expired, masked=True, details=True) == before
    assert ScreeningAggregate.objects.filter(job=expired).count() == 3


def test_the_retention_is_a_setting(engine, users, cog, settings):
    settings.RIGHTS_RETENTION_DAYS = 7
    job = submit(users["worker"], cog["44"])
    jobs.run(jobs.claim_next())
    job.refresh_from_db()
    assert job.results_expire_at - job.finished_at == timedelta(days=7)


def test_the_worker_action_runs_the_waiting_jobs_and_the_purge_action_reports(engine, users, cog):
    submit(users["worker"], cog["44"])
    out = io.StringIO()
    assert commands.handle("traiter", {"once": True}, out)
    assert out.getvalue() == "1 traitement effectué.\n"
    assert ScreeningJob.objects.get().status == JobStatus.DONE
    out = io.StringIO()
    assert commands.handle("purger", {"dry_run": True}, out)
    assert out.getvalue().startswith("0 fichier à supprimer")
    assert not commands.handle("detecter", {}, out)


def test_the_subcommands_parse_their_options():
    import argparse

    parser = argparse.ArgumentParser()
    commands.add_subcommands(parser.add_subparsers(dest="action"))
    assert vars(parser.parse_args(["traiter", "--une-fois"]))["once"] is True
    assert vars(parser.parse_args(["worker", "--once"]))["once"] is True
    assert vars(parser.parse_args(["purger", "--essai"]))["dry_run"] is True
    assert vars(parser.parse_args(["purge", "--dry-run"])) == {"action": "purger", "dry_run": True}
