"""From the bytes of an uploaded or local file to a table: a header row and numbered data rows.

CSV: the encoding is UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252 (which reads
Latin-1 too); the separator (`;`, `,`, tab or `|`) is the one that splits the header row. XLSX: read with
openpyxl in read-only mode, first sheet unless another is named. In both, the header row is the first of
the first 30 rows that `is_header` accepts, so that the title lines INSEE puts above its tables are skipped.
Line numbers are those a spreadsheet shows (1 for the first line of the file).
"""

import codecs
import csv
import io
import re
import warnings
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError

from pacte import formatting

HEADER_SEARCH_ROWS = 30
DELIMITERS = (";", ",", "\t", "|")
DELIMITER_NAMES = {";": "point-virgule", ",": "virgule", "\t": "tabulation", "|": "barre verticale"}
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class UnusableFileError(ValidationError):
    """The file cannot be imported at all; nothing was written. The message (French) says why.

    A services error (`ValidationError({field: [message]})`), so that a form shows it with
    `pacte.core.forms.errors_on`: `field` names the choice at fault, "file" or the option "indicators",
    "level", "year" or "sheet" (the upload form maps it onto its own field). `result` is the ImportResult when
    the file could be read (e.g. every row was rejected), `batch` the ImportBatch that records the failure
    (None for a dry run)."""

    def __init__(self, message: str, *, result=None, field: str = "file"):
        super().__init__({field: [message]})
        self.message = message
        self.result = result
        self.field = field
        self.batch = None

    def __str__(self) -> str:
        return self.message


@dataclass
class Table:
    header: list[str]
    header_line: int
    rows: list[tuple[int, Sequence]] = field(default_factory=list)
    container: str = "csv"  # "csv" or "xlsx"
    details: str = ""  # encoding and separator, or sheet: for the report
    sheet: str | None = None


def read_bytes(source, max_size: int) -> bytes:
    """The content of a path or of a file object (an upload), refused beyond `max_size` bytes."""
    too_big = (
        "Le fichier pèse {size} : la limite est de {limit}. Découpez-le (par exemple par département) "
        "ou retirez les colonnes inutiles."
    )
    if isinstance(source, str | Path):
        path = Path(source)
        if not path.is_file():
            raise UnusableFileError(f"Le fichier « {path} » est introuvable.")
        size = path.stat().st_size
        if size > max_size:
            raise UnusableFileError(
                too_big.format(size=formatting.file_size(size), limit=formatting.file_size(max_size))
            )
        return path.read_bytes()
    size = getattr(source, "size", None)
    if size is not None and size > max_size:
        raise UnusableFileError(
            too_big.format(size=formatting.file_size(size), limit=formatting.file_size(max_size))
        )
    if hasattr(source, "seek"):
        source.seek(0)
    data = source.read(max_size + 1)
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > max_size:
        raise UnusableFileError(
            too_big.format(
                size=f"plus de {formatting.file_size(max_size)}", limit=formatting.file_size(max_size)
            )
        )
    return data


def read_table(data: bytes, *, is_header: Callable[[list[str]], bool], sheet: str | None = None) -> Table:
    """The table of a CSV or XLSX file; `UnusableFileError` when it is neither, empty or has no header."""
    if not data.strip():
        raise UnusableFileError("Le fichier est vide.")
    if data.startswith(b"PK\x03\x04"):
        return _read_workbook(data, is_header=is_header, sheet=sheet)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnusableFileError(
            "C'est un classeur Excel 97-2003 (.xls), que Pacte ne lit pas : enregistrez-le au format XLSX "
            "ou CSV, puis importez-le à nouveau."
        )
    if data.startswith(b"%PDF"):
        raise UnusableFileError(
            "C'est un document PDF : seuls les fichiers CSV et les classeurs XLSX sont lus."
        )
    return _read_csv(data, is_header=is_header)


def decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the name of its encoding."""
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            pass
    elif b"\x00" in data[:4096]:
        raise UnusableFileError(
            "Ce n'est ni un fichier CSV ni un classeur XLSX (contenu binaire) : exportez les données au "
            "format CSV ou XLSX."
        )
    else:
        attempts = [("utf-8-sig", "UTF-8 avec BOM")] if data.startswith(codecs.BOM_UTF8) else []
        attempts += [("utf-8", "UTF-8"), ("cp1252", "Windows-1252 (Latin-1)")]
        for codec, label in attempts:
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                continue
            if not CONTROL_CHARACTERS.search(text):
                return text, label
    raise UnusableFileError(
        "Encodage illisible : le fichier n'est ni en UTF-8 ni en Windows-1252 (Latin-1), ou ce n'est pas un "
        "fichier texte. Dans le tableur, enregistrez-le au format « CSV UTF-8 »."
    )


def _split(line: str, delimiter: str) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter), [])


def _read_csv(data: bytes, *, is_header: Callable[[list[str]], bool]) -> Table:
    text, encoding = decode(data)
    lines = text.splitlines()
    header_line, delimiter, header = None, None, None
    for number, line in enumerate(lines[:HEADER_SEARCH_ROWS], 1):
        if not line.strip():
            continue
        best = None
        for candidate in DELIMITERS:
            cells = _split(line, candidate)
            if len(cells) >= 2 and is_header(cells) and (best is None or len(cells) > len(best[1])):
                best = (candidate, cells)
        if best:
            header_line, (delimiter, header) = number, best
            break
    if header is None:
        first = next((line for line in lines if line.strip()), "")
        raise _no_header(first[:200])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    for cells in reader:
        if reader.line_num <= header_line or not any(cell.strip() for cell in cells):
            continue
        rows.append((reader.line_num, cells))
    details = f"séparateur {DELIMITER_NAMES[delimiter]} « {delimiter if delimiter != chr(9) else 'tab'} », encodage {encoding}"
    return Table(header=header, header_line=header_line, rows=rows, container="csv", details=details)


def _no_header(first: str) -> UnusableFileError:
    return UnusableFileError(
        "Aucune ligne d'en-tête reconnue dans les 30 premières lignes : il faut une colonne de code "
        "géographique (CODGEO, NUMCOM, Codes_Insee, NUMEPCI, NUMDEPT…) ou les colonnes du format long "
        f"(indicateur, territoire, periode, valeur). Début du fichier : « {first} »."
    )


def _is_ods(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return archive.read("mimetype").startswith(b"application/vnd.oasis.opendocument")
    except (KeyError, zipfile.BadZipFile, OSError):
        return False


def _read_workbook(data: bytes, *, is_header: Callable[[list[str]], bool], sheet: str | None) -> Table:
    from openpyxl import load_workbook

    if _is_ods(data):
        raise UnusableFileError(
            "C'est un classeur OpenDocument (.ods) : enregistrez-le au format XLSX ou CSV, puis importez-le à nouveau."
        )
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it does not read
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of errors on a damaged archive
        raise UnusableFileError(
            "Classeur XLSX illisible (archive endommagée ou autre format compressé) : ouvrez-le dans un "
            "tableur et enregistrez-le à nouveau au format XLSX ou CSV."
        ) from exc
    try:
        names = workbook.sheetnames
        if sheet:
            if sheet not in names:
                listed = ", ".join(f"« {name} »" for name in names)
                raise UnusableFileError(
                    f"La feuille « {sheet} » n'existe pas dans le classeur (feuilles : {listed}).",
                    field="sheet",
                )
            worksheet = workbook[sheet]
        else:
            worksheet = workbook.worksheets[0]
        header, header_line, rows = None, None, []
        first = None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for number, values in enumerate(worksheet.iter_rows(values_only=True), 1):
                if not any(value is not None and str(value).strip() for value in values):
                    continue
                if header is None:
                    cells = ["" if value is None else str(value) for value in values]
                    first = first or cells
                    if number <= HEADER_SEARCH_ROWS and is_header(cells):
                        header, header_line = cells, number
                    elif number > HEADER_SEARCH_ROWS:
                        break
                    continue
                rows.append((number, values))
        if header is None:
            raise _no_header(" | ".join(cell for cell in (first or []) if cell)[:200])
        title = worksheet.title
    finally:
        workbook.close()
    return Table(
        header=header,
        header_line=header_line,
        rows=rows,
        container="xlsx",
        details=f"feuille « {title} »",
        sheet=title,
    )
