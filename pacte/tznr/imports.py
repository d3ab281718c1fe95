"""The file of rights opened of one period: read, checked line by line, then written all or nothing.

Format (what the import page and docs/zero-non-recours.md tell the porteur):

- **Fichier** : CSV (séparateur point-virgule « ; » ou virgule « , », encodage UTF-8 avec ou sans BOM, ou
  Windows-1252) ou classeur XLSX (première feuille lue) ; 2 Mo au plus, 200 lignes au plus.
- **Première ligne** : les noms des colonnes, sans tenir compte des majuscules ni des accents :
  - `prestation` (obligatoire) : le code ou le libellé de la prestation — rsa (RSA), ppa (Prime d'activité),
    css (Complémentaire santé solidaire), aides_logement (Aides au logement), aah, aspa (Minimum vieillesse),
    prestations_familiales, cheque_energie, autre (Autre droit) ;
  - `compte_par` (facultatif) : `porteur` (compté par le porteur, valeur par défaut) ou `organisme_payeur`
    (chiffre retourné par la CAF, la MSA, la CPAM…) ;
  - `droits_ouverts` (obligatoire) : le nombre de droits ouverts, entier positif ou nul ;
  - `montant_mensuel_total` (facultatif) : la somme des montants mensuels des droits ouverts, en euros, virgule
    ou point décimal, espaces permis (« 7 632,40 ») ; vide quand il n'est pas connu.
  Les autres colonnes (par exemple « commentaire ») sont ignorées ; les lignes vides aussi.
- **Une ligne par prestation et par compteur** : deux lignes ne peuvent pas nommer la même prestation comptée
  par le même compteur.
- **Tout ou rien** : au moindre défaut, rien n'est enregistré et chaque défaut est signalé avec sa ligne et sa
  colonne (« Ligne 4, colonne « droits_ouverts » : … ») ; sinon les lignes du fichier remplacent tous les
  droits ouverts déjà saisis pour la période.

The model file pacte/tznr/data/modele_droits_ouverts.csv holds the header and two example lines.
"""

import codecs
import csv
import io
import re
import unicodedata
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError

from pacte import formatting
from pacte.tznr import perms, services
from pacte.tznr.enums import OpenedBenefit, RightSource

MAX_BYTES = 2 * 1024 * 1024
MAX_LINES = 200  # lines of the file, header and empty lines included
MAX_UNCOMPRESSED = 20 * 1024 * 1024  # an XLSX archive, once inflated
MAX_ARCHIVE_MEMBERS = 1000
MAX_SHOWN_ERRORS = 50
MAX_AMOUNT = Decimal("9999999999.99")  # OpenedRight.monthly_amount: 12 digits, 2 decimals
MODEL_FILE = Path(__file__).resolve().parent / "data" / "modele_droits_ouverts.csv"

BENEFIT, SOURCE, COUNT, AMOUNT = "prestation", "compte_par", "droits_ouverts", "montant_mensuel_total"
COLUMNS = (BENEFIT, SOURCE, COUNT, AMOUNT)
REQUIRED = (BENEFIT, COUNT)
FIELD_COLUMNS = {"benefit": BENEFIT, "source": SOURCE, "count": COUNT, "monthly_amount": AMOUNT}
CENT = Decimal("0.01")
INTEGER = re.compile(r"-?[0-9]{1,12}")
SPACES = (" ", "\u00a0", "\u202f", "\t")


@dataclass(frozen=True)
class RightsImportReport:
    """What an import wrote: the lines read, the rights opened in total, the monthly amount of the lines that
    give one (None when none does)."""

    lines: int
    rights: int
    monthly_amount: Decimal | None
    container: str  # « CSV » or « XLSX »

    def __str__(self) -> str:
        amount = (
            f", pour {formatting.euros(self.monthly_amount)} par mois"
            if self.monthly_amount is not None
            else ""
        )
        return (
            f"Fichier {self.container} importé : {formatting.plural(self.lines, 'ligne lue', 'lignes lues')}, "
            f"{formatting.plural(self.rights, 'droit ouvert', 'droits ouverts')}{amount}."
        )


def _refuse(*messages: str) -> ValidationError:
    return ValidationError({"file": list(messages)})


