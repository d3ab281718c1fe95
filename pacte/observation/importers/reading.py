"""From the bytes of an uploaded or local file to a table: a header row and numbered data rows.

CSV: the encoding is UTF-8 (with or without BOM), UTF-16 with a BOM, else Windows-1252 (which reads
Latin-1 too); the separator (`;`, `,`, tab or `|`) is the one that splits the header row. XLSX: read with
openpyxl in read-only mode, first sheet unless another is named. In both, the header row is the first of
the first 30 rows that `is_header` accepts, so that the title lines INSEE puts above its tables are skipped.
Line numbers are those a spreadsheet shows (1 for the first line of the file).

Limits (`Limits`, settings in `service.limits`): a file may not hold more rows or cells than the platform
keeps in memory, a CSV cell longer than the csv module's field limit is refused with its line, and an XLSX
archive (a zip) is checked before openpyxl reads it: the declared uncompressed sizes of its members, then the
bytes actually inflated (counted while reading, so that a lying header cannot get through), the rows and cells
of its sheets and the strings of its shared-strings part. A decompression bomb is thus refused after reading
at most the size limit, with a French message naming the limit that was reached.
"""

import codecs
import csv
import io
import re
import warnings
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.core.exceptions import ValidationError

from pacte import formatting

HEADER_SEARCH_ROWS = 30
DELIMITERS = (";", ",", "\t", "|")
DELIMITER_NAMES = {";": "point-virgule", ",": "virgule", "\t": "tabulation", "|": "barre verticale"}
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
SPLIT_ADVICE = "Découpez-le (par exemple par département) ou retirez les colonnes inutiles."
ARCHIVE_MEMBERS = 10_000  # parts of an XLSX archive; a workbook made by a spreadsheet has a few dozen
INFLATE_CHUNK = 1024 * 1024
# Start tags counted in the XML parts of a workbook: rows and cells of a sheet, strings of the shared strings.
ROWS = ((b"<row",), (b"<rowBreaks",))
CELLS = ((b"<c ", b"<c>"), ())
MARKUP = ((b"<",), ())  # every tag, however written: a bound that no prefix or spacing escapes
TAGS_PER_CELL = 8  # <c r="A1" t="inlineStr"><is><t>…</t></is></c> has 6, a row's own tags are counted apart
STRINGS = ((b"<si>", b"<si "), ())


@dataclass(frozen=True)
class Limits:
    """What one file may hold: rows (of a CSV or of the sheet read), cells, and, for an XLSX archive, the
    total uncompressed size of its parts in bytes. Defaults and settings: `service.limits()`."""

    rows: int
    cells: int
    uncompressed: int


UNLIMITED = Limits(rows=10**12, cells=10**12, uncompressed=10**15)


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


def read_table(
    data: bytes,
    *,
    is_header: Callable[[list[str]], bool],
    sheet: str | None = None,
    limits: Limits = UNLIMITED,
) -> Table:
    """The table of a CSV or XLSX file; `UnusableFileError` when it is neither, empty, has no header or goes
    beyond `limits`."""
    if not data.strip():
        raise UnusableFileError("Le fichier est vide.")
    if data.startswith(b"PK\x03\x04"):
        return _read_workbook(data, is_header=is_header, sheet=sheet, limits=limits)
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnusableFileError(
            "C'est un classeur Excel 97-2003 (.xls), que Pacte ne lit pas : enregistrez-le au format XLSX "
            "ou CSV, puis importez-le à nouveau."
        )
    if data.startswith(b"%PDF"):
        raise UnusableFileError(
            "C'est un document PDF : seuls les fichiers CSV et les classeurs XLSX sont lus."
        )
    return _read_csv(data, is_header=is_header, limits=limits)


def too_many_rows(limits: Limits) -> UnusableFileError:
    return UnusableFileError(
        f"Le fichier compte plus de {formatting.number(limits.rows)} lignes : la limite est de "
        f"{formatting.number(limits.rows)} lignes par import. {SPLIT_ADVICE}"
    )


