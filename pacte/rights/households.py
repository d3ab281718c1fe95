"""Household file format v1 (docs/format-menages.md): read a CSV of people, one row per person, into households.

CSV in UTF-8 (a BOM is accepted), comma or semicolon (detected on the header), header required. The rows of
one household follow each other (the file is read as a stream, whatever its size). A row with a problem
rejects its whole household, with the line number and the reason in French; the other households go on.

No Django and no OpenFisca here: the engine, the command line and the web app all use this reader. The
people's data are never written to a log: a reject names the line, the household id and the field, not the
values of other fields.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from pacte.formatting import plural_word
from pacte.rights.catalogue import BENEFITS

FORMAT_VERSION = "1"
REQUIRED_COLUMNS = ("foyer_id", "role", "date_naissance")
INCOME_COLUMNS = ("salaire_net", "chomage_net", "retraite_nette")
HOUSEHOLD_COLUMNS = ("depcom", "statut_occupation_logement", "loyer", "prestations_percues")
OPTIONAL_PERSON_COLUMNS = ("taux_incapacite",)
KNOWN_COLUMNS = REQUIRED_COLUMNS + INCOME_COLUMNS + HOUSEHOLD_COLUMNS + OPTIONAL_PERSON_COLUMNS
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
    )


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
            f"En-tête : {columns} : {', '.join(missing)} (format ménages v1 : {', '.join(KNOWN_COLUMNS)})."
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


def read_households(
    lines: Iterable[str],
    *,
    today: date,
    communes: set[str] | None = None,
    commune_reason: str | None = None,
    report: ReadReport | None = None,
) -> Iterator[Household]:
    """Households of the file, in file order, as a stream; rejected ones go to `report.rejects` and are not
    yielded. `lines`: the text lines of the file (an open text file); `communes`: the valid INSEE commune
    codes (None: not checked); `commune_reason`: the reject reason of a commune outside them, with
    `{depcom}` (default: unknown to the COG)."""
    report = report if report is not None else ReadReport()
    lines = iter(lines)
    first = next(lines, "")
    first = first.removeprefix("\ufeff")
    report.delimiter = _dialect(first)
    reader = csv.DictReader(_chain(first, lines), delimiter=report.delimiter)
    reader.fieldnames = _header(reader.fieldnames)
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

    for row in reader:
        line = reader.line_num
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
            if household_id in seen:
                failed = RejectedLine(
                    line,
                    household_id,
                    "les lignes de ce foyer ne se suivent pas : regroupez-les dans le fichier.",
                )
            seen.add(household_id)
        if failed is not None:
            continue
        try:
            person = _person(row, today)
            if person.role == FamilyRole.APPLICANT:
                _household_fields(current, row, communes, commune_reason)
            current.people.append(person)
        except RowError as error:
            failed = RejectedLine(line, household_id, str(error))
    done = finish()
    if done is not None:
        yield done


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


def read_text(text: str, **options) -> tuple[list[Household], ReadReport]:
    """The whole file at once (tests, small files)."""
    report = ReadReport()
    households = list(read_households(io.StringIO(text), report=report, **options))
    return households, report
