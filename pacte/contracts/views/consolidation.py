"""Consolidation of the contracts for France and per région: pages and CSV / XLSX exports of each table."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse

from pacte.contracts import consolidation, consolidation_exports, perms
from pacte.contracts.enums import YEARS
from pacte.core import page_cache
from pacte.core.exports import FORMATS, export_response
from pacte.territories.enums import Level
from pacte.territories.models import Territory

NATIONAL_SCOPE = "france"


def _region(code: str) -> Territory:
    return get_object_or_404(Territory, level=Level.REGION, code=code)


def _scope(user, code: str) -> Territory | None:
    """The région of `code` ("france": None) once `user` may see its figures; 404 for an unknown région,
    403 for a scope outside the user's."""
    region = None if code == NATIONAL_SCOPE else _region(code)
    if not perms.can_view_consolidation(user, region):
        raise PermissionDenied
    return region


def _key(region: Territory | None) -> str:
    return NATIONAL_SCOPE if region is None else f"{region.pk}-{region.code}"


def _evaluations_url(user, region: Territory | None) -> str | None:
    """The consolidated conclusions of the mid-term evaluations of the same scope, for who may see them."""
    if not perms.can_view_evaluation_consolidation(user, region):
        return None
    return (
        reverse("contracts:evaluations_region", args=[region.code])
        if region
        else reverse("contracts:evaluations")
    )


def _page(request, region: Territory | None):
    # The same tables for whoever may see the scope (checked by the caller): kept per data version.
    data = page_cache.cached_per_version(
        "consolidation", lambda: consolidation.consolidate(region), _key(region)
    )
    scope_code = NATIONAL_SCOPE if region is None else region.code
    national_url = reverse("contracts:consolidation")
    if region is None:
        breadcrumb = {"current": "Consolidation nationale"}
        title = "Consolidation nationale des contrats locaux des solidarités"
    else:
        links = [{"url": national_url, "title": "Consolidation nationale"}]
        breadcrumb = {
            "links": links if perms.can_view_consolidation(request.user) else [],
            "current": region.name,
        }
        title = f"Consolidation des contrats locaux des solidarités – {region.name}"
    context = {
        "title": title,
        "data": data,
        "region": region,
        "years": YEARS,
        "scope_code": scope_code,
        "exports": {
            name.replace("-", "_"): {
                fmt: reverse("contracts:consolidation_export", args=[scope_code, name, fmt])
                for fmt in FORMATS
            }
            for name in consolidation_exports.EXPORT_TABLES
        },
        "breadcrumb_data": breadcrumb,
        "may_view_allocations": perms.can_view_allocations(request.user, region),
        "may_view_compliance": perms.can_view_compliance(request.user),
        "evaluations_url": _evaluations_url(request.user, region),
        "linked_regions": {
            group.region.code
            for group in data.regions
            if perms.can_view_consolidation(request.user, group.region)
        },
    }
    return render(request, "contracts/consolidation.html", context)


@login_required
def national(request):
    return _page(request, _scope(request.user, NATIONAL_SCOPE))


@login_required
def regional(request, code: str):
    if code == NATIONAL_SCOPE:
        return redirect("contracts:consolidation")
    return _page(request, _scope(request.user, code))


@login_required
def export(request, scope: str, table: str, fmt: str):
    if fmt not in FORMATS or table not in consolidation_exports.EXPORT_TABLES:
        raise Http404("Export inconnu")
    region = _scope(request.user, scope)
    stem, header, rows = consolidation_exports.export_table(table, region)
    return export_response(fmt, f"consolidation-{scope}-{stem}", header, rows)


urlpatterns = [
    path("consolidation/", national, name="consolidation"),
    path("consolidation/<str:code>/", regional, name="consolidation_region"),
    path("consolidation/<str:scope>/<str:table>.<str:fmt>", export, name="consolidation_export"),
]
