"""The batch jobs of the access to rights that the user uploaded and that finished since its last visit or in the
last 30 days. Only the job's file name, month and state are shown, never a household: the results are on the
job's page, for its uploader (`pacte.screening.perms`)."""

from datetime import date, timedelta

from django.utils import timezone

from pacte import formatting
from pacte.screening.enums import JobStatus
from pacte.screening.models import ScreeningJob
from pacte.workspace.tasks import Task

RECENT_DAYS = 30


def screening_tasks(user, today: date) -> list[Task]:
    if not (user.is_authenticated and user.is_active and user.role):
        return []
    since = timezone.now() - timedelta(days=RECENT_DAYS)
    if user.last_login is not None and user.last_login < since:
        since = user.last_login
    jobs = ScreeningJob.objects.filter(
        uploader=user, status__in=(JobStatus.DONE, JobStatus.FAILED), finished_at__gte=since
    ).order_by("-finished_at", "pk")
    tasks = []
    for job in jobs:
        failed = job.status == JobStatus.FAILED
        expires = None
        if not failed and job.results_purged_at is None and job.results_expire_at is not None:
            expires = timezone.localdate(job.results_expire_at)
        detail = (
            f"{job.get_status_display().lower()} le {formatting.date(timezone.localdate(job.finished_at))}"
        )
        if expires is not None:
            detail += " ; résultats supprimés après l'échéance"
        tasks.append(
            Task(
                kind="screening_jobs",
                title=f"{job.file_name} – mois {job.month}",
                url=job.get_absolute_url(),
                action="Voir le traitement" if failed else "Voir les résultats",
                due_on=expires,
                detail=detail,
            )
        )
    return tasks
