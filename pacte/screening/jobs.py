"""Batch screening: submit a household file, claim and run jobs in the worker, purge expired results.

The worker (`pacte rights worker`) polls the database: a job is claimed atomically (SELECT … FOR UPDATE
SKIP LOCKED on PostgreSQL, a conditional UPDATE elsewhere), so several workers never run the same job. The
engine writes the per-household results and the rejects into the private directory; the uploaded file is
deleted when the job ends, whatever the outcome. Logs name jobs, counts and durations, never a household.
"""

import logging
import os
import signal
import threading
import time
import traceback
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from pacte.rights.households import FileFormatError
from pacte.screening import files, indicator
from pacte.screening.enums import AggregateLevel, JobStatus
from pacte.screening.models import ScreeningAggregate, ScreeningJob
from pacte.territories.enums import Level
from pacte.territories.models import Territory

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 1.0  # seconds between two progress writes
STALE_AFTER = timedelta(minutes=30)  # a running job silent for that long lost its worker
HOUSEKEEPING_EVERY = 600.0  # seconds between two purges in the worker loop
NOT_UTF8 = (
    "Le fichier n'est pas encodé en UTF-8 : enregistrez-le au format « CSV UTF-8 » depuis votre tableur, "
    "puis déposez-le à nouveau."
)
INTERRUPTED = (
    "Le traitement a été interrompu (arrêt du service) : rien n'a été conservé, déposez le fichier à nouveau."
)
STALE = "Le traitement s'est arrêté sans finir (service interrompu) : rien n'a été conservé, déposez le fichier à nouveau."


class WorkerStopped(BaseException):
    """SIGTERM while a job runs: the job is marked interrupted and its upload deleted."""


def submit(*, user, territory, month: str, upload) -> ScreeningJob:
    """Queue a job for an uploaded file (a Django UploadedFile whose header was checked by the form)."""
    job = ScreeningJob.objects.create(
        uploader=user, territory=territory, month=month, file_name=upload.name[:255], file_size=upload.size
    )
    name = files.new_name(files.UPLOADS, job.pk, "depot")
    try:
        with open(files.path_of(name), "xb") as destination:
            os.chmod(destination.name, 0o600)
            for chunk in upload.chunks():
                destination.write(chunk)
        job.upload_name = name
        job.save(update_fields=["upload_name"])
    except BaseException:
        files.delete(name)
        job.delete()
        raise
    logger.info("screening job %s queued: %s bytes", job.pk, job.file_size)
    return job


# --- Claiming ---------------------------------------------------------------------------------------------


def claim_next() -> ScreeningJob | None:
    """The oldest queued job, now running and owned by the caller; None when nothing waits."""
    now = timezone.now()
    queued = ScreeningJob.objects.filter(status=JobStatus.QUEUED).order_by("created_at", "pk")
    if connection.features.has_select_for_update_skip_locked:
        with transaction.atomic():
            job = queued.select_for_update(skip_locked=True).first()
            if job is None:
                return None
            job.status, job.started_at, job.heartbeat_at = JobStatus.RUNNING, now, now
            job.save(update_fields=["status", "started_at", "heartbeat_at"])
            return job
    for pk in queued.values_list("pk", flat=True)[:10]:
        claimed = ScreeningJob.objects.filter(pk=pk, status=JobStatus.QUEUED).update(
            status=JobStatus.RUNNING, started_at=now, heartbeat_at=now
        )
        if claimed:
            return ScreeningJob.objects.get(pk=pk)
    return None


# --- Running ----------------------------------------------------------------------------------------------


def territory_communes(territory: Territory) -> set[str]:
    """INSEE codes of the communes of `territory` (the commune itself for a commune)."""
    return set(
        Territory.objects.filter(level=Level.COMMUNE)
        .filter(territory.within_q())
        .values_list("code", flat=True)
    )


def outside_reason(territory: Territory) -> str:
    """The reject reason of a household whose commune lies outside the job's territory (`{depcom}`: its
    code, filled in by the reader)."""
    name = territory.name.replace("{", "(").replace("}", ")")
    return (
        f"colonne « depcom » : commune « {{depcom}} » hors du territoire du traitement ({name}) : ce foyer "
        "n'est pas examiné."
    )


