"""Reading one cell of a statistical file: numbers written the French way, secret-statistique markers,
reference dates, territory codes and column names.

Every function takes what a CSV reader or openpyxl gives (a string, or an int, float, datetime… from a
workbook) and returns a Python value, or raises `CellError` whose French message says what was expected.
"""

import re
import unicodedata
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from pacte.observation.enums import ValueStatus


class CellError(ValueError):
    """A cell that cannot be read; the message (French) names the value and what was expected."""


# Markers published instead of a value. Empty cells are not markers: they are skipped (see `read_value`).
SECRET_MARKERS = frozenset({"s", "secret", "c", "nc"})
MISSING_MARKERS = frozenset(
    {"nd", "n.d.", "n.d", "n/d", "na", "n/a", "ns", "so", "s.o.", "-", "–", "—", ".", "..", "..."}
)
EXCEL_MISSING = frozenset({"#n/a", "#n/d", "#na", "#nd"})

AVAILABLE, SECRET, MISSING = ValueStatus.AVAILABLE.value, ValueStatus.SECRET.value, ValueStatus.MISSING.value
FOUR_PLACES = Decimal("0.0001")
MAX_VALUE = Decimal("1e16")  # Observation.value: 20 digits, 4 of them decimals
SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")
SIMPLE_NUMBER = re.compile(r"-?\d{1,15}(?:[.,]\d{1,4})?")
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
UNIT_SUFFIX = re.compile(r"\s*(%|€|eur|euros?)\s*$", re.IGNORECASE)
MIN_YEAR, MAX_YEAR = 1900, 2100


def read_value(raw) -> tuple[Decimal | None, str] | None:
    """(value, status) of a cell, or None for an empty cell (nothing to import).

    Accepts 14,5 / 14.5 / 1 234,5 (spaces or no-break spaces between thousands) / 1.234,5 / 1,234.5 /
    14,5 % / 2 000 € / 1,5E+03; the markers `s`, `secret`, `c`, `nc` give a secret value, `nd`, `n.d.`,
    `ns`, `so`, `-`… (and Excel's #N/A) a value not available.
    """
    if raw is None:
        return None
    if raw.__class__ is str:
        text = raw.strip()
        if SIMPLE_NUMBER.fullmatch(text):  # the common case, read fast: 14,5 or 23450
            return Decimal(text.replace(",", ".")), AVAILABLE
    if isinstance(raw, bool):
        raise CellError(f"valeur « {raw} » illisible : un nombre est attendu")
    if isinstance(raw, int):
        return _checked(Decimal(raw), raw)
    if isinstance(raw, float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            raise CellError(f"valeur « {raw} » illisible : un nombre est attendu")
        return _checked(Decimal(repr(raw)), raw)
    if isinstance(raw, Decimal):
        return _checked(raw, raw)
    if isinstance(raw, datetime | date):
        raise CellError(f"valeur « {raw:%d/%m/%Y} » illisible : une date à la place d'un nombre")
    text = str(raw).strip()
    if SIMPLE_NUMBER.fullmatch(text):  # the common case, read fast: 14,5 or 23450
        return Decimal(text.replace(",", ".")), AVAILABLE
    if not text:
        return None
    lowered = text.lower()
    if lowered in SECRET_MARKERS:
        return None, SECRET
    if lowered in MISSING_MARKERS or lowered in EXCEL_MISSING:
        return None, MISSING
    if text.startswith("#"):
        raise CellError(f"erreur de formule « {text} » à la place d'une valeur")
    return _checked(_parse_number(text), text)


def _parse_number(text: str) -> Decimal:
    cleaned = SPACES.sub("", UNIT_SUFFIX.sub("", text))
    if "," in cleaned and "." in cleaned:
        # The last separator is the decimal one: 1.234,5 (French) or 1,234.5 (English).
        if cleaned.rfind(",") > cleaned.rfind("."):
            cleaned = cleaned.replace(".", "").replace(",", ".")
        else:
            cleaned = cleaned.replace(",", "")
    elif cleaned.count(",") == 1:
        cleaned = cleaned.replace(",", ".")
    elif cleaned.count(".") > 1:  # 1.234.567: dots between thousands
        cleaned = cleaned.replace(".", "")
    if not NUMBER.fullmatch(cleaned):
        raise CellError(f"valeur « {text} » illisible : un nombre est attendu (14,5 ou 1 234)")
    try:
        return Decimal(cleaned)
    except InvalidOperation as exc:  # pragma: no cover - the pattern above excludes it
        raise CellError(f"valeur « {text} » illisible : un nombre est attendu") from exc


def _checked(value: Decimal, raw) -> tuple[Decimal, str]:
    if not value.is_finite():
        raise CellError(f"valeur « {raw} » illisible : un nombre est attendu")
    if abs(value) >= MAX_VALUE:
        raise CellError(f"valeur « {raw} » trop grande (au plus 16 chiffres avant la virgule)")
    return value.quantize(FOUR_PLACES, rounding=ROUND_HALF_EVEN), AVAILABLE


DATE_PATTERNS = (
    re.compile(r"(?P<year>\d{4})"),
    re.compile(r"(?P<year>\d{4})[-/.]\d{1,2}([-/.]\d{1,2})?([ T].*)?"),
    re.compile(r"\d{1,2}[-/.]\d{1,2}[-/.](?P<year>\d{4})( .*)?"),
    re.compile(r"\d{1,2}[-/.](?P<year>\d{4})"),
    re.compile(r"(?P<year>\d{4})\d{4}"),  # 20211231
)


def read_year(raw) -> int:
    """The year of a period or reference date: 2021, 31/12/2021, 2021-12-31, 12/2021, 20211231, a date."""
    if isinstance(raw, datetime | date):
        year = raw.year
    elif isinstance(raw, int) and not isinstance(raw, bool):
        year = raw
    elif isinstance(raw, float) and raw.is_integer():
        year = int(raw)
    else:
        text = str(raw if raw is not None else "").strip()
        if not text:
            raise CellError("période absente")
        for pattern in DATE_PATTERNS:
            match = pattern.fullmatch(text)
            if match:
                year = int(match.group("year"))
                break
        else:
            raise CellError(
                f"période « {text} » illisible : une année (2021) ou une date (31/12/2021) est attendue"
            )
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise CellError(f"année {year} hors de la plage {MIN_YEAR}-{MAX_YEAR}")
    return year


def read_code(raw) -> str:
    """A territory code as text, the way the COG writes it: upper case, no spaces, no spreadsheet apostrophe
    (a workbook may give the number 44109 or 44109.0)."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = str(raw).strip().strip("'\"").strip()
    return SPACES.sub("", text).upper()


def column_key(name) -> str:
    """A column name compared without case, accents, spaces or hyphens: « Période » → "periode"."""
    text = unicodedata.normalize("NFKD", str(name if name is not None else "").replace("\ufeff", ""))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return re.sub(r"[\s\-]+", "_", text.strip().lower())


def column_label(name) -> str:
    """A column name as the user wrote it, for messages."""
    return str(name if name is not None else "").replace("\ufeff", "").strip()
