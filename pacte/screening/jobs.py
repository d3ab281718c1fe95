"""Batch screening: submit a household file, claim and run jobs in the worker, purge expired results.

The worker (`pacte rights worker`) polls the database: a job is claimed atomically (SELECT … FOR UPDATE
SKIP LOCKED on PostgreSQL, a conditional UPDATE elsewhere), so several workers never run the same job. The
engine writes the per-household results and the rejects into the private directory (files created 0600,
under a `.part` name until complete); the uploaded file is deleted when the job ends, whatever the outcome.
Logs name jobs, counts and durations, never a household.

Faults (docs/deploiement.md, « Pannes »):
- SIGTERM while a job runs (service stopped or restarted): the job goes back to the queue with its upload,
  its partial files are deleted, and the next worker runs it from the start.
- The worker killed outright (SIGKILL, out of memory, power cut): a heartbeat thread stops writing, the job
  is failed with `STALE` after `STALE_AFTER` by the housekeeping of any worker (or `pacte rights purger`),
  which also deletes its upload and partial files.
- A job ended by someone else while it ran (failed as stale) keeps that end: `_finish` writes the summary
  only if the job is still running, so nothing is counted twice.
- The results disk full (ENOSPC, EDQUOT): the job fails with `DISK_FULL`, its partial files deleted.
- The database gone (PostgreSQL stopped or restarted, the connection dropped): the worker logs a warning, closes
  its connections and tries again after 2, 4, 8… seconds (at most `RECONNECT_MAX`), then logs « base de nouveau
  joignable »; it never stops for that. A job it was running stays « en cours » without heartbeat and is failed
  with `STALE` as above.

The workers write their own sign of life (`WorkerHeartbeat`, at most every `WORKER_BEAT_EVERY` seconds, also
while a job runs), which `/sante/` reads.
"""

import contextlib
import errno
import logging
import os
import signal
import socket
import threading
import time
import traceback
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, InterfaceError, OperationalError, connection, connections, transaction
from django.utils import timezone

from pacte.core import mail
from pacte.rights.households import FileFormatError
from pacte.screening import files, indicator, queries
from pacte.screening.enums import AggregateLevel, JobStatus
from pacte.screening.models import ScreeningAggregate, ScreeningJob, WorkerHeartbeat
from pacte.territories.enums import Level
from pacte.territories.models import Territory

logger = logging.getLogger(__name__)

PROGRESS_EVERY = 1.0  # seconds between two progress writes
HEARTBEAT_EVERY = 30.0  # seconds between two heartbeats of a running job, whatever the engine does
STALE_AFTER = timedelta(minutes=5)  # a running job silent for that long (10 heartbeats) lost its worker
HOUSEKEEPING_EVERY = 600.0  # seconds between two purges in the worker loop
WORKER_BEAT_EVERY = 30.0  # seconds between two writes of the workers' sign of life (WorkerHeartbeat)
RECONNECT_FIRST, RECONNECT_MAX = 2.0, 60.0  # seconds between two tries while the database is gone
DATABASE_GONE = (OperationalError, InterfaceError)
NOT_UTF8 = (
    "Le fichier n'est pas encodé en UTF-8 : enregistrez-le au format « CSV UTF-8 » depuis votre tableur, "
    "puis déposez-le à nouveau."
)
INTERRUPTED = (
    "Le traitement a été interrompu (arrêt du service) : rien n'a été conservé, déposez le fichier à nouveau."
)
STALE = "Le traitement s'est arrêté sans finir (service interrompu) : rien n'a été conservé, déposez le fichier à nouveau."
DISK_FULL = (
    "Le disque où sont enregistrés les résultats est plein : le traitement n° {pk} s'est arrêté et rien n'a été "
    "conservé. Déposez le fichier à nouveau plus tard ; si l'erreur se répète, signalez ce numéro de traitement à "
    "l'équipe technique."
)
DISK_FULL_ERRNOS = {errno.ENOSPC, errno.EDQUOT}


UPLOAD_DISK_FULL = (
    "Le disque où sont enregistrés les fichiers déposés est plein : votre fichier n'a pas été enregistré. "
    "Réessayez plus tard ; si l'erreur se répète, prévenez l'équipe technique."
)


