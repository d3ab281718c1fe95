"""What the access-to-rights pages share: the breadcrumb, the job a user may see, the retention setting."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse

from pacte.screening import perms
from pacte.screening.models import ScreeningJob


def breadcrumb(current: str, *links: tuple[str, str]) -> dict:
    links = ((reverse("screening:index"), "Accès aux droits"), *links)
    return {"links": [{"url": url, "title": title} for url, title in links], "current": current}


def job_or_refuse(user, pk: int) -> ScreeningJob:
    """The job `pk` if `user` may see it (perms.can_view_job); 404 when there is none, 403 when it is out of
    the user's reach (a job number says nothing of the households)."""
    job = get_object_or_404(ScreeningJob.objects.select_related("territory", "uploader"), pk=pk)
    if not perms.can_view_job(user, job):
        raise PermissionDenied
    return job


def retention_days() -> int:
    """Days the per-household results are kept after a job (PACTE_RIGHTS_RETENTION_DAYS)."""
    return settings.RIGHTS_RETENTION_DAYS
