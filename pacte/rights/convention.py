"""The computation convention of docs/format-menages.md as arrays: what the engine declares to OpenFisca.

Pure numpy, no OpenFisca: the engine (`pacte.rights.engine`) reads the legal rates it needs from OpenFisca's
parameters (`Rates`) and hands them here; everything else is the file's data and the convention:

- each monthly income of the file applies to the computed month M and to each month back to January of year
  N-2 (at least 24 months); the other resources are declared zero, so OpenFisca never recomputes them;
- gross and taxable amounts are derived from the net ones (`Rates`, `taxable_incomes`);
- benefits received in the past are declared for the 12 months before M (see the engine's first pass);
- the housing (commune, occupation status, rent) is the same for all those months;
- the children's school level follows their year of birth (French school grades go by birth year), for M and,
  from June to August, for the school year that starts in September;
- the revenu fiscal de référence of year N-2 is estimated from the yearly taxable incomes.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from datetime import date

import numpy as np

from pacte.rights.catalogue import CATALOGUE
from pacte.rights.households import FamilyRole, Household

CODES = tuple(benefit.code for benefit in CATALOGUE)
HISTORY_MONTHS = 24  # incomes apply to M and to the 24 months before it (at least)
PAST_BENEFIT_MONTHS = 12  # past benefits are declared for the 12 months before M
ROLES = (FamilyRole.APPLICANT, FamilyRole.SPOUSE, FamilyRole.CHILD)  # the `role` codes of ChunkInputs
APPLICANT, SPOUSE, CHILD = 0, 1, 2
UNKNOWN, NO, YES = -1, 0, 1  # the yes/no columns of format v2

# Resources declared zero for every person over the income months, so that OpenFisca does not compute them.
ZERO_RESOURCES = (
    "indemnites_journalieres",
    "revenus_locatifs",
    "revenus_capital",
    "rpns_auto_entrepreneur_benefice",
    "rente_accident_travail",
)
# Benefits whose past amounts are resources for other benefits (family and person level). Those a household
# receives are declared with their amount; the others are declared zero.
PAST_FAMILY_BENEFITS = ("rsa", "aide_logement", "af", "asf", "cf", "paje_base", "paje_prepare", "aspa")
PAST_PERSON_BENEFITS = ("aah", "caah", "ass", "asi")

# Salaries. Net pay is 79.16 % of gross pay for a non-cadre private-sector employee (OpenFisca-France 176.1.8,
# `salaire_net / salaire_de_base` at the 2026 SMIC and up to twice it). The taxable salary adds back the
# non-deductible CSG (2.4 %) and the CRDS (0.5 %), levied on 98.25 % of gross pay (service-public.fr F2971).
NET_TO_GROSS_SALARY = 0.7916
TAXABLE_SALARY_FACTOR = 1 + (0.024 + 0.005) * 0.9825 / NET_TO_GROSS_SALARY
CSG_ACTIVITY_BASE = 0.9825  # the CSG and CRDS of wages and unemployment benefits are levied on 98.25 %
# Revenu fiscal de référence: yearly taxable incomes after the 10 % allowance (professional costs, pensions).
RFR_FACTOR = 12 * 0.9

# CSG classes of replacement incomes (CSS art. L136-8), by the revenu fiscal de référence of year N-2.
EXEMPT, REDUCED, MEDIAN, FULL = 0, 1, 2, 3


@dataclass(frozen=True)
class Rates:
    """The legal rates of month M the convention needs, read by the engine from OpenFisca's parameters.

    `thresholds`: the three RFR thresholds for one part (exemption, reduced rate, median rate) and
    `half_part`: what each adds per extra half part; `pension`: per CSG class (exempt, reduced, median, full)
    the (deductible CSG, non-deductible CSG, CRDS, CASA) rates of pensions; `unemployment`: the same for
    unemployment benefits (no median class: its rates are the full ones); `smic_month`: the gross monthly SMIC,
    below which CSG and CRDS may not bring an unemployment benefit."""

    thresholds: tuple[float, float, float]
    half_part: tuple[float, float, float]
    pension: tuple[tuple[float, float, float, float], ...]
    unemployment: tuple[tuple[float, float, float, float], ...]
    smic_month: float


@dataclass
class ChunkInputs:
    """A chunk of households as arrays: one row per household, one row per person (applicant first, then the
    spouse, then the children, whatever their order in the file)."""

    month: str
    household_ids: list[str]
    depcom: np.ndarray  # households, U5
    housing: np.ndarray  # households, U20 (OpenFisca's statut_occupation_logement)
    rent: np.ndarray  # households, float
    received: np.ndarray  # households × CODES, bool: declared received (prestations_percues)
    person_household: np.ndarray  # persons, int: index of the household
    role: np.ndarray  # persons, int8: APPLICANT, SPOUSE or CHILD
    birth: np.ndarray  # persons, datetime64[D]
    salary: np.ndarray  # persons, float (monthly net)
    unemployment: np.ndarray
    pension: np.ndarray
    disability: np.ndarray  # persons, float in 0-1 (taux d'incapacité)
    child_support: np.ndarray  # persons, float (monthly; 0 when unknown)
    child_support_known: np.ndarray  # persons, bool
    student: np.ndarray  # persons, int8: UNKNOWN, NO or YES
    rsdae: np.ndarray  # persons, bool
    invalidity: np.ndarray  # persons, float (monthly net invalidity pension)

    @property
    def size(self) -> int:
        return len(self.household_ids)

    @property
    def persons(self) -> int:
        return len(self.person_household)

    def select(self, mask: np.ndarray) -> "ChunkInputs":
        """The households of `mask`, with their people."""
        kept = np.flatnonzero(mask)
        renumber = np.full(self.size, -1, dtype=np.int64)
        renumber[kept] = np.arange(len(kept))
        person_mask = mask[self.person_household]
        values = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if item.name == "month":
                values[item.name] = value
            elif item.name == "household_ids":
                values[item.name] = [value[i] for i in kept]
            elif item.name == "person_household":
                values[item.name] = renumber[value[person_mask]]
            elif item.name in HOUSEHOLD_FIELDS:
                values[item.name] = value[kept]
            else:
                values[item.name] = value[person_mask]
        return ChunkInputs(**values)

    def concat(self, other: "ChunkInputs") -> "ChunkInputs":
        """These households followed by `other`'s (same month)."""
        values = {}
        for item in fields(self):
            mine, theirs = getattr(self, item.name), getattr(other, item.name)
            if item.name == "month":
                values[item.name] = mine
            elif item.name == "household_ids":
                values[item.name] = mine + theirs
            elif item.name == "person_household":
                values[item.name] = np.concatenate([mine, theirs + self.size])
            else:
                values[item.name] = np.concatenate([mine, theirs])
        return ChunkInputs(**values)


