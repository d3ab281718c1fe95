"""Pages of the notified ceilings: the list of the allocations notified to each collectivité per envelope and year
(national steering: France; a regional commissioner: its région and its total), the notification form and the CSV
import (national steering), the CSV model, and the exports of the list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse

from pacte.accounts.scope import is_national
from pacte.contracts import perms, queries
from pacte.contracts.allocation_forms import AllocationFilterForm, AllocationForm, AllocationImportForm
from pacte.contracts.enums import YEARS
from pacte.contracts.services import allocations
from pacte.contracts.views.common import breadcrumb
from pacte.core.collation import french
from pacte.core.exports import FORMATS, export_response
from pacte.core.forms import errors_on
from pacte.territories.collectivites import collectivite_for, is_signing_territory
from pacte.territories.enums import METROPOLE_TYPES, Level
from pacte.territories.models import Territory

TITLE = "Plafonds notifiés"


def _scope(request):
    """(région or None for France, filters) the user may see; 403 for anyone but national steering and the
    regional commissioners."""
    user = request.user
    if not perms.can_view_allocations(user):
        raise PermissionDenied
    filters = AllocationFilterForm(request.GET or None)
    chosen = filters.filters()
    region = chosen.get("region")
    if not is_national(user):
        region = perms.user_region(user)
        if region is None or not perms.can_view_allocations(user, region):
            raise PermissionDenied
    return region, chosen.get("envelope"), filters


@login_required
def allocation_list(request):
    region, envelope, filters = _scope(request)
    rows = queries.allocation_rows(region, envelope)
    query = request.GET.urlencode()
    context = {
        "title": TITLE if region is None else f"{TITLE} – {region.name}",
        "region": region,
        "rows": rows,
        "totals": queries.allocation_totals(rows),
        "years": YEARS,
        "filter_form": filters if is_national(request.user) else None,
        "may_notify": perms.can_notify_allocations(request.user),
        "exports": {
            fmt: reverse("contracts:allocations_export", args=[fmt]) + (f"?{query}" if query else "")
            for fmt in FORMATS
        },
        "breadcrumb_data": breadcrumb(TITLE),
    }
    return render(request, "contracts/allocation_list.html", context)


def _signing_territories():
    """The territories a collectivité signs for (for Corse or Alsace, the first of the territories it covers)."""
    candidates = Territory.objects.active().filter(
        Q(level=Level.DEPARTEMENT) | Q(level=Level.EPCI, epci_type__in=METROPOLE_TYPES)
    )
    ids = [territory.pk for territory in candidates if is_signing_territory(territory)]
    return Territory.objects.filter(pk__in=ids).order_by(french("name"))


@login_required
def allocation_notify(request):
    if not perms.can_notify_allocations(request.user):
        raise PermissionDenied
    form = AllocationForm(request.POST or None, territories=_signing_territories())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with errors_on(form) as outcome, transaction.atomic():
            collectivite = collectivite_for(data["territory"])
            for year in data["years"]:
                allocations.notify_allocation(
                    collectivite,
                    data["envelope"],
                    year,
                    amount=data["amount"],
                    notified_on=data["notified_on"],
                    user=request.user,
                    reference=data["reference"],
                )
        if outcome.ok:
            messages.success(
                request,
                f"Le plafond de {collectivite.name} est notifié pour {', '.join(map(str, data['years']))}.",
            )
            return redirect("contracts:allocations")
    context = {
        "title": "Notifier un plafond",
        "form": form,
        "breadcrumb_data": breadcrumb("Notifier", {"url": reverse("contracts:allocations"), "title": TITLE}),
    }
    return render(request, "contracts/allocation_form.html", context)


@login_required
def allocation_import(request):
    if not perms.can_notify_allocations(request.user):
        raise PermissionDenied
    form = AllocationImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        with errors_on(form) as outcome:
            report = allocations.import_allocations(form.cleaned_data["file"].read(), user=request.user)
        if outcome.ok:
            messages.success(request, f"Import terminé : {report.summary}")
            return redirect("contracts:allocations")
    context = {
        "title": "Importer des plafonds",
        "form": form,
        "columns": allocations.CSV_COLUMNS,
        "breadcrumb_data": breadcrumb("Importer", {"url": reverse("contracts:allocations"), "title": TITLE}),
    }
    return render(request, "contracts/allocation_import.html", context)


@login_required
def allocation_model(request):
    """A CSV to fill in: the header and two example lines."""
    if not perms.can_notify_allocations(request.user):
        raise PermissionDenied
    lines = [
        ";".join(allocations.CSV_COLUMNS),
        "44;solidarites;2024;1200000;15/01/2024;Courrier DIPLP n° 1",
        "244400404;metropoles;2024;400000;15/01/2024;",
    ]
    response = HttpResponse("\ufeff" + "\r\n".join(lines) + "\r\n", content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="plafonds-modele.csv"'
    return response


EXPORT_HEADER = ["Collectivité", "Code du territoire", "Nature", "Enveloppe"]
EXPORT_HEADER += [f"Plafond {year} (€)" for year in YEARS] + ["Total (€)"]


@login_required
def allocation_export(request, fmt: str):
    if fmt not in FORMATS:
        raise Http404("Format d'export inconnu")
    region, envelope, _filters = _scope(request)
    rows = [
        [
            row.collectivite.name,
            row.collectivite.main_territory.code,
            row.collectivite.get_kind_display(),
            row.envelope_label,
            *("non notifié" if cell is None else cell.amount for cell in row.cells),
            row.total,
        ]
        for row in queries.allocation_rows(region, envelope)
    ]
    stem = "plafonds-notifies" + (f"-{region.code}" if region else "")
    return export_response(fmt, stem, EXPORT_HEADER, rows)


urlpatterns = [
    path("plafonds/", allocation_list, name="allocations"),
    path("plafonds/notifier/", allocation_notify, name="allocations_notify"),
    path("plafonds/import/", allocation_import, name="allocations_import"),
    path("plafonds/modele.csv", allocation_model, name="allocations_model"),
    path("plafonds/export.<str:fmt>", allocation_export, name="allocations_export"),
]
