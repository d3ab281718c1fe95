"""Extracts of the observation attached to a meeting, frozen when attached.

A meeting record must not change when the statistics do: the extract is rendered once, to HTML, and stored
with the document. It holds public data only (whoever attaches it; the documents of a public instance may be
public) and the figures as of the meeting date: the statistical values of the years up to the meeting's year,
and the barometer computed as of the meeting day.
"""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.utils import timezone

from pacte.observation import barometer as barometer_service
from pacte.observation import queries


@dataclass
class ExtractRow:
    label: str
    unit: str
    value: str
    region: str
    france: str
    is_demo: bool


def _until(points: list[queries.Point], year: int) -> list[queries.Point]:
    return [point for point in points if point.period <= year]


def diagnostic_rows(territory, as_of: date) -> list[ExtractRow]:
    """Key public indicators of `territory` next to its région and France, latest value up to `as_of`'s year."""
    indicators = list(queries.visible_indicators(AnonymousUser()))
    region = territory.region if queries.level_of(territory) != "region" else None
    found = queries.series([i.pk for i in indicators], [territory.pk, region.pk if region else None])
    rows = []
    for indicator in indicators:
        own = _until(found.get((indicator.pk, territory.pk), []), as_of.year)
        regional = _until(found.get((indicator.pk, region.pk), []), as_of.year) if region else []
        france = _until(found.get((indicator.pk, None), []), as_of.year)
        if not (own or regional or france):
            continue
        rows.append(
            ExtractRow(
                label=indicator.short_label or indicator.label,
                unit=indicator.unit,
                value=queries.display(indicator, queries.latest(own), with_period=True),
                region=queries.display(indicator, queries.latest(regional), with_period=True)
                if region
                else "",
                france=queries.display(indicator, queries.latest(france), with_period=True),
                is_demo=any(point.is_demo for point in own + regional + france),
            )
        )
    return rows


def diagnostic_extract(territory, as_of: date) -> str:
    rows = diagnostic_rows(territory, as_of)
    region = territory.region if queries.level_of(territory) != "region" else None
    return render_to_string(
        "governance/extracts/diagnostic.html",
        {
            "territory": territory,
            "region": region,
            "rows": rows,
            "as_of": as_of,
            "generated_at": timezone.localtime(),
            "has_demo": any(row.is_demo for row in rows),
        },
    )


def barometer_extract(as_of: date) -> str:
    data = barometer_service.barometer(include_restricted=False, today=as_of)
    return render_to_string(
        "governance/extracts/barometer.html",
        {"data": data, "as_of": as_of, "generated_at": timezone.localtime()},
    )
