"""The territorial diagnostic's page and PDF (built by `pacte.observation.diagnostics`), and the territory
selector of the index page leading to it."""

import re

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, re_path, reverse

from pacte.observation import diagnostics, pdf, queries
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
    result = diagnostics.build_diagnostic(request.user, territory)
    response = HttpResponse(pdf.diagnostic_pdf(result), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf.diagnostic_filename(result)}"'
    return response


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
