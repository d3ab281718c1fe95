"""Household file format v2 (docs/format-menages.md): read a CSV of people, one row per person, into households.

Format v2 adds optional columns to v1 (`pension_alimentaire_recue`, `etudiant`, `rsdae`, `pension_invalidite`):
a v1 file is a v2 file without them, and a missing column means "unknown", never "no".

CSV in UTF-8 (a BOM is accepted), comma or semicolon (detected on the header), header required. The rows of
one household follow each other (the file is read as a stream, whatever its size). A row with a problem
rejects its whole household, with the line number and the reason in French; the other households go on.

No Django and no OpenFisca here: the engine, the command line and the web app all use this reader. The
people's data are never written to a log: a reject names the line, the household id and the field, not the
values of other fields. A household id holding a control character or beginning like a spreadsheet formula is
refused (`id_problem`), and its reject does not write it back: every id of the results and rejects files is safe
to open in a spreadsheet.
"""

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from pacte.formatting import number, plural_word
from pacte.rights.catalogue import BENEFITS

FORMAT_VERSION = "2"
REQUIRED_COLUMNS = ("foyer_id", "role", "date_naissance")
INCOME_COLUMNS = ("salaire_net", "chomage_net", "retraite_nette")
HOUSEHOLD_COLUMNS = ("depcom", "statut_occupation_logement", "loyer", "prestations_percues")
OPTIONAL_PERSON_COLUMNS = ("taux_incapacite",)
# Format v2: optional person columns; an empty cell or a missing column means "unknown".
V2_COLUMNS = ("pension_alimentaire_recue", "etudiant", "rsdae", "pension_invalidite")
V1_COLUMNS = REQUIRED_COLUMNS + INCOME_COLUMNS + HOUSEHOLD_COLUMNS + OPTIONAL_PERSON_COLUMNS
KNOWN_COLUMNS = V1_COLUMNS + V2_COLUMNS
YES_NO = {"oui": True, "o": True, "non": False, "n": False}
MIN_APPLICANT_AGE = 16  # an applicant or a spouse younger than this is a file error
MAX_CHILD_AGE = 25  # a "child" of this age or more is an adult of the household: a file error
MAX_MONTHLY_AMOUNT = Decimal("1000000")
MAX_PEOPLE = 20  # a household of more people is a file error (two households sharing an id)


class FamilyRole(StrEnum):
    APPLICANT = "demandeur"
    SPOUSE = "conjoint"
    CHILD = "enfant"


class Housing(StrEnum):
    """OpenFisca's `statut_occupation_logement` values."""

    RENTER_EMPTY = "locataire_vide"
    RENTER_SOCIAL = "locataire_hlm"
    RENTER_FURNISHED = "locataire_meuble"
    RENTER_HOSTEL = "locataire_foyer"
    OWNER = "proprietaire"
    FIRST_TIME_BUYER = "primo_accedant"
    HOUSED_FREE = "loge_gratuitement"
    HOMELESS = "sans_domicile"


class FileFormatError(ValueError):
    """The file cannot be read at all (no header, a required column missing…): a French message."""


@dataclass(frozen=True)
class Person:
    role: FamilyRole
    birth_date: date
    salary: Decimal = Decimal(0)
    unemployment: Decimal = Decimal(0)
    pension: Decimal = Decimal(0)
    disability_rate: int = 0  # taux d'incapacité reconnu par la MDPH, in percent (0: none or unknown)
    # Format v2, None: unknown (column missing or cell empty).
    child_support: Decimal | None = None  # pension alimentaire reçue, monthly
    student: bool | None = None  # étudiant (enseignement supérieur)
    rsdae: bool | None = None  # restriction substantielle et durable d'accès à l'emploi reconnue (CDAPH)
    invalidity_pension: Decimal | None = None  # pension d'invalidité nette, monthly

    def age_on(self, day: date) -> int:
        """Age in whole years on `day`."""
        years = day.year - self.birth_date.year
        return years - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))


