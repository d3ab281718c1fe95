"""Upload page (/observation/import/) and the record of past imports (/observation/imports/,
/observation/imports/<id>/): national steering for every territory, a regional commissioner or a member of the
région's GT « Pauvreté » for the région's territories (perms.import_region; the other rows are rejected line by
line). Everything about files is in `importers.import_file`; these views only hand it the upload and the
région, and show what it reports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path, reverse

from pacte.core.exports import csv_response
from pacte.core.forms import errors_on
from pacte.core.visibility import Hidden
from pacte.observation import perms
from pacte.observation.forms import ImportForm
from pacte.observation.importers import import_file
from pacte.observation.models import ImportBatch, Indicator
from pacte.observation.views.common import batch_or_hide, require_importer

BATCHES_PER_PAGE = 25
REJECTS_PER_PAGE = 100


def _breadcrumb(current: str, *links: tuple[str, str]) -> dict:
    links = ((reverse("observation:index"), "Observation"), *links)
    return {"links": [{"url": url, "title": title} for url, title in links], "current": current}


def _batch(user, pk: int, *, with_user: bool = False) -> ImportBatch:
    """The import `pk` if `user` may read it: 403 for who may not import, 404 for an import of another région."""
    batch = batch_or_hide(user, pk, with_user=with_user)
    if not perms.can_view_import(user, batch):
        raise Hidden("Import introuvable")
    return batch


@login_required
def import_form(request):
    require_importer(request.user)
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["fichier"]
            with errors_on(form) as outcome:
                result = import_file(
                    upload,
                    file_name=upload.name,
                    user=request.user,
                    region=perms.import_limit(request.user),
                    **form.import_options(),
                )
            if outcome.ok and result.dry_run:
                return render(
                    request,
                    "observation/import_result.html",
                    {
                        "title": f"Essai d'import – {result.file_name}",
                        "result": result,
                        "rejects": result.rejects[:REJECTS_PER_PAGE],
                        "breadcrumb_data": _breadcrumb(
                            "Essai", (reverse("observation:import"), "Importer des données")
                        ),
                    },
                )
            if outcome.ok:
                messages.success(
                    request, f"Import de « {result.file_name} » enregistré : {result.counts_line()}"
                )
                return redirect("observation:import_detail", pk=result.batch.pk)
    else:
        form = ImportForm()
    recent = (
        perms.visible_imports(request.user, ImportBatch.objects.select_related("user"))
        .defer("rejects", "message")
        .order_by("-started_at", "-pk")[:5]
    )
    return render(
        request,
        "observation/import_form.html",
        {
            "title": "Importer des données statistiques",
            "form": form,
            "failed": form.failed_batch,
            "recent": recent,
            "region": perms.import_limit(request.user),
            "breadcrumb_data": _breadcrumb("Importer des données"),
        },
    )


@login_required
def import_list(request):
    require_importer(request.user)
    batches = (
        perms.visible_imports(request.user, ImportBatch.objects.select_related("user"))
        .defer("rejects", "message")
        .order_by("-started_at", "-pk")
    )
    page = Paginator(batches, BATCHES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "observation/import_list.html",
        {
            "title": "Imports de données statistiques",
            "page_obj": page,
            "breadcrumb_data": _breadcrumb(
                "Imports", (reverse("observation:import"), "Importer des données")
            ),
        },
    )


@login_required
def import_detail(request, pk: int):
    batch = _batch(request.user, pk, with_user=True)
    page = Paginator(batch.rejects, REJECTS_PER_PAGE).get_page(request.GET.get("page"))
    indicators = Indicator.objects.filter(observations__batch=batch).distinct().order_by("order", "code")
    return render(
        request,
        "observation/import_detail.html",
        {
            "title": f"Import n° {batch.pk} – {batch.file_name}",
            "batch": batch,
            "page_obj": page,
            "message_lines": batch.message.splitlines(),
            "indicators": indicators,
            "seconds": round((batch.finished_at - batch.started_at).total_seconds(), 1),
            "breadcrumb_data": _breadcrumb(
                f"Import n° {batch.pk}",
                (reverse("observation:import"), "Importer des données"),
                (reverse("observation:imports"), "Imports"),
            ),
        },
    )


@login_required
def import_rejects(request, pk: int):
    """Every rejected row of an import, as a CSV file that spreadsheets open as is."""
    batch = _batch(request.user, pk)
    rows = (
        [reject.get("line"), reject.get("column", ""), reject.get("reason", "")] for reject in batch.rejects
    )
    return csv_response(f"import-{batch.pk}-rejets.csv", ["ligne", "colonne", "motif"], rows)


urlpatterns = [
    path("import/", import_form, name="import"),
    path("imports/", import_list, name="imports"),
    path("imports/<int:pk>/", import_detail, name="import_detail"),
    path("imports/<int:pk>/rejets.csv", import_rejects, name="import_rejects"),
]
