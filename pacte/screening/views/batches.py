"""The batches: uploading a household file, a job's page and progress, its private downloads and its summary."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from pacte.core.exports import csv_response
from pacte.screening import files, forms, jobs, perms, queries, secrecy
from pacte.screening.enums import JobStatus
from pacte.screening.views.common import breadcrumb, job_or_refuse, retention_days

TERRITORIES_PER_PAGE = 50


@sensitive_post_parameters()
@login_required
@require_http_methods(["GET", "POST"])
def upload(request):
    user = request.user
    if not perms.can_upload_households(user):
        raise PermissionDenied
    if request.method == "POST":
        form = forms.UploadForm(request.POST, request.FILES, user=user)
        if form.is_valid():
            territory = form.cleaned_data["territoire"]
            if not perms.can_screen_territory(user, territory):  # the form's choices already say so
                raise PermissionDenied
            try:
                job = jobs.submit(
                    user=user,
                    territory=territory,
                    month=form.cleaned_data["mois"],
                    upload=form.cleaned_data["fichier"],
                )
            except jobs.StorageFull as error:  # the disk of the private directory is full: nothing kept
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, f"Fichier « {job.file_name} » déposé : le traitement n° {job.pk} est en attente."
                )
                return redirect(job)
    else:
        form = forms.UploadForm(user=user)
    return render(
        request,
        "screening/upload.html",
        {
            "title": "Déposer un fichier de ménages",
            "form": form,
            "retention_days": retention_days(),
            "breadcrumb_data": breadcrumb("Déposer un fichier"),
        },
    )


@login_required
def job_detail(request, pk: int):
    job = job_or_refuse(request.user, pk)
    is_uploader = perms.can_download_results(request.user, job)
    summary = page = None
    if job.status == JobStatus.DONE:
        summary = queries.job_summary(job, masked=not perms.sees_every_figure(request.user, job))
        page = Paginator(summary.territories, TERRITORIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "screening/job.html",
        {
            "title": f"Traitement n° {job.pk}",
            "job": job,
            "is_uploader": is_uploader,
            "summary": summary,
            "page_obj": page,
            "min_households": secrecy.MIN_HOUSEHOLDS,
            "retention_days": retention_days(),
            "breadcrumb_data": breadcrumb(f"Traitement n° {job.pk}"),
        },
    )


@never_cache
@login_required
def job_status(request, pk: int):
    """The progress of a job, polled by the job page's script (which shows `text`)."""
    job = job_or_refuse(request.user, pk)
    return JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "finished": job.is_finished,
            "percent": job.percent,
            "rows": job.rows,
            "total_rows": job.total_rows,
            "households": job.households,
            "rejected": job.rejected,
            "text": job.progress_text,
        }
    )


def _private_download(request, pk: int, field: str, suffix: str):
    job = job_or_refuse(request.user, pk)
    if not perms.can_download_results(request.user, job):
        raise PermissionDenied
    name = getattr(job, field)
    if not name:
        if job.results_purged_at:
            return render(
                request,
                "screening/gone.html",
                {"title": "Résultats supprimés", "job": job, "min_households": secrecy.MIN_HOUSEHOLDS},
                status=410,
            )
        raise Http404
    response = StreamingHttpResponse(files.french_csv(name), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="droits-traitement-{job.pk}-{suffix}.csv"'
    response["Cache-Control"] = "no-store, private"
    return response


@login_required
def job_results(request, pk: int):
    """The uploader only: one row per household and benefit it is probably entitled to."""
    return _private_download(request, pk, "results_name", "resultats")


@login_required
def job_rejects(request, pk: int):
    """The uploader only: the households refused, with line and reason."""
    return _private_download(request, pk, "rejects_name", "rejets")


@login_required
def job_summary(request, pk: int):
    """The aggregated counts per commune and département: the uploader (every figure, while it holds the
    per-household results) and the territory's steering (under the statistical secrecy, see `queries`)."""
    job = job_or_refuse(request.user, pk)
    if job.status != JobStatus.DONE:
        raise Http404
    summary = queries.job_summary(job, masked=not perms.sees_every_figure(request.user, job), details=True)
    return csv_response(
        f"droits-traitement-{job.pk}-synthese.csv", queries.SUMMARY_HEADER, queries.summary_rows(summary)
    )