def too_many_cells(limits: Limits) -> UnusableFileError:
    return UnusableFileError(
        f"Le fichier compte plus de {formatting.number(limits.cells)} cellules : la limite est de "
        f"{formatting.number(limits.cells)} cellules par import. {SPLIT_ADVICE}"
    )


def csv_error(line: int, error: csv.Error) -> UnusableFileError:
    """The French refusal of a line the csv module cannot read (a cell beyond its field limit, mostly)."""
    if "field limit" in str(error):
        limit = csv.field_size_limit()
        return UnusableFileError(
            f"Ligne {line} : une cellule dépasse {formatting.number(limit)} caractères "
            f"({formatting.file_size(limit)}), la limite d'une cellule CSV. Un fichier de valeurs statistiques "
            "n'a pas de cellule aussi longue : vérifiez le séparateur et les guillemets (un guillemet non "
            "fermé réunit les lignes suivantes en une seule cellule)."
        )
    return UnusableFileError(
        f"Ligne {line} : ligne CSV illisible ({error}). Vérifiez le séparateur et les guillemets, ou "
        "enregistrez le fichier à nouveau depuis le tableur au format CSV."
    )


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


def _split(line: str, delimiter: str, number: int) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=delimiter), [])
    except csv.Error as error:
        raise csv_error(number, error) from None


def _read_csv(data: bytes, *, is_header: Callable[[list[str]], bool], limits: Limits = UNLIMITED) -> Table:
    text, encoding = decode(data)
    lines = text.splitlines()
    header_line, delimiter, header = None, None, None
    for number, line in enumerate(lines[:HEADER_SEARCH_ROWS], 1):
        if not line.strip():
            continue
        best = None
        for candidate in DELIMITERS:
            cells = _split(line, candidate, number)
            if len(cells) >= 2 and is_header(cells) and (best is None or len(cells) > len(best[1])):
                best = (candidate, cells)
        if best:
            header_line, (delimiter, header) = number, best
            break
    if header is None:
        first = next((line for line in lines if line.strip()), "")
        raise _no_header(first[:200])
    del lines
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    counted = 0
    try:
        for cells in reader:
            if reader.line_num > limits.rows:
                raise too_many_rows(limits)
            counted += len(cells)
            if counted > limits.cells:
                raise too_many_cells(limits)
            if reader.line_num <= header_line or not any(cell.strip() for cell in cells):
                continue
            rows.append((reader.line_num, cells))
    except csv.Error as error:
        raise csv_error(reader.line_num, error) from None
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


def _unreadable_workbook() -> UnusableFileError:
    return UnusableFileError(
        "Classeur XLSX illisible (archive endommagée ou autre format compressé) : ouvrez-le dans un "
        "tableur et enregistrez-le à nouveau au format XLSX ou CSV."
    )


def _too_big_inflated(size: str, limits: Limits) -> UnusableFileError:
    return UnusableFileError(
        f"Le classeur pèse {size} une fois décompressé : la limite est de "
        f"{formatting.file_size(limits.uncompressed)}. {SPLIT_ADVICE} Un fichier CSV peut aussi être importé."
    )


class _TagCounter:
    """Counts start tags in a stream of XML chunks: `patterns` holds, per thing counted, the byte strings
    that add one and those that take one away (`<row` counts a row, `<rowBreaks` is no row). A tag is never
    cut in two: the text after the last « < » of a chunk waits for the next one. bytes.count runs at memory
    speed; a tag written another way (a namespace prefix, a line break after its name) escapes this quick
    count, never the count made while openpyxl reads the sheet."""

    def __init__(self, patterns: tuple[tuple[tuple[bytes, ...], tuple[bytes, ...]], ...]):
        self.patterns = patterns
        self.counts = [0] * len(patterns)
        self.rest = b""

    def feed(self, chunk: bytes, *, last: bool = False) -> None:
        text = self.rest + chunk
        cut = len(text) if last else text.rfind(b"<")
        if cut < 0:
            cut = len(text)
        body = text[:cut] if cut < len(text) else text
        for position, (added, removed) in enumerate(self.patterns):
            self.counts[position] += sum(body.count(tag) for tag in added) - sum(
                body.count(tag) for tag in removed
            )
        # What follows the last « < »: a tag that may go on in the next chunk. Only its start can match, so
        # it is kept bounded whatever the content.
        self.rest = text[cut : cut + 4096]