def _plain(text: str) -> str:
    """Lower case, no accents, words joined by « _ »: how column names and codes are compared."""
    text = (
        unicodedata.normalize("NFKD", str(text).replace("\u2019", "'"))
        .encode("ascii", "ignore")
        .decode("ascii")
    )
    words = text.lower().replace("-", " ").replace("_", " ").replace("'", " ").split()
    return "_".join(words)


BENEFITS = {_plain(code): code for code in OpenedBenefit.values} | {
    _plain(label): code for code, label in OpenedBenefit.choices
}
SOURCES = {_plain(code): code for code in RightSource.values} | {
    _plain(label): code for code, label in RightSource.choices
}


def _line(line: int, column: str, message: str) -> str:
    return f"Ligne {line}, colonne « {column} » : {message}"


# --- Reading ---------------------------------------------------------------------------------------------------


def _too_many_lines() -> ValidationError:
    return _refuse(
        f"Le fichier compte plus de {formatting.number(MAX_LINES)} lignes : un fichier de droits ouverts en a une "
        "par prestation et par compteur. Vérifiez qu'il s'agit du bon fichier."
    )


def _decode(data: bytes) -> str:
    if b"\x00" in data:
        raise _refuse("Ce n'est ni un fichier CSV ni un classeur XLSX (contenu binaire).")
    attempts = ("utf-8-sig",) if data.startswith(codecs.BOM_UTF8) else ("utf-8", "cp1252")
    for codec in attempts:
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    raise _refuse(
        "Encodage illisible : le fichier n'est ni en UTF-8 ni en Windows-1252. Dans le tableur, enregistrez-le "
        "au format « CSV UTF-8 »."
    )


def _read_csv(data: bytes) -> list[tuple[int, list]]:
    text = _decode(data)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows = []
    try:
        for cells in reader:
            if reader.line_num > MAX_LINES:
                raise _too_many_lines()
            rows.append((reader.line_num, cells))
    except csv.Error as error:
        raise _refuse(
            f"Ligne {reader.line_num} : ligne CSV illisible ({error}). Vérifiez le séparateur et les guillemets."
        ) from None
    return rows


def _unreadable_workbook() -> ValidationError:
    return _refuse(
        "Classeur XLSX illisible (archive endommagée ou autre format) : ouvrez-le dans un tableur et "
        "enregistrez-le à nouveau au format XLSX ou CSV."
    )


def _check_archive(data: bytes) -> None:
    """Refuse an archive that would inflate beyond MAX_UNCOMPRESSED, counting the bytes actually inflated."""
    too_big = _refuse(
        f"Le classeur dépasse {formatting.file_size(MAX_UNCOMPRESSED)} une fois décompressé : enregistrez-le "
        "au format CSV."
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if len(members) > MAX_ARCHIVE_MEMBERS:
                raise _unreadable_workbook()
            if sum(member.file_size for member in members) > MAX_UNCOMPRESSED:
                raise too_big
            inflated = 0
            for member in members:
                with archive.open(member) as stream:
                    while chunk := stream.read(1024 * 1024):
                        inflated += len(chunk)
                        if inflated > MAX_UNCOMPRESSED:
                            raise too_big
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, NotImplementedError, OSError, EOFError):
        raise _unreadable_workbook() from None
    except RuntimeError:  # an encrypted member
        raise _unreadable_workbook() from None