@dataclass
class Household:
    id: str
    line: int  # line of its first row
    people: list[Person] = field(default_factory=list)
    depcom: str = ""
    housing: Housing | None = None
    rent: Decimal = Decimal(0)
    received: frozenset[str] = frozenset()

    @property
    def applicant(self) -> Person:
        return next(person for person in self.people if person.role == FamilyRole.APPLICANT)

    @property
    def spouse(self) -> Person | None:
        return next((person for person in self.people if person.role == FamilyRole.SPOUSE), None)

    @property
    def children(self) -> list[Person]:
        return [person for person in self.people if person.role == FamilyRole.CHILD]

    @property
    def adults(self) -> list[Person]:
        """The applicant first, then the spouse if any (whatever their order in the file)."""
        spouse = self.spouse
        return [self.applicant] + ([spouse] if spouse is not None else [])

    @property
    def child_support(self) -> Decimal | None:
        """Monthly child support received by the household: the sum of the known amounts of its people, None
        when no line of the household gives it (unknown, which is not zero)."""
        known = [person.child_support for person in self.people if person.child_support is not None]
        return sum(known, Decimal(0)) if known else None


@dataclass(frozen=True)
class RejectedLine:
    line: int
    household_id: str
    reason: str

    def __str__(self) -> str:
        who = f" (foyer « {self.household_id} »)" if self.household_id else ""
        return f"ligne {self.line}{who} : {self.reason}"


class RowError(ValueError):
    pass


# A household id is written back in every result and reject, which people open in a spreadsheet: it holds no
# control character (NUL, line breaks, tabs, the invisible format characters that reorder or hide text) and does
# not begin like a formula. The characters a spreadsheet takes for the start of a formula are those of
# pacte.core.spreadsheet (OWASP's rule), which this Django-free engine does not import:
# tests/rights/test_household_ids_hardening.py keeps the two rules equal.
_ID_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
FORMULA_STARTS = frozenset("=+-@\t\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d+)?|[.,]\d+)\Z")


def id_problem(household_id: str) -> str | None:
    """Why a (stripped, non-empty) household id is refused, in French and without quoting it, or None."""
    if household_id.isalnum():  # most ids: no control character and no formula start is alphanumeric
        return None
    control = _ID_CONTROL.search(household_id)
    if control is not None:
        return (
            f"colonne « foyer_id » : l'identifiant du foyer contient un caractère de contrôle "
            f"(U+{ord(control.group()):04X}) ; un identifiant ne tient que des caractères visibles, sur une ligne."
        )
    if household_id[0] in FORMULA_STARTS and not _PLAIN_NUMBER.match(household_id):
        return (
            f"colonne « foyer_id » : l'identifiant du foyer commence par « {household_id[0]} », qu'un tableur "
            f"prendrait pour le début d'une formule ; commencez-le par une lettre ou un chiffre."
        )
    return None


def _amount(row: dict, column: str) -> Decimal:
    raw = (row.get(column) or "").strip().replace(",", ".")
    if not raw:
        return Decimal(0)
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise RowError(f"colonne « {column} » : « {raw} » n'est pas un montant (euros par mois).") from None
    if not value.is_finite() or value < 0:
        raise RowError(f"colonne « {column} » : le montant doit être positif ou nul.")
    if value > MAX_MONTHLY_AMOUNT:
        raise RowError(f"colonne « {column} » : montant mensuel invraisemblable (plus d'un million d'euros).")
    return value


def _optional_amount(row: dict, column: str) -> Decimal | None:
    """A v2 amount: None when the column is missing or the cell empty (unknown), else as `_amount`."""
    if not (row.get(column) or "").strip():
        return None
    return _amount(row, column)


def _yes_no(row: dict, column: str) -> bool | None:
    raw = (row.get(column) or "").strip().lower()
    if not raw:
        return None
    if raw not in YES_NO:
        raise RowError(f"colonne « {column} » : « {raw} » inconnu ; valeurs possibles : oui, non (ou vide).")
    return YES_NO[raw]


def _birth_date(row: dict, today: date) -> date:
    raw = (row.get("date_naissance") or "").strip()
    try:
        value = date.fromisoformat(raw)
    except ValueError:
        raise RowError(
            f"colonne « date_naissance » : « {raw} » n'est pas une date AAAA-MM-JJ (par exemple 1985-04-23)."
        ) from None
    if value > today or value.year < today.year - 120:
        raise RowError(f"colonne « date_naissance » : {raw} n'est pas une date de naissance plausible.")
    return value


def _disability_rate(row: dict) -> int:
    raw = (row.get("taux_incapacite") or "").strip().removesuffix("%").strip()
    if not raw:
        return 0
    if not raw.isdigit() or int(raw) > 100:
        raise RowError(
            f"colonne « taux_incapacite » : « {raw} » n'est pas un taux entier entre 0 et 100 (en %)."
        )
    return int(raw)


