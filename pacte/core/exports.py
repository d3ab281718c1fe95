"""Exports of tables that French spreadsheet software opens as they are: CSV with semicolons, UTF-8 with
BOM and decimal commas, or XLSX with real numbers and dates.

Every text cell goes through `core.spreadsheet.neutralise` (CSV and XLSX alike): a text a spreadsheet could take
for a formula (`=`, `+`, `-`, `@`, tab or carriage return at the start) is written with a single quote in front,
never as a formula; numbers stay numbers. An XLSX cell cannot hold the control characters XML forbids: they are
replaced by U+FFFD (�) rather than failing the whole export."""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.http import Http404, HttpResponse
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from pacte import formatting
from pacte.core.spreadsheet import neutralise

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("csv", "xlsx")


def csv_cell(value) -> str:
    """A value as a French spreadsheet reads it: « oui »/« non », numbers with a decimal comma and no grouping,
    text that cannot be taken for a formula (`neutralise`)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, Decimal | float):
        return formatting.typed_number(value)
    if isinstance(value, int):
        return str(value)
    return neutralise(str(value))


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";", lineterminator="\r\n")
    writer.writerow([csv_cell(name) for name in header])
    for row in rows:
        writer.writerow([csv_cell(value) for value in row])
    return response


def _xlsx_text(text: str) -> str:
    """A text cell of an XLSX file: never a formula (openpyxl stores a text beginning with `=` as one), no
    character XML forbids."""
    return neutralise(ILLEGAL_CHARACTERS_RE.sub("\ufffd", text))


def _xlsx_cell(value):
    if value is None:
        return None
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if isinstance(value, int | float | date):
        return value
    return _xlsx_text(str(value))


def xlsx_response(
    filename: str, header: Sequence[str], rows: Iterable[Sequence], sheet_title: str = "Export"
) -> HttpResponse:
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    sheet.append([_xlsx_cell(name) for name in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([_xlsx_cell(value) for value in row])
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_response(fmt: str, stem: str, header: Sequence[str], rows: Iterable[Sequence]) -> HttpResponse:
    """`fmt` is "csv" or "xlsx" (anything else is a 404); `stem` is the file name without extension."""
    if fmt == "csv":
        return csv_response(f"{stem}.csv", header, rows)
    if fmt == "xlsx":
        return xlsx_response(f"{stem}.xlsx", header, rows)
    raise Http404("Format d'export inconnu")
