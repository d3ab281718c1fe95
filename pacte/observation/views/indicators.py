"""Indicator pages: the list of indicators, and one indicator's choropleth map of départements (or the
table of another level), its time series and its provenance.

Public indicators are open to everyone; an indicator that is not public is answered 404 to whoever may
not see it (perms.can_view_indicator). Each page runs a fixed number of queries whatever the number of
territories: the values of a level come in one query, a table of EPCI or communes is paginated.
"""

import re

from django.conf import settings
from django.shortcuts import render
from django.urls import path, reverse

from pacte import formatting
from pacte.core.collation import french
from pacte.observation import charts, perms, queries
from pacte.observation.enums import NationalScope, ValueStatus
from pacte.observation.models import Indicator
from pacte.observation.views.common import INDEX, indicator_or_hide
from pacte.territories.enums import Level
from pacte.territories.models import Territory

MAX_COMPARED = 5


def index(request):
    indicators = list(queries.visible_indicators(request.user))
    national = queries.latest_national([indicator.pk for indicator in indicators])
    rows = [
        {
            "indicator": indicator,
            "national_point": national.get(indicator.pk),
            "national": queries.display(indicator, national.get(indicator.pk), with_period=True),
        }
        for indicator in indicators
    ]
    context = {
        "title": "Observation de la pauvreté",
        "rows": rows,
        "diagnostic_choices": diagnostic_choices(),
        "may_import": perms.can_import_observations(request.user),
        "breadcrumb_data": {"current": INDEX["title"]},
    }
    return render(request, "observation/index.html", context)


