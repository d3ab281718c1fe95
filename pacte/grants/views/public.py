"""Public pages of the grants: the consolidation (with, for State services, the conventions they follow and
CSV / XLSX exports) and the open data in the SCDL « subventions » schema."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse

from pacte.core.exports import FORMATS, export_response
from pacte.grants import consolidation, opendata, perms
from pacte.grants.forms import ConsolidationFilterForm
from pacte.grants.views.common import breadcrumb


def _region(request):
    form = ConsolidationFilterForm(request.GET or None)
    region = form.cleaned_data.get("region") if form.is_valid() else None
    return form, region


def consolidation_page(request):
    form, region = _region(request)
    details = None
    if perms.can_view_consolidation_details(request.user):
        details = Paginator(
            consolidation.agreements_for(request.user, region), settings.PACTE_PAGE_SIZE
        ).get_page(request.GET.get("page"))
    query = f"?region={region.code}" if region else ""
    context = {
        "title": "Subventions aux associations : consolidation",
        "data": consolidation.consolidate(region),
        "form": form,
        "region": region,
        "details": details,
        "exports": {
            table: {fmt: reverse("grants:consolidation_export", args=[table, fmt]) + query for fmt in FORMATS}
            for table in consolidation.EXPORT_TABLES
        },
        "breadcrumb_data": breadcrumb("Consolidation"),
    }
    return render(request, "grants/consolidation.html", context)


def consolidation_export(request, table: str, fmt: str):
    _form, region = _region(request)
    stem = f"subventions-{table}-{region.code if region else 'france'}"
    if table == "conventions":
        if not perms.can_view_consolidation_details(request.user):
            raise PermissionDenied
        rows = consolidation.agreement_rows(request.user, region)
        return export_response(fmt, stem, consolidation.AGREEMENT_COLUMNS, rows)
    if table not in consolidation.TABLE_COLUMNS:
        raise Http404("Tableau inconnu")
    rows = consolidation.table_rows(table, region)
    return export_response(fmt, stem, consolidation.TABLE_COLUMNS[table], rows)


def opendata_page(request):
    context = {
        "title": "Données ouvertes des subventions aux associations",
        "count": opendata.published_agreements().count(),
        "has_demo": opendata.has_demo(),
        "columns": opendata.schema()["fields"],
        "version": opendata.schema()["version"],
        "breadcrumb_data": breadcrumb("Données ouvertes"),
    }
    return render(request, "grants/opendata.html", context)


def opendata_csv(request):
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="subventions.csv"'
    opendata.write_csv(response)
    return response


urlpatterns = [
    path("consolidation/", consolidation_page, name="consolidation"),
    path("consolidation/<str:table>.<str:fmt>", consolidation_export, name="consolidation_export"),
    path("donnees/", opendata_page, name="opendata"),
    path("donnees/subventions.csv", opendata_csv, name="opendata_csv"),
]
