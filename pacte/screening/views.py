"""Pages of the access to rights (/droits/): the simulator, the batch upload, a job's progress, results and
aggregates. Views only check who asks and hand over to forms, `simulator` and `jobs`."""

import csv
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from pacte.core.exports import csv_response
from pacte.rights.catalogue import BENEFITS, CATALOGUE
from pacte.screening import files, forms, jobs, perms, simulator
from pacte.screening.enums import AggregateLevel, JobStatus
from pacte.screening.models import ScreeningAggregate, ScreeningJob

JOBS_PER_PAGE = 25
TERRITORIES_PER_PAGE = 50
FRENCH_DECIMALS = {"montant", "montant_mensuel_non_recours"}  # columns of the engine's CSV with amounts


def _breadcrumb(current: str, *links: tuple[str, str]) -> dict:
    links = ((reverse("screening:index"), "Accès aux droits"), *links)
    return {"links": [{"url": url, "title": title} for url, title in links], "current": current}


def _job_for(user, pk: int) -> ScreeningJob:
    job = get_object_or_404(ScreeningJob.objects.select_related("territory", "uploader"), pk=pk)
    if not perms.can_view_job(user, job):
        raise PermissionDenied
    return job


@login_required
def index(request):
    user = request.user
    if not (perms.can_use_simulator(user) or perms.can_list_jobs(user)):
        raise PermissionDenied
    visible = perms.visible_jobs(user, ScreeningJob.objects.select_related("territory", "uploader"))
    page = Paginator(visible, JOBS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "screening/index.html",
        {
            "title": "Accès aux droits",
            "page_obj": page,
            "may_simulate": perms.can_use_simulator(user),
            "may_upload": perms.can_upload_households(user),
            "may_list": perms.can_list_jobs(user),
            "breadcrumb_data": {"current": "Accès aux droits"},
        },
    )


@never_cache
@sensitive_post_parameters()
@login_required
@require_http_methods(["GET", "POST"])
def simulate(request):
    """Nothing of the person is stored: no model, no session, no log; the page is not cached."""
    if not perms.can_use_simulator(request.user):
        raise PermissionDenied
    results = None
    failed = False
    if request.method == "POST":
        household_form = forms.HouseholdForm(request.POST)
        people = forms.person_formset(request.POST)
        if household_form.is_valid() and people.is_valid():
            one = simulator.household(household_form, people)
            try:
                results = simulator.simulate(one, household_form.cleaned_data["mois"])
            except simulator.SimulationError:
                failed = True
    else:
        household_form = forms.HouseholdForm()
        people = forms.person_formset()
    context = {
        "title": "Simulateur de droits",
        "household_form": household_form,
        "people": people,
        "people_errors": people.numbered_errors() if request.method == "POST" else [],
        "has_errors": request.method == "POST" and not (household_form.is_valid() and people.is_valid()),
        "failed": failed,
        "groups": simulator.groups(results) if results is not None else None,
        "commune": household_form.commune_territory,
        "breadcrumb_data": _breadcrumb("Simulateur"),
    }
    return render(request, "screening/simulator.html", context)


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
            job = jobs.submit(
                user=user,
                territory=territory,
                month=form.cleaned_data["mois"],
                upload=form.cleaned_data["fichier"],
            )
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
            "retention_days": _retention_days(),
            "breadcrumb_data": _breadcrumb("Déposer un fichier"),
        },
    )


def _retention_days() -> int:
    from django.conf import settings

    return settings.RIGHTS_RETENTION_DAYS


@login_required
def job_detail(request, pk: int):
    job = _job_for(request.user, pk)
    totals = benefits = None
    if job.status == JobStatus.DONE:
        totals = Paginator(_territory_totals(job), TERRITORIES_PER_PAGE).get_page(request.GET.get("page"))
        benefits = _benefit_totals(job)
    return render(
        request,
        "screening/job.html",
        {
            "title": f"Traitement n° {job.pk}",
            "job": job,
            "is_uploader": perms.can_download_results(request.user, job),
            "page_obj": totals,
            "benefits": benefits,
            "retention_days": _retention_days(),
            "breadcrumb_data": _breadcrumb(f"Traitement n° {job.pk}"),
        },
    )