class WorkerStopped(BaseException):
    """SIGTERM while a job runs: the job is queued again with its upload (`_requeue`)."""


class StorageFull(Exception):
    """The private directory's disk is full while an upload is written: nothing was kept (French message)."""


def submit(*, user, territory, month: str, upload) -> ScreeningJob:
    """Queue a job for an uploaded file (a Django UploadedFile whose header was checked by the form); StorageFull
    (nothing kept) when the disk is full."""
    job = ScreeningJob.objects.create(
        uploader=user, territory=territory, month=month, file_name=upload.name[:255], file_size=upload.size
    )
    name = files.new_name(files.UPLOADS, job.pk, "depot")
    try:
        with _create_private(files.path_of(name), binary=True) as destination:
            for chunk in upload.chunks():
                destination.write(chunk)
        job.upload_name = name
        job.save(update_fields=["upload_name"])
    except BaseException as error:
        files.delete(name)
        job.delete()
        if isinstance(error, OSError) and error.errno in DISK_FULL_ERRNOS:
            logger.error("screening upload refused: disk full (%s)", errno.errorcode[error.errno])
            raise StorageFull(UPLOAD_DISK_FULL) from None
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


def _create_private(path: Path, *, binary: bool = False):
    """A new file only its owner reads (0600 whatever the umask); an existing one is an error."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.fchmod(descriptor, 0o600)
    if binary:
        return open(descriptor, "wb")
    return open(descriptor, "w", encoding="utf-8", newline="")


class _Heartbeat:
    """Writes `heartbeat_at` every HEARTBEAT_EVERY seconds while a job runs, from a thread of its own: a job
    stays alive during a long computation that reports no progress, and goes silent as soon as its worker
    dies."""

    def __init__(self, job_pk: int):
        self.job_pk = job_pk
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._loop, name=f"heartbeat-{job_pk}", daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stopped.set()
        self.thread.join(timeout=10)

    def _loop(self) -> None:
        try:
            while not self.stopped.wait(HEARTBEAT_EVERY):
                if beat(self.job_pk):
                    _worker_beat_quietly()
        finally:
            connection.close()


def beat(job_pk: int) -> bool:
    """One heartbeat of a running job; False when the job no longer runs (or the database did not answer)."""
    try:
        return bool(
            ScreeningJob.objects.filter(pk=job_pk, status=JobStatus.RUNNING).update(
                heartbeat_at=timezone.now()
            )
        )
    except Exception as error:  # the next beat tries again; the job itself reports the database's failure
        logger.warning("screening job %s: heartbeat not written (%s)", job_pk, type(error).__name__)
        return False


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


def _remove_partial_files(job_pk: int) -> int:
    """Delete the `.part` files a killed worker left for this job; their number."""
    directory = files.private_dir() / files.RESULTS
    count = 0
    for path in directory.glob(f"{job_pk}-*.part") if directory.is_dir() else ():
        path.unlink(missing_ok=True)
        count += 1
    return count


def run(job: ScreeningJob, *, workers: int = 1, dask_scheduler: str | None = None) -> ScreeningJob:
    """Run a claimed job to its end (done or failed; queued again if the worker is stopping); the upload is
    deleted when the job ends."""
    from pacte.rights import detect

    started = time.monotonic()
    outputs = _Outputs(
        files.new_name(files.RESULTS, job.pk, "resultats"), files.new_name(files.RESULTS, job.pk, "rejets")
    )
    requeued = False
    try:
        upload = files.path_of(job.upload_name)
        job.total_rows = detect.count_rows(upload)
        ScreeningJob.objects.filter(pk=job.pk).update(total_rows=job.total_rows, heartbeat_at=timezone.now())
        with (
            _Heartbeat(job.pk),
            open(upload, encoding="utf-8", newline="") as lines,
            _create_private(outputs.part(outputs.results)) as output,
            _create_private(outputs.part(outputs.rejects)) as rejects,
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
        if isinstance(error, OSError) and error.errno in DISK_FULL_ERRNOS:
            logger.error(
                "screening job %s failed: results disk full (%s)", job.pk, errno.errorcode[error.errno]
            )
            _fail(job, DISK_FULL.format(pk=job.pk), outputs)
        else:
            # The message of an unexpected error may quote the file: log its type and where, never its text.
            frames = " < ".join(
                f"{frame.name} ({frame.filename}:{frame.lineno})"
                for frame in traceback.extract_tb(error.__traceback__)[::-1]
            )
            logger.error("screening job %s failed: %s at %s", job.pk, type(error).__name__, frames)
            _fail(
                job,
                f"Erreur inattendue pendant le traitement n° {job.pk} : rien n'a été conservé. Déposez le fichier "
                "à nouveau ; si l'erreur se répète, signalez ce numéro de traitement à l'équipe technique.",
                outputs,
            )
    except WorkerStopped:
        requeued = _requeue(job, outputs)
        raise
    except BaseException:
        _fail(job, INTERRUPTED, outputs)
        raise
    finally:
        if not requeued:
            # The row first: if the database does not answer, the upload stays until the job ends as stale.
            ScreeningJob.objects.filter(pk=job.pk).update(upload_name="")
            files.delete(job.upload_name)
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
            # Ended by someone else meanwhile (failed as stale): that end stands, this run's outputs go.
            if (
                not ScreeningJob.objects.select_for_update()
                .filter(pk=job.pk, status=JobStatus.RUNNING)
                .exists()
            ):
                logger.warning(
                    "screening job %s ended elsewhere while running: its results are dropped", job.pk
                )
                outputs.remove()
                job.refresh_from_db()
                return
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


def _requeue(job: ScreeningJob, outputs: _Outputs) -> bool:
    """The worker is stopping (SIGTERM): the job goes back to the queue with its upload, as if never started;
    True if it did (False: it was no longer running, or the database did not answer: it ends as stale)."""
    outputs.remove()
    try:
        requeued = ScreeningJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
            status=JobStatus.QUEUED,
            started_at=None,
            heartbeat_at=None,
            total_rows=None,
            rows=0,
            households=0,
            rejected=0,
        )
    except Exception as error:
        logger.error("screening job %s not requeued: %s", job.pk, type(error).__name__)
        return False
    if requeued:
        job.refresh_from_db()
        logger.warning("screening job %s interrupted by the worker's stop: queued again", job.pk)
    return bool(requeued)


def _fail(job: ScreeningJob, message: str, outputs: _Outputs) -> None:
    outputs.remove()
    job.status, job.error, job.finished_at = JobStatus.FAILED, message, timezone.now()
    job.results_name = job.rejects_name = ""
    job.save(update_fields=["status", "error", "finished_at", "results_name", "rejects_name"])


# --- Housekeeping -----------------------------------------------------------------------------------------


def fail_stale(now=None) -> int:
    """Mark as failed the running jobs whose worker stopped answering (no heartbeat for STALE_AFTER), and
    delete their upload and the partial results it left."""
    now = now or timezone.now()
    count = 0
    for job in ScreeningJob.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=now - STALE_AFTER):
        if ScreeningJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
            status=JobStatus.FAILED, error=STALE, finished_at=now, upload_name=""
        ):
            files.delete(job.upload_name)
            _remove_partial_files(job.pk)
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
            queries.uploader_only_lines(
                job
            ).delete()  # a commune's benefit lines: not kept past the retention
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


def worker_beat(now=None) -> None:
    """Write the workers' sign of life: the one row of WorkerHeartbeat, whichever worker writes last."""
    values = {"beat_at": now or timezone.now(), "host": socket.gethostname()[:255], "pid": os.getpid()}
    if WorkerHeartbeat.objects.filter(pk=1).update(**values):
        return
    try:
        with transaction.atomic():
            WorkerHeartbeat.objects.create(pk=1, **values)
    except IntegrityError:  # another worker created it meanwhile
        WorkerHeartbeat.objects.filter(pk=1).update(**values)