def _person(row: dict, today: date) -> Person:
    raw_role = (row.get("role") or "").strip().lower()
    try:
        role = FamilyRole(raw_role)
    except ValueError:
        raise RowError(
            f"colonne « role » : « {raw_role} » inconnu ; valeurs possibles : demandeur, conjoint, enfant."
        ) from None
    return Person(
        role=role,
        birth_date=_birth_date(row, today),
        salary=_amount(row, "salaire_net"),
        unemployment=_amount(row, "chomage_net"),
        pension=_amount(row, "retraite_nette"),
        disability_rate=_disability_rate(row),
        child_support=_optional_amount(row, "pension_alimentaire_recue"),
        student=_yes_no(row, "etudiant"),
        rsdae=_yes_no(row, "rsdae"),
        invalidity_pension=_optional_amount(row, "pension_invalidite"),
    )


def month_bounds(month: str) -> tuple[date, date]:
    """First and last day of `month` ("YYYY-MM")."""
    year, number = int(month[:4]), int(month[5:7])
    following = date(year + number // 12, number % 12 + 1, 1)
    return date(year, number, 1), date.fromordinal(following.toordinal() - 1)


def person_problem(person: Person, month: str) -> str | None:
    """Why a person cannot be computed for `month` ("YYYY-MM"), in French, or None. Ages are taken on the first
    day of the month, as OpenFisca does: a child born after the month, a "child" aged 25 or more, an applicant
    or spouse younger than 16."""
    first, last = month_bounds(month)
    if person.birth_date > last:
        return (
            f"colonne « date_naissance » : personne née le {person.birth_date:%d/%m/%Y}, après le mois "
            f"calculé ({month}) ; retirez-la du foyer pour ce mois."
        )
    age = person.age_on(first)
    if person.role == FamilyRole.CHILD and age >= MAX_CHILD_AGE:
        return (
            f"un « enfant » de {age} ans au {first:%d/%m/%Y} : à partir de {MAX_CHILD_AGE} ans, une personne "
            "n'est plus un enfant à charge ; décrivez-la comme un foyer à part."
        )
    if person.role != FamilyRole.CHILD and age < MIN_APPLICANT_AGE:
        return (
            f"« {person.role.value} » de {age} ans au {first:%d/%m/%Y} : le demandeur et son conjoint ont au "
            f"moins {MIN_APPLICANT_AGE} ans."
        )
    return None


def household_problems(household: Household, month: str) -> list[str]:
    """Every reason (French) why `household` cannot be computed for `month`: its people's problems (see
    `person_problem`) and a missing or repeated applicant. Empty when it can be computed. The web simulator
    asks this before calling the engine; the file reader rejects the household with the first one."""
    problems = [problem for person in household.people if (problem := person_problem(person, month))]
    try:
        _check_household(household)
    except RowError as error:
        problems.append(str(error))
    return problems


UNKNOWN_COMMUNE_REASON = "colonne « depcom » : commune « {depcom} » inconnue du Code officiel géographique."


def _household_fields(
    household: Household, row: dict, communes: set[str] | None, commune_reason: str | None
) -> None:
    """The household columns, read on the `demandeur` row."""
    depcom = (row.get("depcom") or "").strip().upper()
    if depcom:
        if len(depcom) == 4 and depcom.isdigit():
            depcom = "0" + depcom  # a spreadsheet dropped the leading zero
        if communes is not None and depcom not in communes:
            raise RowError((commune_reason or UNKNOWN_COMMUNE_REASON).format(depcom=depcom))
    household.depcom = depcom
    raw_housing = (row.get("statut_occupation_logement") or "").strip()
    if raw_housing:
        try:
            household.housing = Housing(raw_housing)
        except ValueError:
            raise RowError(
                f"colonne « statut_occupation_logement » : « {raw_housing} » inconnu ; valeurs possibles : "
                f"{', '.join(Housing)}."
            ) from None
    household.rent = _amount(row, "loyer")
    codes = {code.strip() for code in (row.get("prestations_percues") or "").split("|") if code.strip()}
    unknown = sorted(codes - set(BENEFITS))
    if unknown:
        codes_unknown = plural_word(len(unknown), "code inconnu", "codes inconnus")
        raise RowError(
            f"colonne « prestations_percues » : {codes_unknown} {', '.join(unknown)} ; codes possibles : "
            f"{', '.join(BENEFITS)}."
        )
    household.received = frozenset(codes)


def _check_household(household: Household) -> None:
    roles = [person.role for person in household.people]
    if FamilyRole.APPLICANT not in roles:
        raise RowError("le foyer n'a pas de ligne « demandeur ».")
    if roles.count(FamilyRole.APPLICANT) > 1:
        raise RowError("le foyer a plusieurs lignes « demandeur ».")
    if roles.count(FamilyRole.SPOUSE) > 1:
        raise RowError("le foyer a plusieurs lignes « conjoint ».")
    if len(roles) > MAX_PEOPLE:
        raise RowError(
            f"le foyer compte plus de {MAX_PEOPLE} personnes : deux foyers partagent-ils cet identifiant ?"
        )


def _dialect(header_line: str) -> str:
    return ";" if header_line.count(";") > header_line.count(",") else ","


def _header(fieldnames: list[str] | None) -> list[str]:
    if not fieldnames:
        raise FileFormatError("Le fichier est vide : la première ligne doit être l'en-tête des colonnes.")
    names = [name.strip().lower() for name in fieldnames]
    missing = [column for column in REQUIRED_COLUMNS if column not in names]
    if missing:
        columns = plural_word(len(missing), "colonne obligatoire absente", "colonnes obligatoires absentes")
        raise FileFormatError(
            f"En-tête : {columns} : {', '.join(missing)} (format ménages v2 : {', '.join(KNOWN_COLUMNS)})."
        )
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if duplicated:
        columns = plural_word(len(duplicated), "colonne")
        raise FileFormatError(f"En-tête : {columns} en double : {', '.join(duplicated)}.")
    return names


@dataclass
class ReadReport:
    rows: int = 0
    households: int = 0
    rejects: list[RejectedLine] = field(default_factory=list)
    extra_columns: list[str] = field(default_factory=list)
    delimiter: str = ","
    header: str = ""  # the header line, as in the file (without a BOM)
    names: list[str] = field(default_factory=list)  # the column names, stripped and lower case


def read_households(
    lines: Iterable[str],
    *,
    today: date,
    month: str | None = None,
    communes: set[str] | None = None,
    commune_reason: str | None = None,
    report: ReadReport | None = None,
    line_offset: int = 0,
) -> Iterator[Household]:
    """Households of the file, in file order, as a stream; rejected ones go to `report.rejects` and are not
    yielded. `lines`: the text lines of the file (an open text file); `month`: the computed month ("YYYY-MM"),
    to reject the people who cannot be computed for it (`person_problem`; None: not checked); `communes`: the
    valid INSEE commune codes (None: not checked); `commune_reason`: the reject reason of a commune outside
    them, with `{depcom}` (default: unknown to the COG); `line_offset`: added to the line numbers (a chunk of a
    file, see `raw_chunks`)."""
    report = report if report is not None else ReadReport()
    lines = iter(lines)
    first = next(lines, "")
    first = first.removeprefix("\ufeff")
    report.delimiter = _dialect(first)
    reader = csv.DictReader(_chain(first, lines), delimiter=report.delimiter)
    reader.fieldnames = _header(reader.fieldnames)
    report.header, report.names = first, list(reader.fieldnames)
    report.extra_columns = [name for name in reader.fieldnames if name not in KNOWN_COLUMNS]
    current: Household | None = None
    failed: RejectedLine | None = None
    seen: set[str] = set()

    def finish() -> Household | None:
        if current is None:
            return None
        if failed is not None:
            report.rejects.append(failed)
            return None
        try:
            _check_household(current)
        except RowError as error:
            report.rejects.append(RejectedLine(current.line, current.id, str(error)))
            return None
        report.households += 1
        return current

    for row in _csv_rows(reader):
        line = reader.line_num + line_offset
        report.rows += 1
        household_id = (row.get("foyer_id") or "").strip()
        if not household_id:
            report.rejects.append(
                RejectedLine(line, "", "colonne « foyer_id » vide : chaque ligne doit nommer son foyer.")
            )
            continue
        if current is None or household_id != current.id:
            done = finish()
            if done is not None:
                yield done
            failed = None
            current = Household(id=household_id, line=line)
            if (problem := id_problem(household_id)) is not None:
                failed = RejectedLine(line, "", problem)  # the id is not written back
            elif household_id in seen:
                failed = RejectedLine(line, household_id, NOT_CONTIGUOUS_REASON)
            else:
                seen.add(household_id)
        if failed is not None:
            continue
        try:
            person = _person(row, today)
            if month is not None and (problem := person_problem(person, month)):
                raise RowError(problem)
            if person.role == FamilyRole.APPLICANT:
                _household_fields(current, row, communes, commune_reason)
            current.people.append(person)
        except RowError as error:
            failed = RejectedLine(line, household_id, str(error))
    done = finish()
    if done is not None:
        yield done


def _csv_rows(reader) -> Iterator:
    """The rows of a csv reader; a row it cannot read (a cell over the csv module's field limit, often an unclosed
    quote joining the next lines into one) stops the file with a French message naming the line."""
    try:
        yield from reader
    except csv.Error as error:
        line = reader.line_num + 1  # the csv module counts the lines read before the one it could not finish
        if "field larger than field limit" in str(error):
            raise FileFormatError(
                f"Ligne {line} : une cellule dépasse {number(csv.field_size_limit())} caractères, la limite d'une "
                "cellule CSV (un guillemet non fermé réunit les lignes suivantes en une seule) ; rien n'a été conservé."
            ) from None
        raise FileFormatError(
            f"Ligne {line} : ligne CSV illisible ({error}) ; rien n'a été conservé."
        ) from None


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


EMPTY_ID_REASON = "colonne « foyer_id » vide : chaque ligne doit nommer son foyer."
NOT_CONTIGUOUS_REASON = "les lignes de ce foyer ne se suivent pas : regroupez-les dans le fichier."


@dataclass
class RawChunk:
    """Whole households of a file, as its text, for a process that parses and computes them (`read_households`
    with `line_offset`, or pacte.rights.fastread). The lines this splitter rejects (an empty household id, a
    household whose lines do not follow each other) are left out of `text`, replaced by empty lines, so that
    line numbers stay right; their rejects are in `rejects`."""

    text: str
    first_line: int  # the file's line number of the first line of `text`
    households: int  # households sent in `text`
    rows: int  # rows of the file in this chunk, rejected ones included
    rejects: list[RejectedLine]


def raw_chunks(lines: Iterable[str], *, size: int, report: ReadReport) -> Iterator[RawChunk]:
    """The households of a file, `size` at a time, as text: the cheap part of reading (one split per line)
    runs here; parsing and checking the values is left to the computing processes. Raises FileFormatError on
    an unusable header. Fills `report`'s header, names, delimiter, extra columns and rows."""
    lines = iter(lines)
    first = next(lines, "").removeprefix("\ufeff")
    report.delimiter = delimiter = _dialect(first)
    names = _header(next(csv.reader([first], delimiter=delimiter), None))
    report.header, report.names = first, names
    report.extra_columns = [name for name in names if name not in KNOWN_COLUMNS]
    id_index = names.index("foyer_id")
    consumed: list[str] = []  # the physical lines of the record the csv reader just read

    def tap(source: Iterator[str]) -> Iterator[str]:
        for text in source:
            consumed.append(text)
            yield text

    reader = csv.reader(tap(lines), delimiter=delimiter)
    chunk: list[str] = []
    chunk_first, chunk_rows, households = 2, 0, 0
    rejects: list[RejectedLine] = []
    current, skipping = None, False
    seen: set[str] = set()
    for cells in _csv_rows(reader):
        raw = "".join(consumed)
        record_lines = len(consumed)
        consumed.clear()
        line = reader.line_num + 1  # the header was read apart: the reader's line 1 is the file's line 2
        blank = "\n" * record_lines
        if not cells:  # an empty line: skipped, as csv.DictReader does
            chunk.append(blank)
            continue
        household_id = cells[id_index].strip() if len(cells) > id_index else ""
        if household_id and household_id != current and households >= size:
            yield RawChunk("".join(chunk), chunk_first, households, chunk_rows, rejects)
            chunk, chunk_first, chunk_rows, households, rejects = [], line - record_lines + 1, 0, 0, []
        report.rows += 1
        chunk_rows += 1
        if not household_id:
            rejects.append(RejectedLine(line, "", EMPTY_ID_REASON))
            chunk.append(blank)
            continue
        if household_id != current:
            current, skipping = household_id, True
            if (problem := id_problem(household_id)) is not None:
                rejects.append(RejectedLine(line, "", problem))  # the id is not written back
            elif household_id in seen:
                rejects.append(RejectedLine(line, household_id, NOT_CONTIGUOUS_REASON))
            else:
                seen.add(household_id)
                skipping = False
                households += 1
        chunk.append(blank if skipping else raw if raw.endswith("\n") else raw + "\n")
    if chunk_rows:
        yield RawChunk("".join(chunk), chunk_first, households, chunk_rows, rejects)


def read_text(text: str, **options) -> tuple[list[Household], ReadReport]:
    """The whole file at once (tests, small files)."""
    report = ReadReport()
    households = list(read_households(io.StringIO(text), report=report, **options))
    return households, report
