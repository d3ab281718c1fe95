"""The territorial diagnostic's page and PDF (built by `pacte.observation.diagnostics`), and the territory
selector of the index page leading to it.

The PDF of the public diagnostic (an anonymous visitor's) is rendered once per data version
(`pacte.observation.diagnostic_version`) and served from storage (`pacte.core.pdf_cache`: ETag, 304); rendering
one for an anonymous visitor is counted by the throttle. A signed-in user's PDF is rendered for them."""

import re

from django.shortcuts import redirect, render
from django.urls import path, re_path, reverse
from django.utils import timezone

from pacte.accounts.throttling import client_ip
from pacte.core import pdf_cache
from pacte.observation import diagnostic_version, diagnostics, pdf, queries
from pacte.observation.views.common import INDEX, diagnostic_territory_or_hide
from pacte.territories.enums import Level

UNAVAILABLE = (
    "Le diagnostic territorial existe pour les départements, les métropoles et les régions. "
    "Pour une autre intercommunalité ou une commune, consultez les tableaux des indicateurs par niveau."
)


def _unavailable(request, message: str = UNAVAILABLE):
    context = {"title": "Diagnostic territorial indisponible", "message": message, "status": 404}
    return render(request, "core/error.html", context, status=404)


def diagnostic(request, level: str, code: str):
    if level == Level.EPCI:
        territory = queries.find_territory("metropole", code)
        if territory is not None:
            return redirect("observation:diagnostic", level="metropole", code=code)
    if level not in queries.DIAGNOSTIC_LEVELS:
        return _unavailable(request)
    territory = diagnostic_territory_or_hide(request.user, level, code)
    result = diagnostics.build_diagnostic(request.user, territory)
    links = [INDEX]
    if result.region is not None:
        links.append(
            {
                "url": reverse(
                    "observation:diagnostic", kwargs={"level": "region", "code": result.region.code}
                ),
                "title": result.region.name,
            }
        )
    context = {
        "title": result.title,
        "diagnostic": result,
        "method": diagnostics.METHOD,
        "breadcrumb_data": {"links": links, "current": f"Diagnostic – {territory.name}"},
    }
    return render(request, "observation/diagnostic.html", context)


def diagnostic_pdf(request, level: str, code: str):
    if level not in queries.DIAGNOSTIC_LEVELS:
        return _unavailable(request)
    territory = diagnostic_territory_or_hide(request.user, level, code)
    if request.user.is_authenticated:
        result = diagnostics.build_diagnostic(request.user, territory)
        return pdf_cache.fresh(pdf.diagnostic_pdf(result), pdf.diagnostic_filename(result))
    level = queries.level_of(territory)
    return pdf_cache.serve_or_render(
        request,
        diagnostic_version.stored_name(territory),
        lambda stored_at: f"diagnostic-{level}-{territory.code}-{timezone.localtime(stored_at):%Y-%m-%d}.pdf",
        lambda: pdf.diagnostic_pdf(diagnostics.build_diagnostic(request.user, territory)),
        client_ip(request),
    )


def diagnostic_choice(request):
    """The territory selector of the index page: "departement:44" → the diagnostic of Loire-Atlantique."""
    choice = request.GET.get("territoire", "")
    match = re.fullmatch(r"(departement|region|metropole):([0-9A-Za-z]{2,9})", choice)
    if match is None:
        return redirect(reverse("observation:index") + "#diagnostic")
    return redirect("observation:diagnostic", level=match[1], code=match[2].upper())


urlpatterns = [
    path("diagnostic/", diagnostic_choice, name="diagnostic_choice"),
    re_path(
        r"^diagnostic/(?P<level>[a-z]+)/(?P<code>[0-9A-Za-z]{1,9})\.pdf$",
        diagnostic_pdf,
        name="diagnostic_pdf",
    ),
    path("diagnostic/<str:level>/<str:code>/", diagnostic, name="diagnostic"),
]