def last_worker_beat():
    """When a worker last gave a sign of life (an aware datetime), None if none ever did."""
    return WorkerHeartbeat.objects.filter(pk=1).values_list("beat_at", flat=True).first()


def _worker_beat_quietly() -> None:
    try:
        worker_beat()
    except Exception as error:  # the job's heartbeat thread: the worker loop reports the database's failure
        logger.warning("worker heartbeat not written (%s)", type(error).__name__)


def _ready(workers: int, poll: float, dask_scheduler: str | None) -> None:
    database = settings.DATABASES["default"]
    logger.info(
        "traitement par lot prêt : processus %s sur %s, base %s « %s », intervalle %s s, %s par traitement%s, "
        "résultats conservés %s jours",
        os.getpid(),
        socket.gethostname(),
        connection.vendor,
        Path(str(database.get("NAME", ""))).name,
        poll,
        f"{workers} processus de calcul",
        f" (ordonnanceur Dask {dask_scheduler})" if dask_scheduler else "",
        settings.RIGHTS_RETENTION_DAYS,
    )


def _close_connections() -> None:
    try:
        connections.close_all()
    except Exception:  # closing a connection the server already dropped may fail: it is gone anyway
        pass


def _pause(seconds: float, stopped) -> None:
    """Sleep `seconds` in steps of at most one second, sooner over when `stopped()` says so (SIGTERM)."""
    end = time.monotonic() + seconds
    while not stopped():
        left = end - time.monotonic()
        if left <= 0:
            return
        time.sleep(min(1.0, left))