HOUSEHOLD_FIELDS = {"depcom", "housing", "rent", "received"}


def _optional(value, default=0.0) -> float:
    return default if value is None else float(value)


def _yes_no(value: bool | None) -> int:
    return UNKNOWN if value is None else (YES if value else NO)


def chunk_inputs(households: Sequence[Household], month: str) -> ChunkInputs:
    """The arrays of `households` (read by pacte.rights.households) for `month` ("YYYY-MM")."""
    people = [
        (index, person) for index, household in enumerate(households) for person in household.adults
    ] + [(index, person) for index, household in enumerate(households) for person in household.children]
    people.sort(key=lambda item: item[0])  # stable: per household, adults (applicant first) then children
    return ChunkInputs(
        month=month,
        household_ids=[household.id for household in households],
        depcom=np.array([household.depcom for household in households], dtype="U5"),
        housing=np.array(
            [household.housing.value if household.housing else "non_renseigne" for household in households],
            dtype="U20",
        ),
        rent=np.array([float(household.rent) for household in households], dtype=np.float64),
        received=np.array(
            [[code in household.received for code in CODES] for household in households], dtype=bool
        ).reshape(len(households), len(CODES)),
        person_household=np.array([index for index, _ in people], dtype=np.int64),
        role=np.array([ROLES.index(person.role) for _, person in people], dtype=np.int8),
        birth=np.array([person.birth_date for _, person in people], dtype="datetime64[D]"),
        salary=np.array([float(person.salary) for _, person in people], dtype=np.float64),
        unemployment=np.array([float(person.unemployment) for _, person in people], dtype=np.float64),
        pension=np.array([float(person.pension) for _, person in people], dtype=np.float64),
        disability=np.array([person.disability_rate / 100 for _, person in people], dtype=np.float64),
        child_support=np.array([_optional(person.child_support) for _, person in people], dtype=np.float64),
        child_support_known=np.array([person.child_support is not None for _, person in people], dtype=bool),
        student=np.array([_yes_no(person.student) for _, person in people], dtype=np.int8),
        rsdae=np.array([bool(person.rsdae) for _, person in people], dtype=bool),
        invalidity=np.array([_optional(person.invalidity_pension) for _, person in people], dtype=np.float64),
    )


# --- Months --------------------------------------------------------------------------------------------


def months_before(month: str, count: int) -> list[str]:
    """`month` and the `count` months before it, oldest first."""
    year, number = int(month[:4]), int(month[5:7])
    index = year * 12 + number - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - count, index + 1)]