def diagnostic_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Options of the territory selector leading to a diagnostic: régions, départements, métropoles."""
    groups: dict[str, list[tuple[str, str]]] = {"region": [], "departement": [], "metropole": []}
    territories = (
        Territory.objects.active()
        .filter(queries.level_q("region") | queries.level_q("departement") | queries.level_q("metropole"))
        .order_by(french("name"), "code")
        .values_list("level", "code", "name")
    )
    for level, code, name in territories:
        key = "metropole" if level == Level.EPCI else level
        groups[key].append((f"{key}:{code}", f"{name} ({code})" if key != "metropole" else name))
    labels = {"region": "Régions", "departement": "Départements", "metropole": "Métropoles"}
    return [(labels[key], options) for key, options in groups.items() if options]


def _territory_codes(request) -> list[str]:
    codes: list[str] = []
    for raw in request.GET.getlist("territoire"):
        for code in re.split(r"[\s,;]+", raw.strip()):
            if code and code not in codes:
                codes.append(code.upper())
    return codes[:MAX_COMPARED]


def _diagnostic_url(level: str, code: str) -> str | None:
    if level not in queries.DIAGNOSTIC_LEVELS:
        return None
    return reverse("observation:diagnostic", kwargs={"level": level, "code": code})


def indicator_detail(request, code: str):
    indicator = indicator_or_hide(request.user, code)
    errors: list[str] = []
    levels = queries.levels_with_values(indicator)
    default_level = "departement" if "departement" in levels or not levels else levels[0]
    level = request.GET.get("niveau") or default_level
    if level not in queries.LEVELS:
        errors.append(
            f"niveau : « {level} » n'est pas un niveau connu ; niveaux possibles : "
            + ", ".join(queries.LEVELS)
            + "."
        )
        level = default_level
    periods = queries.periods(indicator, level) if level in levels else []
    period = periods[0] if periods else None
    asked = request.GET.get("periode", "").strip()
    if asked:
        if not asked.isdigit():
            errors.append(f"periode : « {asked} » n'est pas une année (AAAA).")
        elif int(asked) not in periods:
            errors.append(
                f"periode : pas de valeur en {asked} à ce niveau"
                + (f" ; années disponibles : {', '.join(map(str, periods))}." if periods else ".")
            )
        else:
            period = int(asked)
    order = request.GET.get("tri", "code")
    if order not in queries.TABLE_ORDERS:
        order = "code"

    context = {
        "title": indicator.label,
        "indicator": indicator,
        "errors": errors,
        "levels": [(key, queries.LEVELS[key], key in levels) for key in queries.LEVELS],
        "level": level,
        "level_label": queries.LEVELS[level],
        "level_singular": queries.LEVEL_SINGULAR[level],
        "periods": periods,
        "period": period,
        "order": order,
        "is_map": level == Level.DEPARTEMENT,
        "breadcrumb_data": {"links": [INDEX], "current": indicator.short_label or indicator.label},
    }
    rows: list[dict] = []
    if level == Level.DEPARTEMENT:
        if period is not None:
            rows = list(queries.territory_rows(indicator, level, period, order=order))
        context.update(_map(indicator, rows, period, _territory_codes(request)))
    elif period is not None:
        context.update(_table_page(request, indicator, level, period, order))
    compared = queries.find_territories(level, _territory_codes(request))
    context.update(_series(indicator, compared, period))
    context["sources_table"] = _sources_table(
        request.user, indicator, period if level == Level.DEPARTEMENT else None
    )
    context["compared"] = compared
    context["compared_codes"] = " ".join(territory.code for territory in compared)
    context["last_update"] = queries.last_update(indicator)
    return render(request, "observation/indicator.html", context)


def _map(indicator: Indicator, rows: list[dict], period: int | None, highlight: list[str]) -> dict:
    values = {row["code"]: row["value"] if row["status"] == ValueStatus.AVAILABLE else None for row in rows}
    names = {row["code"]: row["name"] for row in rows}
    links = {code: _diagnostic_url(Level.DEPARTEMENT, code) for code in names}
    title = f"{indicator.label} par département" + (f" en {period}" if period else "")
    choropleth = charts.choropleth_departements(
        values,
        names=names,
        title=title,
        unit=indicator.unit,
        decimals=indicator.decimals,
        higher_is_worse=indicator.higher_is_worse,
        highlight=[code for code in highlight if code in names],
        links=links,
        map_id="carte",
        include_legend=False,
    )
    for row in rows:
        row["status_label"] = queries.status_label(row["status"])
        row["display"] = queries.value_text(indicator, row["value"], row["status"])
        row["diagnostic_url"] = links[row["code"]]
    return {
        "choropleth": choropleth,
        "rows": rows,
        "has_demo": any(row["is_demo"] for row in rows),
        "row_count": len(rows),
        "with_value": sum(1 for row in rows if row["status"] == ValueStatus.AVAILABLE),
    }


def _table_page(request, indicator: Indicator, level: str, period: int, order: str) -> dict:
    departement = None
    departements: list[tuple[str, str]] = []
    if level in (Level.EPCI, Level.COMMUNE):
        departements = list(
            Territory.objects.filter(level=Level.DEPARTEMENT, is_active=True)
            .order_by("code")
            .values_list("code", "name")
        )
        wanted = request.GET.get("departement", "").strip().upper()
        if wanted:
            departement = Territory.objects.filter(level=Level.DEPARTEMENT, code=wanted).first()
    page, rows = queries.territory_page(
        indicator,
        level,
        period,
        order=order,
        departement=departement,
        page_number=request.GET.get("page"),
        page_size=settings.PACTE_PAGE_SIZE,
    )
    for row in rows:
        row["status_label"] = queries.status_label(row["status"])
        row["display"] = queries.value_text(indicator, row["value"], row["status"])
        row["diagnostic_url"] = _diagnostic_url(level, row["code"])
    return {
        "page": page,
        "rows": rows,
        "has_demo": any(row["is_demo"] for row in rows),
        "departements": departements,
        "departement": departement,
    }


def _series(indicator: Indicator, compared: list[Territory], period: int | None) -> dict:
    found = queries.series([indicator.pk], [territory.pk for territory in compared])
    france = found.get((indicator.pk, None), [])
    france_label = queries.national_label(france)
    # A national value of metropolitan France (the ERFS) is not drawn beside a territory d'outre-mer.
    apart = [
        territory.name
        for territory in compared
        if any(point.scope and not NationalScope(point.scope).compares_with(territory) for point in france)
    ]
    drawn = [] if apart else france
    lines = [
        charts.Series(france_label, [(point.period, point.value) for point in drawn], emphasis=True),
        *(
            charts.Series(
                territory.name,
                [(point.period, point.value) for point in found.get((indicator.pk, territory.pk), [])],
            )
            for territory in compared
        ),
    ]
    has_points = any(line.points for line in lines)
    chart = None
    if has_points:
        names = " et ".join([line.label for line in lines if line.points][:3])
        chart = charts.line_chart(
            lines,
            title=f"{indicator.label} : évolution ({names})",
            unit=indicator.unit,
            decimals=indicator.decimals,
            chart_id="graphique",
        )
    years = sorted({point_year for line in lines for point_year, _value in line.points})
    table = []
    for line in lines:
        if line.points:
            by_year = dict(line.points)
            table.append((line.label, [_cell(indicator, by_year.get(year)) for year in years]))
    france_value = queries.at(france, period) if period is not None else None
    latest_france = queries.latest(france)
    return {
        "chart": chart,
        "series_years": years,
        "series_table": table,
        "france_point": france_value if france_value is not None else latest_france,
        "france_display": queries.display(
            indicator, france_value if france_value is not None else latest_france
        ),
        "france_points": france,
        "national_demo": any(point.is_demo for point in france),
        "national_sources": sorted({point.source for point in france if point.source}),
        "france_label": france_label,
        "national_apart": apart,
    }


def _sources_table(user, indicator: Indicator, period: int | None) -> dict | None:
    """The départements' values of a count made by several sources (the RSA households of the CAF and of the
    MSA, Indicator.adds_to) for `period`: one column per source, each with its source, and their sum where
    every source has a value. None for an indicator counted by one source. Three queries."""
    main = indicator.adds_to if indicator.adds_to_id else indicator
    parts = [main, *perms.visible_indicators(user, main.added_sources.all()).order_by("order", "code")]
    if len(parts) < 2 or period is None:
        return None
    departements = list(
        Territory.objects.filter(level=Level.DEPARTEMENT, is_active=True)
        .order_by("code")
        .values_list("pk", "code", "name")
    )
    found = queries.series(
        [part.pk for part in parts], [pk for pk, _code, _name in departements], national=False
    )
    published = {
        part.pk: any(queries.at(found.get((part.pk, pk), []), period) for pk, _code, _name in departements)
        for part in parts
    }
    rows = []
    for pk, code, name in departements:
        points = [queries.at(found.get((part.pk, pk), []), period) for part in parts]
        cells = [
            queries.display(part, point) if published[part.pk] else "non publié"
            for part, point in zip(parts, points, strict=True)
        ]
        known = all(point is not None and point.is_available for point in points)
        total = sum(point.value for point in points) if known else None
        rows.append(
            {
                "code": code,
                "name": name,
                "cells": cells,
                "total": _cell(main, total) if known else "–",
            }
        )
    return {"parts": parts, "published": published, "rows": rows, "period": period, "main": main}


def _cell(indicator: Indicator, value) -> str:
    return formatting.measure(value, indicator.unit, indicator.decimals)


urlpatterns = [
    path("", index, name="index"),
    path("indicateurs/<str:code>/", indicator_detail, name="indicator"),
]
