"""Parsing a chunk of a household file straight into arrays, in the process that computes it.

`parse_chunk` takes the text of whole households (pacte.rights.households.raw_chunks) and gives the arrays the
engine needs (pacte.rights.convention.ChunkInputs), without building a `Household` per household: a chunk of
well-formed rows is read column by column (the fast path). At the first value the fast path does not accept
as it is — a malformed or implausible value, a household to reject, a quoted line break — the whole chunk is
read again by the reference reader (`households.read_households`), which gives the same arrays and the
rejects with their French reasons. Both paths give identical inputs: the tests compare them.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import numpy as np

from pacte.rights.catalogue import BENEFITS
from pacte.rights.convention import CODES, NO, UNKNOWN, YES, ChunkInputs, chunk_inputs
from pacte.rights.households import (
    MAX_CHILD_AGE,
    MAX_MONTHLY_AMOUNT,
    MAX_PEOPLE,
    MIN_APPLICANT_AGE,
    FamilyRole,
    Housing,
    RejectedLine,
    month_bounds,
    read_households,
)

ROLE_CODES = {FamilyRole.APPLICANT.value: 0, FamilyRole.SPOUSE.value: 1, FamilyRole.CHILD.value: 2}
HOUSING_VALUES = frozenset(value.value for value in Housing)
YES_NO_CODES = {"": UNKNOWN, "oui": YES, "o": YES, "non": NO, "n": NO}


@dataclass(frozen=True)
class ChunkContext:
    """What every chunk of one file shares: its header, the day and month of the computation, and the valid
    communes (None: not checked) with the reason of a reject outside them."""

    header: str
    names: tuple[str, ...]
    delimiter: str
    today: date
    month: str
    communes: frozenset[str] | None = None
    commune_reason: str | None = None


@lru_cache(maxsize=4)
def _sorted_communes(communes: frozenset[str]) -> np.ndarray:
    return np.array(sorted(communes))


class _Fallback(Exception):
    """A value the fast path does not take as it is: read the chunk with the reference reader."""


def parse_chunk(
    text: str, first_line: int, context: ChunkContext
) -> tuple[ChunkInputs | None, list[RejectedLine]]:
    """The households of a chunk as arrays (None when none is valid) and the rejected ones."""
    try:
        return _fast(text, context), []
    except _Fallback:
        return _reference(text, first_line, context)


def _reference(text: str, first_line: int, context: ChunkContext):
    from pacte.rights.households import ReadReport

    report = ReadReport()
    households = list(
        read_households(
            io.StringIO(context.header + text),
            today=context.today,
            month=context.month,
            communes=context.communes,
            commune_reason=context.commune_reason,
            report=report,
            line_offset=first_line - 2,
        )
    )
    return (chunk_inputs(households, context.month) if households else None), report.rejects


class _Columns:
    """The cells of a chunk by column, stripped, as numpy string arrays (None for a column the file lacks)."""

    def __init__(self, rows: list[list[str]], names: tuple[str, ...]) -> None:
        self.names = names
        self.cells = list(zip(*rows, strict=True))

    def __call__(self, name: str, rows: np.ndarray | None = None) -> np.ndarray | None:
        if name not in self.names:
            return None
        values = np.strings.strip(np.array(self.cells[self.names.index(name)], dtype=str))
        return values if rows is None else values[rows]

    def sparse(self, name: str) -> tuple[list[int], list[str]] | None:
        """The rows whose cell is not blank, and their stripped cells: most amount columns are mostly empty."""
        if name not in self.names:
            return None
        cells = self.cells[self.names.index(name)]
        rows = [row for row, cell in enumerate(cells) if cell]
        stripped = [cells[row].strip() for row in rows]
        if "" in stripped:  # cells of spaces only: blank
            rows, stripped = (
                [row for row, cell in zip(rows, stripped, strict=True) if cell],
                list(filter(None, stripped)),
            )
        return rows, stripped


def _amounts(
    values: tuple[list[int], list[str]] | None, count: int, *, optional: bool = False
) -> tuple[np.ndarray, np.ndarray]:
    """(amounts, known): euros from the non-blank cells (`_Columns.sparse`: decimal comma or point; blank: 0,
    unknown when `optional`)."""
    amounts, known = np.zeros(count), np.zeros(count, dtype=bool)
    if values is None:
        return amounts, known
    rows, cells = values
    known[rows] = True
    try:
        amounts[rows] = np.array([cell.replace(",", ".") for cell in cells], dtype=str).astype(np.float64)
    except ValueError:
        raise _Fallback from None
    if not np.isfinite(amounts).all() or (amounts < 0).any() or (amounts > MAX_MONTHLY_AMOUNT).any():
        raise _Fallback
    if not optional:
        known[:] = True
    return amounts, known


def _codes(values: np.ndarray | None, count: int, mapping: dict[str, int], default: int) -> np.ndarray:
    if values is None:
        return np.full(count, default, dtype=np.int8)
    keys, inverse = np.unique(values, return_inverse=True)
    try:
        return np.array([mapping[key.lower()] for key in keys.tolist()], dtype=np.int8)[inverse]
    except KeyError:
        raise _Fallback from None


def _fast(text: str, context: ChunkContext) -> ChunkInputs | None:
    names = context.names
    width = len(names)
    # Empty rows are skipped and short or long rows padded or cut, as csv.DictReader does.
    rows = [row for row in csv.reader(io.StringIO(text), delimiter=context.delimiter) if row]
    if set(map(len, rows)) - {width}:
        rows = [row if len(row) == width else (row + [""] * width)[:width] for row in rows]
    if not rows:
        return None
    count = len(rows)
    column = _Columns(rows, names)
    ids = column("foyer_id")
    starts = np.flatnonzero(np.append(True, ids[1:] != ids[:-1]))
    person_household = np.repeat(np.arange(len(starts)), np.diff(np.append(starts, count)))
    role = _codes(column("role"), count, ROLE_CODES, -1)
    births = column("date_naissance")
    if not (np.strings.str_len(births) == 10).all():
        raise _Fallback
    try:
        birth = births.astype("datetime64[D]")
    except ValueError:
        raise _Fallback from None
    # Ten characters numpy reads as a day are AAAA-MM-JJ or an implausible year (checked below).
    _check_people(birth, role, person_household, len(starts), context)
    salary, _ = _amounts(column.sparse("salaire_net"), count)
    unemployment, _ = _amounts(column.sparse("chomage_net"), count)
    pension, _ = _amounts(column.sparse("retraite_nette"), count)
    child_support, support_known = _amounts(column.sparse("pension_alimentaire_recue"), count, optional=True)
    invalidity, _ = _amounts(column.sparse("pension_invalidite"), count, optional=True)
    disability = _rates(column("taux_incapacite"), count)
    student = _codes(column("etudiant"), count, YES_NO_CODES, UNKNOWN)
    rsdae = _codes(column("rsdae"), count, YES_NO_CODES, UNKNOWN) == YES
    depcom, housing, rent, received = _household_columns(column, np.flatnonzero(role == 0), context)
    order = np.argsort(person_household * 3 + role, kind="stable")
    persons = {
        "person_household": person_household,
        "role": role,
        "birth": birth,
        "salary": salary,
        "unemployment": unemployment,
        "pension": pension,
        "disability": disability,
        "child_support": child_support,
        "child_support_known": support_known,
        "student": student,
        "rsdae": rsdae,
        "invalidity": invalidity,
    }
    return ChunkInputs(
        month=context.month,
        household_ids=ids[starts].tolist(),
        depcom=depcom,
        housing=housing,
        rent=rent,
        received=received,
        **{name: values[order] for name, values in persons.items()},
    )


def _rates(values: np.ndarray | None, count: int) -> np.ndarray:
    """Disability rates in 0-1 from whole percents ("80", "80 %"; empty: 0)."""
    if values is None:
        return np.zeros(count)
    raw = np.strings.strip(np.strings.rstrip(values, "%"))
    given = raw != ""
    ascii_digits = np.strings.lstrip(raw, "0123456789") == ""
    if not (ascii_digits & (np.strings.str_len(raw) <= 3)).all():
        raise _Fallback
    rates = np.where(given, raw, "0").astype(np.int64)
    if (rates > 100).any():
        raise _Fallback
    return rates / 100


def _check_people(birth, role, person_household, households: int, context: ChunkContext) -> None:
    """What the reference reader would reject: an implausible birth date, a person who cannot be computed
    for the month, a household without exactly one applicant, with two spouses or too many people."""
    if (role < 0).any():
        raise _Fallback
    today = np.datetime64(context.today, "D")
    if (birth > today).any() or (
        birth.astype("datetime64[Y]").astype(np.int64) + 1970 < context.today.year - 120
    ).any():
        raise _Fallback
    first, last = month_bounds(context.month)
    if (birth > np.datetime64(last, "D")).any():
        raise _Fallback
    years = first.year - (birth.astype("datetime64[Y]").astype(np.int64) + 1970)
    months = birth.astype("datetime64[M]")
    birthday = (months.astype(np.int64) % 12 + 1) * 100 + (birth - months).astype(np.int64) + 1
    age = years - (birthday > first.month * 100 + first.day)
    if ((role == 2) & (age >= MAX_CHILD_AGE)).any() or ((role != 2) & (age < MIN_APPLICANT_AGE)).any():
        raise _Fallback
    applicants = np.bincount(person_household, weights=role == 0, minlength=households)
    spouses = np.bincount(person_household, weights=role == 1, minlength=households)
    people = np.bincount(person_household, minlength=households)
    if (applicants != 1).any() or (spouses > 1).any() or (people > MAX_PEOPLE).any():
        raise _Fallback


def _household_columns(column: _Columns, applicants: np.ndarray, context: ChunkContext):
    """The household columns, read on the applicants' rows."""
    count = len(applicants)
    depcom = column("depcom", applicants)
    if depcom is None:
        depcom = np.full(count, "", dtype="U5")
    else:
        depcom = np.strings.upper(depcom)
        lost_zero = (np.strings.str_len(depcom) == 4) & np.strings.isdigit(depcom)
        depcom = np.where(lost_zero, np.strings.add("0", depcom), depcom)
        if (np.strings.str_len(depcom) > 5).any():
            raise _Fallback  # kept whole by the reference reader, cut by the arrays: let it decide
        if context.communes is not None:
            given = depcom[depcom != ""]
            if not np.isin(given, _sorted_communes(context.communes)).all():
                raise _Fallback
    housing = column("statut_occupation_logement", applicants)
    if housing is None:
        housing = np.full(count, "non_renseigne", dtype="U20")
    else:
        if not np.isin(housing[housing != ""], np.array(sorted(HOUSING_VALUES))).all():
            raise _Fallback
        housing = np.where(housing == "", "non_renseigne", housing)
    loyer = column.sparse("loyer")
    if loyer is not None:  # read on the applicants' rows only
        position = dict(zip(applicants.tolist(), range(count), strict=True))
        kept = [(position[row], cell) for row, cell in zip(*loyer, strict=True) if row in position]
        loyer = ([row for row, _ in kept], [cell for _, cell in kept])
    rent, _ = _amounts(loyer, count)
    received = np.zeros((count, len(CODES)), dtype=bool)
    codes = column("prestations_percues", applicants)
    for row in np.flatnonzero(codes != "") if codes is not None else ():
        for code in str(codes[row]).split("|"):
            code = code.strip()
            if code:
                if code not in BENEFITS:
                    raise _Fallback
                received[row, CODES.index(code)] = True
    return depcom.astype("U5"), housing.astype("U20"), rent, received