def income_months(month: str) -> list[str]:
    """The months to which the file's incomes apply: M and the 24 months before it, and at least back to
    January of year N-2, the reference year of family benefits, housing aid and scholarships."""
    back = max(HISTORY_MONTHS, 24 + int(month[5:7]) - 1)
    return months_before(month, back)


def school_months(month: str) -> list[str]:
    """The months whose school level is declared: M, and from June to August the September that follows (the
    scholarships of the school year that starts)."""
    number = int(month[5:7])
    return [month, f"{month[:4]}-09"] if 6 <= number <= 8 else [month]


def scholarship_month(month: str) -> str:
    """The month whose scholarships are reported for M: September of the same year from June to August (the
    school year that starts), M otherwise."""
    return school_months(month)[-1]


def school_level(inputs: ChunkInputs, month: str | None = None) -> np.ndarray:
    """Children's school level in `month` (default M) by birth year: a child born in year B is in 6e (collège)
    in the school year starting in September of B + 11."""
    month = month or inputs.month
    year, number = int(month[:4]), int(month[5:7])
    school_year = year if number >= 9 else year - 1
    grade_age = school_year - (inputs.birth.astype("datetime64[Y]").astype(np.int64) + 1970)
    levels = np.select(
        [grade_age < 3, grade_age < 6, grade_age < 11, grade_age < 15, grade_age < 18],
        ["inconnue", "maternelle", "primaire", "college", "lycee"],
        default="inconnue",
    )
    levels[inputs.role != CHILD] = "inconnue"
    return levels


def ages(inputs: ChunkInputs, day: date) -> np.ndarray:
    """Each person's age in whole years on `day`."""
    years = day.year - (inputs.birth.astype("datetime64[Y]").astype(np.int64) + 1970)
    months = inputs.birth.astype("datetime64[M]")
    birthday = (months.astype(np.int64) % 12 + 1) * 100 + (inputs.birth - months).astype(np.int64) + 1
    return years - (birthday > day.month * 100 + day.day)


# --- Incomes: from net to gross and taxable ------------------------------------------------------------


def fiscal_parts(inputs: ChunkInputs) -> np.ndarray:
    """Parts of each household's foyer fiscal (CGI art. 194): 1 per adult, ½ for each of the first two
    children and 1 from the third, ½ more for a single parent (case T)."""
    adults = np.bincount(inputs.person_household, weights=inputs.role != CHILD, minlength=inputs.size)
    children = np.bincount(inputs.person_household, weights=inputs.role == CHILD, minlength=inputs.size)
    return (
        adults
        + 0.5 * np.minimum(children, 2)
        + np.maximum(children - 2, 0)
        + 0.5 * ((adults == 1) & (children > 0))
    )


def csg_class(rfr: np.ndarray, parts: np.ndarray, rates: Rates) -> np.ndarray:
    """The CSG class of each household's replacement incomes: EXEMPT, REDUCED, MEDIAN or FULL, by its
    revenu fiscal de référence and its parts (the thresholds rise by `half_part` per extra half part)."""
    extra_half_parts = (parts - 1) * 2
    limits = [
        base + extra_half_parts * step for base, step in zip(rates.thresholds, rates.half_part, strict=True)
    ]
    return np.select([rfr <= limits[0], rfr <= limits[1], rfr <= limits[2]], [EXEMPT, REDUCED, MEDIAN], FULL)


@dataclass(frozen=True)
class TaxableIncomes:
    """Per person, monthly: the gross pension and the taxable salary, unemployment benefit and pension; per
    household: the estimated revenu fiscal de référence."""

    pension_gross: np.ndarray
    salary_taxable: np.ndarray
    unemployment_taxable: np.ndarray
    pension_taxable: np.ndarray
    rfr: np.ndarray


def _replacement(inputs: ChunkInputs, classes: np.ndarray, rates: Rates):
    person_class = classes[inputs.person_household]
    pension = np.array(rates.pension)[person_class]  # persons × (deductible, non-deductible, crds, casa)
    pension_gross = inputs.pension / (1 - pension.sum(axis=1))
    pension_taxable = pension_gross * (1 - pension[:, 0])
    unemployment = np.array(rates.unemployment)[person_class]
    levied = CSG_ACTIVITY_BASE * unemployment[:, :3].sum(axis=1)
    unemployment_gross = inputs.unemployment / (1 - levied)
    # CSG and CRDS may not bring the benefit below the gross SMIC: a benefit at or below it is not levied.
    exempt = inputs.unemployment <= rates.smic_month
    unemployment_taxable = np.where(
        exempt, inputs.unemployment, unemployment_gross * (1 - CSG_ACTIVITY_BASE * unemployment[:, 0])
    )
    return pension_gross, pension_taxable, unemployment_taxable