class _Tracker:
    """The engine's progress callback: writes the counts at most every PROGRESS_EVERY seconds."""

    def __init__(self, job_pk: int):
        self.job_pk = job_pk
        self.last = 0.0

    def __call__(self, progress) -> None:
        now = time.monotonic()
        if now - self.last < PROGRESS_EVERY:
            return
        self.last = now
        ScreeningJob.objects.filter(pk=self.job_pk, status=JobStatus.RUNNING).update(
            rows=progress.rows,
            households=progress.households,
            rejected=progress.rejected,
            heartbeat_at=timezone.now(),
        )


@dataclass
class _Outputs:
    results: str
    rejects: str

    @staticmethod
    def part(name: str) -> Path:
        return files.path_of(name).with_suffix(".part")

    def remove(self) -> None:
        for name in (self.results, self.rejects):
            files.delete(name)
            self.part(name).unlink(missing_ok=True)


def run(job: ScreeningJob, *, workers: int = 1, dask_scheduler: str | None = None) -> ScreeningJob:
    """Run a claimed job to its end (done or failed); the upload is deleted whatever happens."""
    from pacte.rights import detect

    started = time.monotonic()
    outputs = _Outputs(
        files.new_name(files.RESULTS, job.pk, "resultats"), files.new_name(files.RESULTS, job.pk, "rejets")
    )
    try:
        upload = files.path_of(job.upload_name)
        job.total_rows = detect.count_rows(upload)
        ScreeningJob.objects.filter(pk=job.pk).update(total_rows=job.total_rows, heartbeat_at=timezone.now())
        with (
            open(upload, encoding="utf-8", newline="") as lines,
            open(outputs.part(outputs.results), "x", encoding="utf-8", newline="") as output,
            open(outputs.part(outputs.rejects), "x", encoding="utf-8", newline="") as rejects,
        ):
            report = detect.detect(
                lines,
                month=job.month,
                output=output,
                rejects=rejects,
                communes=territory_communes(job.territory),
                commune_reason=outside_reason(job.territory),
                today=timezone.localdate(),
                workers=workers,
                dask_scheduler=dask_scheduler,
                progress=_Tracker(job.pk),
            )
        for name in (outputs.results, outputs.rejects):
            os.replace(outputs.part(name), files.path_of(name))
        _finish(job, report, outputs)
    except FileFormatError as error:
        _fail(job, str(error), outputs)
    except UnicodeDecodeError:
        _fail(job, NOT_UTF8, outputs)
    except Exception as error:
        # The message of an unexpected error may quote the file: log its type and where, never its text.
        frames = " < ".join(
            f"{frame.name} ({frame.filename}:{frame.lineno})"
            for frame in traceback.extract_tb(error.__traceback__)[::-1]
        )
        logger.error("screening job %s failed: %s at %s", job.pk, type(error).__name__, frames)
        _fail(
            job,
            f"Erreur inattendue pendant le traitement n° {job.pk} : rien n'a été conservé. Déposez le fichier à "
            "nouveau ; si l'erreur se répète, signalez ce numéro de traitement à l'équipe technique.",
            outputs,
        )
    except BaseException:
        _fail(job, INTERRUPTED, outputs)
        raise
    finally:
        files.delete(job.upload_name)
        ScreeningJob.objects.filter(pk=job.pk).update(upload_name="")
        job.upload_name = ""
    logger.info(
        "screening job %s %s in %.1f s: %s rows, %s households, %s rejected",
        job.pk,
        job.status,
        time.monotonic() - started,
        job.rows,
        job.households,
        job.rejected,
    )
    return job