def _read_xlsx(data: bytes) -> list[tuple[int, list]]:
    from openpyxl import load_workbook

    _check_archive(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # styles and extensions openpyxl does not read
            workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of errors on a damaged archive
        raise _unreadable_workbook() from exc
    rows = []
    try:
        if not workbook.worksheets:
            raise _unreadable_workbook()
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # a declared dimension may lie: read the cells the sheet holds
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
                if number > MAX_LINES:
                    raise _too_many_lines()
                rows.append((number, list(values)))
    except ValidationError:
        raise
    except Exception as exc:  # a sheet whose XML is damaged
        raise _unreadable_workbook() from exc
    finally:
        workbook.close()
    return rows


def read(data: bytes, filename: str = "") -> tuple[str, list[tuple[int, list]]]:
    """(container, rows numbered as a spreadsheet shows them) of the file; a French ValidationError on « file »
    when it cannot be read at all."""
    if len(data) > MAX_BYTES:
        raise _refuse(
            f"Le fichier dépasse la limite de {formatting.file_size(MAX_BYTES)} : un fichier de droits ouverts "
            "n'a qu'une ligne par prestation et par compteur."
        )
    if not data.strip(b" \t\r\n\x00" + codecs.BOM_UTF8):
        raise _refuse("Le fichier est vide.")
    name = (filename or "").lower()
    if data.startswith(b"PK\x03\x04") or name.endswith(".xlsx"):
        return "XLSX", _read_xlsx(data)
    if data.startswith(b"\xd0\xcf\x11\xe0") or name.endswith(".xls"):
        raise _refuse(
            "Les classeurs Excel 97-2003 (.xls) ne sont pas lus : enregistrez-le au format XLSX ou CSV."
        )
    if data.startswith(b"%PDF"):
        raise _refuse("C'est un document PDF : seuls les fichiers CSV et les classeurs XLSX sont lus.")
    return "CSV", _read_csv(data)


# --- Checking --------------------------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _count(value) -> tuple[int | None, str | None]:
    if isinstance(value, bool):
        return None, f"nombre entier positif ou nul attendu, « {value} » lu"
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            return None, f"nombre entier attendu, « {_text(value)} » lu"
        number = int(value)
    else:
        text = _text(value)
        for space in SPACES:
            text = text.replace(space, "")
        if not text:
            return None, "indiquez le nombre de droits ouverts (0 s'il n'y en a pas)"
        if not INTEGER.fullmatch(text):
            return None, f"nombre entier positif ou nul attendu, « {_text(value)[:40]} » lu"
        number = int(text)
    if number < 0:
        return None, f"nombre positif ou nul attendu, « {number} » lu"
    if number > 10_000_000:
        return None, f"nombre trop grand, « {number} » lu"
    return number, None


def _amount(value) -> tuple[Decimal | None, str | None]:
    if isinstance(value, bool):
        return None, f"montant en euros attendu, « {value} » lu"
    if isinstance(value, int | float):
        if isinstance(value, float) and value != value:  # NaN
            return None, "montant en euros attendu"
        amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if isinstance(value, float):
            if amount.is_finite() and abs(amount) <= MAX_AMOUNT:
                rounded = amount.quantize(CENT)
                if abs(amount - rounded) < Decimal("0.000001"):
                    amount = rounded
    else:
        text = _text(value)
        shown = text[:40]
        for space in (*SPACES, "€"):
            text = text.replace(space, "")
        text = text.replace(",", ".")
        if not text.isascii():
            return None, f"montant en euros attendu, « {shown} » lu"
        try:
            amount = Decimal(text)
        except (InvalidOperation, ValueError):
            return None, f"montant en euros attendu (par exemple 7 632,40), « {shown} » lu"
    if not amount.is_finite():
        return None, "montant en euros attendu"
    if amount < 0:
        return None, "montant positif ou nul attendu"
    if amount > MAX_AMOUNT:
        return None, "montant trop grand"
    if amount != amount.quantize(CENT):
        return None, "deux décimales au plus (des centimes)"
    return amount.quantize(CENT), None


def _header(cells: list) -> dict[str, int]:
    """Position of each known column; refuses a missing or doubled one."""
    positions: dict[str, int] = {}
    doubled = []
    for position, cell in enumerate(cells):
        name = _plain(_text(cell))
        if name in COLUMNS:
            if name in positions:
                doubled.append(name)
            positions.setdefault(name, position)
    if doubled:
        raise _refuse(f"Colonne en double : {', '.join(f'« {name} »' for name in doubled)}.")
    missing = [name for name in REQUIRED if name not in positions]
    if missing:
        raise _refuse(
            f"Colonnes manquantes : {', '.join(f'« {name} »' for name in missing)} (la première ligne doit "
            f"nommer les colonnes : {', '.join(COLUMNS)} ; « {SOURCE} » et « {AMOUNT} » sont facultatives)."
        )
    return positions


def parse(rows: list[tuple[int, list]]) -> tuple[list[dict], list[int], list[str]]:
    """(rights rows as `services.replace_rights` takes them, their line numbers, error messages)."""
    rows = [(line, cells) for line, cells in rows if any(_text(cell) for cell in cells)]
    if not rows:
        raise _refuse("Le fichier est vide.")
    (_, header), data = rows[0], rows[1:]
    positions = _header(header)
    if not data:
        raise _refuse("Le fichier ne contient aucune ligne de droits ouverts sous la ligne des colonnes.")
    parsed, lines, messages = [], [], []
    seen: dict[tuple[str, str], int] = {}
    for line, cells in data:

        def cell(name, cells=cells):
            position = positions.get(name)
            return cells[position] if position is not None and position < len(cells) else None

        problems = []
        benefit_text = _text(cell(BENEFIT))
        benefit = BENEFITS.get(_plain(benefit_text))
        if not benefit_text:
            problems.append(_line(line, BENEFIT, "indiquez la prestation"))
        elif benefit is None:
            problems.append(
                _line(
                    line,
                    BENEFIT,
                    f"prestation inconnue « {benefit_text[:40]} » (codes possibles : {', '.join(OpenedBenefit.values)})",
                )
            )
        source_text = _text(cell(SOURCE))
        source = SOURCES.get(_plain(source_text)) if source_text else RightSource.LEAD
        if source is None:
            problems.append(
                _line(line, SOURCE, f"« porteur » ou « organisme_payeur » attendu, « {source_text[:40]} » lu")
            )
        count, problem = _count(cell(COUNT))
        if problem:
            problems.append(_line(line, COUNT, problem))
        amount = None
        if _text(cell(AMOUNT)):
            amount, problem = _amount(cell(AMOUNT))
            if problem:
                problems.append(_line(line, AMOUNT, problem))
        if benefit and source:
            first = seen.get((benefit, source))
            if first is not None:
                problems.append(
                    _line(line, BENEFIT, f"même prestation et même compteur qu'à la ligne {first}")
                )
            else:
                seen[(benefit, source)] = line
        messages.extend(problems)
        if not problems:
            parsed.append({"benefit": benefit, "source": source, "count": count, "monthly_amount": amount})
            lines.append(line)
    return parsed, lines, messages


def _shown(messages: list[str]) -> list[str]:
    if len(messages) <= MAX_SHOWN_ERRORS:
        return messages
    rest = len(messages) - MAX_SHOWN_ERRORS
    return [
        *messages[:MAX_SHOWN_ERRORS],
        f"… et {formatting.plural(rest, 'autre erreur', 'autres erreurs')}.",
    ]


def import_rights(
    user, period, data: bytes, filename: str = "", version: int | None = None
) -> RightsImportReport:
    """Replace the rights opened of `period` by those of the file (see the module's docstring), all or nothing.
    Raises PermissionDenied (the user may not edit the period), ValidationError on « file » (French messages,
    one per faulty line and column) or StaleEditError (the period changed since `version`)."""
    if not perms.can_edit_period(user, period):
        raise PermissionDenied
    if not isinstance(data, bytes | bytearray):
        raise _refuse("Choisissez un fichier CSV ou XLSX.")
    container, rows = read(bytes(data), filename)
    parsed, lines, messages = parse(rows)
    if messages:
        raise _refuse(*_shown(messages))
    try:
        services.replace_rights(user, period, parsed, version=version)
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        translated = []
        for path, errors in error.message_dict.items():
            parts = path.split(".")
            if len(parts) == 3 and parts[0] == "rights" and parts[1].isdigit() and int(parts[1]) < len(lines):
                column = FIELD_COLUMNS.get(parts[2], parts[2])
                translated += [
                    _line(lines[int(parts[1])], column, text[0].lower() + text[1:]) for text in errors
                ]
            else:
                translated += errors
        raise _refuse(*translated) from None
    amounts = [row["monthly_amount"] for row in parsed if row["monthly_amount"] is not None]
    return RightsImportReport(
        lines=len(parsed),
        rights=sum(row["count"] for row in parsed),
        monthly_amount=sum(amounts, Decimal(0)) if amounts else None,
        container=container,
    )