def taxable_incomes(inputs: ChunkInputs, rates: Rates) -> TaxableIncomes:
    """Gross pensions and taxable incomes from the net ones.

    The CSG class of a household's pensions and unemployment benefits depends on its revenu fiscal de
    référence, which depends on the taxable incomes: the class is first taken on the RFR of the net incomes,
    then once more on the RFR this class gives. A pension of an exempt household is gross = net."""
    salary_taxable = inputs.salary * TAXABLE_SALARY_FACTOR
    parts = fiscal_parts(inputs)
    other = inputs.child_support + inputs.invalidity

    def rfr_of(unemployment, pension):
        yearly = (salary_taxable + unemployment + pension + other) * RFR_FACTOR
        return np.round(np.bincount(inputs.person_household, weights=yearly, minlength=inputs.size))

    classes = csg_class(rfr_of(inputs.unemployment, inputs.pension), parts, rates)
    _, pension_taxable, unemployment_taxable = _replacement(inputs, classes, rates)
    classes = csg_class(rfr_of(unemployment_taxable, pension_taxable), parts, rates)
    pension_gross, pension_taxable, unemployment_taxable = _replacement(inputs, classes, rates)
    return TaxableIncomes(
        pension_gross=pension_gross,
        salary_taxable=salary_taxable,
        unemployment_taxable=unemployment_taxable,
        pension_taxable=pension_taxable,
        rfr=rfr_of(unemployment_taxable, pension_taxable),
    )


# --- Declared inputs -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Declared:
    """One input of the simulation: variable, OpenFisca period, entity and the values (one per person, or
    one per household for group entities)."""

    variable: str
    period: str
    entity: str
    values: np.ndarray


def declared_inputs(
    inputs: ChunkInputs,
    rates: Rates,
    past: dict[str, np.ndarray] | None = None,
    *,
    deferred: frozenset[str] = frozenset(),
) -> Iterator[Declared]:
    """Every input the convention declares. `past`: the amounts of the received benefits (family benefits:
    one per household; person benefits: one per person); absent means zero. `deferred`: past benefits not
    declared here (the engine declares them once it has computed them)."""
    past = past or {}
    months = income_months(inputs.month)
    past_months = months[-PAST_BENEFIT_MONTHS - 1 : -1]
    zero_persons = np.zeros(inputs.persons)
    zero_households = np.zeros(inputs.size)
    incomes = taxable_incomes(inputs, rates)
    gross_salary = inputs.salary / NET_TO_GROSS_SALARY
    yield Declared("date_naissance", "ETERNITY", "individu", inputs.birth)
    per_month = (
        ("salaire_net", "individu", inputs.salary),
        ("salaire_imposable", "individu", incomes.salary_taxable),
        ("salaire_de_base", "individu", gross_salary),
        ("chomage_net", "individu", inputs.unemployment),
        ("chomage_imposable", "individu", incomes.unemployment_taxable),
        ("retraite_nette", "individu", inputs.pension),
        ("retraite_imposable", "individu", incomes.pension_taxable),
        ("retraite_brute", "individu", incomes.pension_gross),
        ("pensions_alimentaires_percues", "individu", inputs.child_support),
        ("pensions_invalidite", "individu", inputs.invalidity),
        *((variable, "individu", zero_persons) for variable in ZERO_RESOURCES),
        ("depcom", "menage", inputs.depcom),
        ("statut_occupation_logement", "menage", inputs.housing),
        ("loyer", "menage", inputs.rent),
    )
    for month in months:
        for variable, entity, values in per_month:
            yield Declared(variable, month, entity, values)
    for month in past_months:
        for variable in PAST_FAMILY_BENEFITS:
            if variable not in deferred:
                yield Declared(variable, month, "famille", past.get(variable, zero_households))
        for variable in PAST_PERSON_BENEFITS:
            if variable not in deferred:
                yield Declared(variable, month, "individu", past.get(variable, zero_persons))
    yield Declared("taux_incapacite", inputs.month, "individu", inputs.disability)
    yield Declared("handicap", inputs.month, "individu", inputs.disability >= 0.5)
    yield Declared(
        "aah_restriction_substantielle_durable_acces_emploi", inputs.month, "individu", inputs.rsdae
    )
    yield Declared("etudiant", inputs.month, "individu", inputs.student == YES)
    for month in school_months(inputs.month):
        yield Declared("scolarite", month, "individu", school_level(inputs, month))
    yield Declared("rfr", str(int(inputs.month[:4]) - 2), "foyer_fiscal", incomes.rfr)
