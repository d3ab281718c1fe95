"""Open data: every public indicator downloadable as CSV and JSON, with its provenance.

The CSV is the long format that `pacte observation import` accepts (`indicateur;territoire;niveau;
periode;valeur` plus descriptive columns; `champ` says the geographic field of a national value — France entière
or France métropolitaine, the ERFS's — and is read back by the import), separated by semicolons, UTF-8 with BOM and decimal commas as
in pacte.core.exports. Both formats are streamed: rows are read in chunks, never all at once, so that the
35,000 communes × several years of an indicator never sit in memory. Indicators that are not public are
not published here (404), whoever asks.
"""

import csv
import io
import json
from collections.abc import Iterator

from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import path, re_path
from django.utils import timezone

from pacte.core.exports import csv_cell
from pacte.observation import queries
from pacte.observation.enums import NationalScope, ValueStatus
from pacte.observation.models import Indicator
from pacte.observation.views.common import INDEX, public_indicator_or_hide

HEADER = [
    "indicateur",
    "libelle",
    "territoire",
    "territoire_nom",
    "niveau",
    "periode",
    "valeur",
    "statut",
    "donnee_fictive",
    "source",
    "millesime",
    "mise_a_jour",
    "champ",
]
FRANCE_CODE = "FR"
CHUNK = 2000
DOWNLOAD_LEVELS = {"france": "France entière", **queries.LEVELS}


class BadFilter(ValueError):
    """A French message naming the parameter."""


def parse_filters(params) -> tuple[str | None, int | None]:
    """`niveau` and `periode` of a download; BadFilter names the wrong one."""
    level = params.get("niveau", "").strip() or None
    if level is not None and level not in DOWNLOAD_LEVELS:
        raise BadFilter(
            f"niveau : « {level} » n'est pas un niveau connu ; niveaux possibles : {', '.join(DOWNLOAD_LEVELS)}."
        )
    raw_period = params.get("periode", "").strip()
    period = None
    if raw_period:
        if not raw_period.isdigit() or not 1900 <= int(raw_period) <= 2100:
            raise BadFilter(f"periode : « {raw_period} » n'est pas une année (AAAA).")
        period = int(raw_period)
    return level, period


def _bad_request(error: BadFilter) -> HttpResponse:
    return HttpResponse(f"Requête invalide. {error}\n", status=400, content_type="text/plain; charset=utf-8")


def _timestamp(value) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""


def _filename(indicator: Indicator, level: str | None, period: int | None, extension: str) -> str:
    parts = [indicator.code.lower(), level, str(period) if period else None]
    return "-".join(part for part in parts if part) + f".{extension}"


def _records(indicator: Indicator, level: str | None, period: int | None) -> Iterator[dict]:
    """One dict per value, read from the database in chunks."""
    rows = queries.export_values(indicator, level, period)
    for code, name, territory_level, year, value, status, is_demo, source, updated_at, scope in rows.iterator(
        chunk_size=CHUNK
    ):
        yield {
            "territoire": code or FRANCE_CODE,
            "territoire_nom": name or "France",
            "niveau": territory_level or "france",
            "periode": year,
            "valeur": value,
            "statut": status,
            "donnee_fictive": is_demo,
            "source": source or indicator.source,
            "mise_a_jour": updated_at,
            "champ": NationalScope(scope).label if scope else "",
        }


class _Line:
    """A file-like object whose write() hands back what csv.writer gives it."""

    def write(self, text: str) -> str:
        return text


def _csv_lines(indicator: Indicator, level: str | None, period: int | None) -> Iterator[str]:
    writer = csv.writer(_Line(), delimiter=";", lineterminator="\r\n")
    yield "\ufeff" + writer.writerow(HEADER)
    buffer = io.StringIO()
    batch = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for count, record in enumerate(_records(indicator, level, period), 1):
        batch.writerow(
            [
                csv_cell(value)  # text that cannot be taken for a formula (core.spreadsheet)
                for value in (
                    indicator.code,
                    indicator.label,
                    record["territoire"],
                    record["territoire_nom"],
                    record["niveau"],
                    record["periode"],
                    record["valeur"],
                    record["statut"],
                    record["donnee_fictive"],
                    record["source"],
                    indicator.vintage,
                    _timestamp(record["mise_a_jour"]),
                    record["champ"],
                )
            ]
        )
        if count % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def download_csv(request, code: str):
    indicator = public_indicator_or_hide(code)
    try:
        level, period = parse_filters(request.GET)
    except BadFilter as error:
        return _bad_request(error)
    response = StreamingHttpResponse(
        _csv_lines(indicator, level, period), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(indicator, level, period, "csv")}"'
    return response


def provenance(indicator: Indicator) -> dict:
    """What the JSON download (and the API) says about an indicator's origin."""
    return {
        "code": indicator.code,
        "libelle": indicator.label,
        "libelle_court": indicator.short_label,
        "nature": indicator.kind,
        "unite": indicator.unit,
        "decimales": indicator.decimals,
        "valeur_elevee_defavorable": indicator.higher_is_worse,
        "definition": indicator.description,
        "lien_definition": indicator.definition_url,
        "source": indicator.source,
        "lien_source": indicator.source_url,
        "millesime": indicator.vintage,
        "mise_a_jour": _timestamp(queries.last_update(indicator)),
    }


def _number(value) -> float | None:
    return None if value is None else float(value)


def _json_chunks(indicator: Indicator, level: str | None, period: int | None) -> Iterator[str]:
    head = {
        "indicateur": provenance(indicator),
        "filtres": {"niveau": level, "periode": period},
    }
    opening = json.dumps(head, ensure_ascii=False)[:-1]
    yield opening + ', "valeurs": ['
    parts: list[str] = []
    for count, record in enumerate(_records(indicator, level, period)):
        record["valeur"] = _number(record["valeur"])
        record["mise_a_jour"] = _timestamp(record["mise_a_jour"])
        parts.append(("," if count else "") + json.dumps(record, ensure_ascii=False))
        if len(parts) == 500:
            yield "".join(parts)
            parts = []
    yield "".join(parts) + "]}"


def download_json(request, code: str):
    indicator = public_indicator_or_hide(code)
    try:
        level, period = parse_filters(request.GET)
    except BadFilter as error:
        return _bad_request(error)
    response = StreamingHttpResponse(
        _json_chunks(indicator, level, period), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="{_filename(indicator, level, period, "json")}"'
    return response


def opendata_index(request):
    indicators = list(Indicator.objects.filter(is_public=True).order_by("order", "code"))
    national = queries.latest_national([indicator.pk for indicator in indicators])
    context = {
        "title": "Données ouvertes de l’observation",
        "indicators": [(indicator, national.get(indicator.pk)) for indicator in indicators],
        "levels": DOWNLOAD_LEVELS,
        "header": HEADER,
        "statuses": ValueStatus.choices,
        "breadcrumb_data": {"links": [INDEX], "current": "Données ouvertes"},
    }
    return render(request, "observation/opendata.html", context)


urlpatterns = [
    path("donnees/", opendata_index, name="opendata"),
    re_path(r"^donnees/(?P<code>[A-Za-z0-9_-]+)\.csv$", download_csv, name="opendata_csv"),
    re_path(r"^donnees/(?P<code>[A-Za-z0-9_-]+)\.json$", download_json, name="opendata_json"),
]