def _territory_totals(job: ScreeningJob) -> list[dict]:
    """One row per territory of the summary (départements first): households screened, households with a
    potential non-take-up, monthly amount not claimed (sum over the benefits)."""
    amounts = dict(
        ((level, code), amount)
        for level, code, amount in job.aggregates.exclude(benefit="")
        .values("level", "code")
        .annotate(total=Sum("non_take_up_amount"))
        .values_list("level", "code", "total")
    )
    rows = job.aggregates.filter(benefit="").select_related("territory").order_by("-level", "code")
    return [
        {
            "aggregate": aggregate,
            "name": aggregate.territory.name if aggregate.territory_id else "Commune non renseignée",
            "amount": amounts.get((aggregate.level, aggregate.code), Decimal(0)),
            "share": round(100 * aggregate.non_take_up_households / aggregate.households)
            if aggregate.households
            else 0,
        }
        for aggregate in rows
    ]


def _benefit_totals(job: ScreeningJob) -> list[dict]:
    """Per benefit, over the job's départements: households with a potential non-take-up and amount."""
    sums = {
        benefit: (households, amount)
        for benefit, households, amount in job.aggregates.filter(level=AggregateLevel.DEPARTEMENT)
        .exclude(benefit="")
        .values("benefit")
        .annotate(households=Sum("non_take_up_households"), amount=Sum("non_take_up_amount"))
        .values_list("benefit", "households", "amount")
    }
    return [
        {"benefit": benefit, "households": sums[benefit.code][0], "amount": sums[benefit.code][1]}
        for benefit in CATALOGUE
        if benefit.code in sums
    ]


@never_cache
@login_required
def job_status(request, pk: int):
    """The progress of a job, polled by the job page's script."""
    job = _job_for(request.user, pk)
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
        }
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def _french_csv(name: str):
    """A CSV file of the engine as French spreadsheets open it: BOM, semicolons, decimal commas (whatever
    the separator the engine wrote, detected on the header)."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield "\ufeff"
    with open(files.path_of(name), encoding="utf-8", newline="") as source:
        first = source.readline()
        delimiter = ";" if first.count(";") >= first.count(",") else ","
        source.seek(0)
        reader = csv.reader(source, delimiter=delimiter)
        header = next(reader, [])
        decimals = [index for index, column in enumerate(header) if column in FRENCH_DECIMALS]
        yield writer.writerow(header)
        for row in reader:
            for index in decimals:
                if index < len(row):
                    row[index] = row[index].replace(".", ",")
            yield writer.writerow(row)


def _private_download(request, pk: int, field: str, suffix: str):
    job = _job_for(request.user, pk)
    if not perms.can_download_results(request.user, job):
        raise PermissionDenied
    name = getattr(job, field)
    if not name:
        if job.results_purged_at:
            return render(
                request, "screening/gone.html", {"title": "Résultats supprimés", "job": job}, status=410
            )
        raise Http404
    response = StreamingHttpResponse(_french_csv(name), content_type="text/csv; charset=utf-8")
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
    """The aggregated counts per commune and département: the uploader and the territory's steering."""
    job = _job_for(request.user, pk)
    if job.status != JobStatus.DONE:
        raise Http404
    rows = (
        [
            aggregate.level,
            aggregate.code,
            aggregate.territory.name if aggregate.territory_id else "",
            aggregate.benefit,
            BENEFITS[aggregate.benefit].label if aggregate.benefit in BENEFITS else "toutes",
            aggregate.households,
            aggregate.non_take_up_households,
            aggregate.non_take_up_amount,
        ]
        for aggregate in ScreeningAggregate.objects.filter(job=job)
        .select_related("territory")
        .order_by("-level", "code", "pk")
    )
    header = [
        "niveau",
        "code",
        "territoire",
        "prestation",
        "libelle_prestation",
        "foyers_examines",
        "foyers_non_recours",
        "montant_mensuel_non_recours",
    ]
    return csv_response(f"droits-traitement-{job.pk}-synthese.csv", header, rows)