def work(
    *, once: bool = False, poll: float = 2.0, workers: int = 1, dask_scheduler: str | None = None
) -> int:
    """Run queued jobs; with `once`, those waiting now, then return. The number of jobs run.

    Without `once`, a database that does not answer is waited for (module docstring, « The database gone »);
    with `once`, its error is raised to the caller."""
    done = 0
    last_housekeeping = -HOUSEKEEPING_EVERY
    last_beat = -WORKER_BEAT_EVERY
    backoff = 0.0  # the next wait while the database is gone; 0 when it answers
    stopping = False
    running = False

    def on_term(signum, frame):
        nonlocal stopping
        stopping = True
        if running:
            raise WorkerStopped

    def database_gone(error: BaseException, job: ScreeningJob | None = None) -> None:
        nonlocal backoff, last_beat
        if once:
            raise error
        backoff = min(RECONNECT_MAX, backoff * 2) if backoff else RECONNECT_FIRST
        if job is not None:
            logger.warning(
                "screening job %s interrupted: database unavailable (%s); it fails as stalled later",
                job.pk,
                type(error).__name__,
            )
        logger.warning(
            "base de données injoignable (%s) : nouvel essai dans %.0f s", type(error).__name__, backoff
        )
        _close_connections()
        _pause(backoff, lambda: stopping)
        last_beat = -WORKER_BEAT_EVERY

    previous = signal.signal(signal.SIGTERM, on_term) if _main_thread() else None
    _ready(workers, poll, dask_scheduler)
    try:
        with contextlib.ExitStack() as stack:
            if not once:
                # The queue of outgoing e-mails, sent every 5 s from a thread of its own (pacte.core.mail), so that
                # a long job does not hold the mails back.
                stack.enter_context(mail.Sender())
            while not stopping:
                try:
                    if time.monotonic() - last_beat >= WORKER_BEAT_EVERY:
                        worker_beat()
                        last_beat = time.monotonic()
                    if time.monotonic() - last_housekeeping >= HOUSEKEEPING_EVERY:
                        fail_stale()
                        purge()
                        last_housekeeping = time.monotonic()
                    job = claim_next()
                except DATABASE_GONE as error:
                    database_gone(error)
                    continue
                if backoff:
                    logger.info("base de nouveau joignable")
                    backoff = 0.0
                if job is None:
                    if once:
                        mail.send_pending()  # `--une-fois`: what is queued goes out too
                        break
                    time.sleep(poll)
                    continue
                running = True
                try:
                    run(job, workers=workers, dask_scheduler=dask_scheduler)
                except DATABASE_GONE as error:
                    running = False
                    database_gone(error, job)
                    continue
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