@dataclass
class _ArchiveCounts:
    """What the inflated parts of an XLSX archive hold: (rows, cells) per worksheet part, shared strings."""

    sheets: dict[str, tuple[int, int]] = field(default_factory=dict)
    strings: int = 0


def check_archive(data: bytes, limits: Limits) -> _ArchiveCounts:
    """Check an XLSX archive against `limits` before openpyxl reads it: the number of parts, the declared
    uncompressed sizes, then every part inflated in chunks (bytes counted as they come, so a member whose
    header lies is caught too), counting the rows and cells of each worksheet and the shared strings."""
    counts = _ArchiveCounts()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > ARCHIVE_MEMBERS:
                raise _unreadable_workbook()
            declared = sum(member.file_size for member in members)
            if declared > limits.uncompressed:
                raise _too_big_inflated(formatting.file_size(declared), limits)
            inflated = 0
            for member in members:
                name = member.filename.lstrip("/")
                is_sheet = name.startswith("xl/worksheets/") and name.endswith(".xml")
                is_strings = PurePosixPath(name).name.lower() == "sharedstrings.xml"
                counter = (
                    _TagCounter((ROWS, CELLS, MARKUP))
                    if is_sheet
                    else _TagCounter((STRINGS,))
                    if is_strings
                    else None
                )
                with archive.open(member) as stream:
                    while chunk := stream.read(INFLATE_CHUNK):
                        inflated += len(chunk)
                        if inflated > limits.uncompressed:
                            raise _too_big_inflated(
                                f"plus de {formatting.file_size(limits.uncompressed)}", limits
                            )
                        if counter is not None:
                            counter.feed(chunk)
                if counter is None:
                    continue
                counter.feed(b"", last=True)
                if is_sheet:
                    rows, cells, tags = counter.counts
                    counts.sheets[name] = (rows, cells)
                    # openpyxl reads every sheet of the workbook once when it opens it (to find a size that
                    # the sheet does not declare): each one is held to the limits, not only the one imported.
                    if rows > limits.rows:
                        raise too_many_rows(limits)
                    if cells > limits.cells or tags > TAGS_PER_CELL * limits.cells + 2 * limits.rows:
                        raise too_many_cells(limits)
                else:
                    counts.strings += counter.counts[0]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, NotImplementedError, OSError, EOFError):
        raise _unreadable_workbook() from None
    if counts.strings > limits.cells:
        raise too_many_cells(limits)
    return counts


def _read_workbook(
    data: bytes, *, is_header: Callable[[list[str]], bool], sheet: str | None, limits: Limits = UNLIMITED
) -> Table:
    from openpyxl import load_workbook

    if _is_ods(data):
        raise UnusableFileError(
            "C'est un classeur OpenDocument (.ods) : enregistrez-le au format XLSX ou CSV, puis importez-le à nouveau."
        )
    check_archive(data, limits)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it does not read
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of errors on a damaged archive
        raise _unreadable_workbook() from exc
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
        # The <dimension> a sheet declares may lie (A1:XFD1048576 on a one-cell sheet): without it,
        # openpyxl yields the cells the sheet holds instead of padding every row to the declared width.
        worksheet.reset_dimensions()
        header, header_line, rows = None, None, []
        first = None
        counted = 0
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for number, values in enumerate(worksheet.iter_rows(values_only=True), 1):
                if number > limits.rows:
                    raise too_many_rows(limits)
                counted += len(values)
                if counted > limits.cells:
                    raise too_many_cells(limits)
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
    except UnusableFileError:
        raise
    except Exception as exc:  # a sheet whose XML is damaged: openpyxl or the XML parser gives up
        raise _unreadable_workbook() from exc
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