def _finish(job: ScreeningJob, report, outputs: _Outputs) -> None:
    now = timezone.now()
    aggregates = [
        ScreeningAggregate(
            job=job,
            level=row.level,
            code=row.code,
            benefit=row.benefit,
            **{
                name: getattr(row, name)
                for name in ScreeningAggregate.FIGURES + ScreeningAggregate.CONTRIBUTORS
            },
        )
        for row in report.summary.rows()
    ]
    territories = {
        (level, code): pk
        for level, code, pk in Territory.objects.filter(
            level__in=[AggregateLevel.COMMUNE, AggregateLevel.DEPARTEMENT],
            code__in={aggregate.code for aggregate in aggregates},
        ).values_list("level", "code", "pk")
    }
    for aggregate in aggregates:
        aggregate.territory_id = territories.get((aggregate.level, aggregate.code))
    try:
        with transaction.atomic():
            ScreeningAggregate.objects.bulk_create(aggregates)
            job.status, job.finished_at, job.error = JobStatus.DONE, now, ""
            job.rows, job.households, job.rejected = report.rows, report.households, report.rejected
            job.result_rows = report.result_rows
            job.results_name, job.rejects_name = outputs.results, outputs.rejects
            job.results_expire_at = now + timedelta(days=settings.RIGHTS_RETENTION_DAYS)
            job.save()
            indicator.refresh(job.year)
    except BaseException:
        job.results_name = job.rejects_name = ""
        raise


def _fail(job: ScreeningJob, message: str, outputs: _Outputs) -> None:
    outputs.remove()
    job.status, job.error, job.finished_at = JobStatus.FAILED, message, timezone.now()
    job.results_name = job.rejects_name = ""
    job.save(update_fields=["status", "error", "finished_at", "results_name", "rejects_name"])


# --- Housekeeping -----------------------------------------------------------------------------------------


def fail_stale(now=None) -> int:
    """Mark as failed the running jobs whose worker stopped answering, and delete their upload."""
    now = now or timezone.now()
    count = 0
    for job in ScreeningJob.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=now - STALE_AFTER):
        if ScreeningJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
            status=JobStatus.FAILED, error=STALE, finished_at=now, upload_name=""
        ):
            files.delete(job.upload_name)
            logger.warning("screening job %s stalled: marked failed", job.pk)
            count += 1
    return count


@dataclass
class PurgeReport:
    jobs: int = 0
    files: int = 0


def purge(now=None, *, dry_run: bool = False) -> PurgeReport:
    """Delete the per-household results and rejects of the jobs past `results_expire_at`, and any upload
    left by an ended job. The job and its aggregates stay."""
    now = now or timezone.now()
    report = PurgeReport()
    expired = ScreeningJob.objects.filter(results_expire_at__lte=now).exclude(
        results_name="", rejects_name=""
    )
    for job in expired:
        report.jobs += 1
        names = [name for name in (job.results_name, job.rejects_name) if name]
        report.files += len(names)
        if not dry_run:
            for name in names:
                files.delete(name)
            job.results_name = job.rejects_name = ""
            job.results_purged_at = now
            job.save(update_fields=["results_name", "rejects_name", "results_purged_at"])
    leftovers = ScreeningJob.objects.filter(status__in=[JobStatus.DONE, JobStatus.FAILED]).exclude(
        upload_name=""
    )
    for job in leftovers:
        report.files += 1
        if not dry_run:
            files.delete(job.upload_name)
            ScreeningJob.objects.filter(pk=job.pk).update(upload_name="")
    if report.files and not dry_run:
        logger.info("screening purge: %s files of %s jobs deleted", report.files, report.jobs)
    return report


# --- Worker loop ------------------------------------------------------------------------------------------


def work(
    *, once: bool = False, poll: float = 2.0, workers: int = 1, dask_scheduler: str | None = None
) -> int:
    """Run queued jobs; with `once`, those waiting now, then return. The number of jobs run."""
    done = 0
    last_housekeeping = -HOUSEKEEPING_EVERY
    stopping = False
    running = False

    def on_term(signum, frame):
        nonlocal stopping
        stopping = True
        if running:
            raise WorkerStopped

    previous = signal.signal(signal.SIGTERM, on_term) if _main_thread() else None
    try:
        while not stopping:
            if time.monotonic() - last_housekeeping >= HOUSEKEEPING_EVERY:
                fail_stale()
                purge()
                last_housekeeping = time.monotonic()
            job = claim_next()
            if job is None:
                if once:
                    break
                time.sleep(poll)
                continue
            running = True
            try:
                run(job, workers=workers, dask_scheduler=dask_scheduler)
            finally:
                running = False
            done += 1
    except WorkerStopped:
        pass
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    return done


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()
