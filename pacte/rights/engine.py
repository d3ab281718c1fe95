"""The rights engine: computes the catalogue's benefits for households with OpenFisca-France.

This is the only module of the platform that imports OpenFisca. It turns households (pacte.rights.households)
into OpenFisca inputs following the computation convention of docs/format-menages.md:

- each monthly income of the file applies to the computed month M and to each of the 24 months before it;
  the other resources are declared zero for those 25 months, so OpenFisca never recomputes them;
- benefits received in the past are declared for the 12 months before M: the amount OpenFisca computes for M
  (with a zero past) when the household says it receives the benefit, zero otherwise;
- the housing (commune, occupation status, rent) is the same for the 25 months;
- the children's school level in M follows their year of birth (French school grades go by birth year);
- the revenu fiscal de référence of year N-2 is estimated from the monthly incomes.

The same declared inputs feed the vectorised simulation of a chunk of households (`compute_chunk`, what the
batch runs) and the OpenFisca Web API situation of one household (`situation`), so that anyone can recompute a
household with OpenFisca itself and get the same amounts.
"""

import gc
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

import numpy as np
from openfisca_core.simulation_builder import SimulationBuilder

from pacte.rights.catalogue import CATALOGUE, Confidence, Period
from pacte.rights.households import FamilyRole, Household

OPENFISCA_EXTENSION = "openfisca_pacte"
HISTORY_MONTHS = 24  # incomes apply to M and to the 24 months before it
PAST_BENEFIT_MONTHS = 12  # past benefits are declared for the 12 months before M

# Resources declared for every person over the 25 months: the file's three incomes (net and taxable), the
# others at zero so that OpenFisca does not try to compute them.
ZERO_RESOURCES = (
    "indemnites_journalieres",
    "pensions_alimentaires_percues",
    "revenus_locatifs",
    "revenus_capital",
    "rpns_auto_entrepreneur_benefice",
    "rente_accident_travail",
    "pensions_invalidite",
)
# Benefits whose past amounts are resources for other benefits (family and person level). Those a household
# says it receives are declared with their computed amount; the others are declared zero.
PAST_FAMILY_BENEFITS = ("rsa", "aide_logement", "af", "asf", "cf", "paje_base", "paje_prepare", "aspa")
PAST_PERSON_BENEFITS = ("aah", "caah", "ass", "asi")
# Catalogue benefits that the file can say are received and that count as past resources: the first pass.
RECEIVED_RESOURCES = ("rsa", "aide_logement", "af", "asf", "aah")

# Taxable income from net pay: adds back the non-deductible CSG (2.4 %) and the CRDS (0.5 %), levied on
# 98.25 % of gross pay; net pay is about 78 % of gross pay.
TAXABLE_SALARY_FACTOR = 1 + 0.029 * 0.9825 / 0.78
# Revenu fiscal de référence: yearly taxable incomes after the 10 % allowance for professional costs.
RFR_FACTOR = 12 * 0.9

ROLE_KEYS = {
    "famille": {FamilyRole.APPLICANT: "demandeur", FamilyRole.SPOUSE: "conjoint", FamilyRole.CHILD: "enfant"},
    "foyer_fiscal": {
        FamilyRole.APPLICANT: "declarant_principal",
        FamilyRole.SPOUSE: "conjoint",
        FamilyRole.CHILD: "personne_a_charge",
    },
    "menage": {
        FamilyRole.APPLICANT: "personne_de_reference",
        FamilyRole.SPOUSE: "conjoint",
        FamilyRole.CHILD: "enfant",
    },
}
# The Web API's plural keys for the same roles.
ROLE_PLURALS = {
    "famille": {FamilyRole.APPLICANT: "parents", FamilyRole.SPOUSE: "parents", FamilyRole.CHILD: "enfants"},
    "foyer_fiscal": {
        FamilyRole.APPLICANT: "declarants",
        FamilyRole.SPOUSE: "declarants",
        FamilyRole.CHILD: "personnes_a_charge",
    },
    "menage": {
        FamilyRole.APPLICANT: "personne_de_reference",
        FamilyRole.SPOUSE: "conjoint",
        FamilyRole.CHILD: "enfants",
    },
}
GROUP_ENTITIES = {"famille": "familles", "foyer_fiscal": "foyers_fiscaux", "menage": "menages"}

# How each catalogue benefit is read from OpenFisca: (variable, entity, period kind).
# "css" is eligibility (free or with participation) and its amount is the participation the household pays.
VARIABLES: dict[str, tuple[str, str, Period]] = {
    "rsa": ("rsa", "famille", Period.MONTH),
    "ppa": ("ppa", "famille", Period.MONTH),
    "aide_logement": ("aide_logement", "famille", Period.MONTH),
    "af": ("af", "famille", Period.MONTH),
    "asf": ("asf", "famille", Period.MONTH),
    "css": ("css_participation_forfaitaire", "famille", Period.MONTH),
    "aah": ("aah", "individu", Period.MONTH),
    "cheque_energie": ("cheque_energie", "menage", Period.YEAR),
    # The value of a bourse in month M is its yearly amount.
    "bourse_college": ("bourse_college", "famille", Period.MONTH),
    "bourse_lycee": ("bourse_lycee", "famille", Period.MONTH),
    "pass_colo": ("pacte_pass_colo", "famille", Period.MONTH),
}
CODES = tuple(benefit.code for benefit in CATALOGUE)
assert set(VARIABLES) == set(CODES), "every catalogue benefit needs its OpenFisca variable"


@cache
def tax_benefit_system():
    """OpenFisca-France with the Pacte's extension, built once per process (about 4 s and 150 MB)."""
    from openfisca_france import CountryTaxBenefitSystem

    system = CountryTaxBenefitSystem()
    system.load_extension(OPENFISCA_EXTENSION)
    # The system's hundreds of thousands of objects live as long as the process: keep them out of the
    # collections that free each chunk's simulation (a full collection would otherwise cost ~0.2 s).
    gc.collect()
    gc.freeze()
    return system


def warm_up() -> None:
    tax_benefit_system()


# --- Inputs --------------------------------------------------------------------------------------------


@dataclass
class ChunkInputs:
    """A chunk of households as arrays: one row per person, one row per household."""

    month: str
    household_ids: list[str]
    depcom: np.ndarray  # households, str
    housing: np.ndarray  # households, str (OpenFisca's statut_occupation_logement)
    rent: np.ndarray  # households, float
    received: list[frozenset[str]]  # households
    person_household: np.ndarray  # persons, int: index of the household
    person_role: list[FamilyRole]
    birth: np.ndarray  # persons, datetime64[D]
    salary: np.ndarray  # persons, float (monthly net)
    unemployment: np.ndarray
    pension: np.ndarray
    disability: np.ndarray  # persons, float in 0-1

    @property
    def size(self) -> int:
        return len(self.household_ids)


def chunk_inputs(households: Sequence[Household], month: str) -> ChunkInputs:
    people = [(index, person) for index, household in enumerate(households) for person in household.people]
    return ChunkInputs(
        month=month,
        household_ids=[household.id for household in households],
        depcom=np.array([household.depcom for household in households], dtype="U5"),
        housing=np.array(
            [household.housing.value if household.housing else "non_renseigne" for household in households],
            dtype="U20",
        ),
        rent=np.array([float(household.rent) for household in households], dtype=np.float64),
        received=[household.received for household in households],
        person_household=np.array([index for index, _ in people], dtype=np.int64),
        person_role=[person.role for _, person in people],
        birth=np.array([person.birth_date for _, person in people], dtype="datetime64[D]"),
        salary=np.array([float(person.salary) for _, person in people], dtype=np.float64),
        unemployment=np.array([float(person.unemployment) for _, person in people], dtype=np.float64),
        pension=np.array([float(person.pension) for _, person in people], dtype=np.float64),
        disability=np.array([person.disability_rate / 100 for _, person in people], dtype=np.float64),
    )


def _months_before(month: str, count: int) -> list[str]:
    """`month` and the `count` months before it, oldest first."""
    year, number = int(month[:4]), int(month[5:7])
    index = year * 12 + number - 1
    return [f"{i // 12:04d}-{i % 12 + 1:02d}" for i in range(index - count, index + 1)]


def income_months(month: str) -> list[str]:
    """The months to which the file's incomes apply: M and the 24 months before it, and at least back to
    January of year N-2, the reference year of family benefits, housing aid and scholarships."""
    back = max(HISTORY_MONTHS, 24 + int(month[5:7]) - 1)
    return _months_before(month, back)


def _school_level(inputs: ChunkInputs) -> np.ndarray:
    """Children's school level in month M by birth year: a child born in year B is in 6e (collège) in the
    school year starting in September of B + 11."""
    year, number = int(inputs.month[:4]), int(inputs.month[5:7])
    school_year = year if number >= 9 else year - 1
    grade_age = school_year - (inputs.birth.astype("datetime64[Y]").astype(np.int64) + 1970)
    is_child = np.array([role == FamilyRole.CHILD for role in inputs.person_role], dtype=bool)
    levels = np.select(
        [grade_age < 3, grade_age < 6, grade_age < 11, grade_age < 15, grade_age < 18],
        ["inconnue", "maternelle", "primaire", "college", "lycee"],
        default="inconnue",
    )
    levels[~is_child] = "inconnue"
    return levels


@dataclass(frozen=True)
class Declared:
    """One input of the simulation: variable, OpenFisca period, entity and the values (one per person, or
    one per household for group entities)."""

    variable: str
    period: str
    entity: str
    values: np.ndarray


def declared_inputs(inputs: ChunkInputs, past: dict[str, np.ndarray] | None = None) -> Iterator[Declared]:
    """Every input the convention declares. `past`: the amounts of the received benefits of the first pass
    (family benefits: one per household; aah: one per person); absent means zero."""
    past = past or {}
    months = income_months(inputs.month)
    past_months = months[-PAST_BENEFIT_MONTHS - 1 : -1]
    persons = len(inputs.person_household)
    zero_persons = np.zeros(persons)
    zero_households = np.zeros(inputs.size)
    yield Declared("date_naissance", "ETERNITY", "individu", inputs.birth)
    taxable_salary = inputs.salary * TAXABLE_SALARY_FACTOR
    for month in months:
        yield Declared("salaire_net", month, "individu", inputs.salary)
        yield Declared("salaire_imposable", month, "individu", taxable_salary)
        yield Declared("chomage_net", month, "individu", inputs.unemployment)
        yield Declared("chomage_imposable", month, "individu", inputs.unemployment)
        yield Declared("retraite_nette", month, "individu", inputs.pension)
        yield Declared("retraite_imposable", month, "individu", inputs.pension)
        for variable in ZERO_RESOURCES:
            yield Declared(variable, month, "individu", zero_persons)
        yield Declared("depcom", month, "menage", inputs.depcom)
        yield Declared("statut_occupation_logement", month, "menage", inputs.housing)
        yield Declared("loyer", month, "menage", inputs.rent)
    for month in past_months:
        for variable in PAST_FAMILY_BENEFITS:
            yield Declared(variable, month, "famille", past.get(variable, zero_households))
        for variable in PAST_PERSON_BENEFITS:
            yield Declared(variable, month, "individu", past.get(variable, zero_persons))
    yield Declared("taux_incapacite", inputs.month, "individu", inputs.disability)
    yield Declared("scolarite", inputs.month, "individu", _school_level(inputs))
    yearly_taxable = (taxable_salary + inputs.unemployment + inputs.pension) * RFR_FACTOR
    rfr = np.round(np.bincount(inputs.person_household, weights=yearly_taxable, minlength=inputs.size))
    yield Declared("rfr", str(int(inputs.month[:4]) - 2), "foyer_fiscal", rfr)


# --- Vectorised simulation -----------------------------------------------------------------------------


def _simulation(inputs: ChunkInputs, past: dict[str, np.ndarray] | None = None):
    system = tax_benefit_system()
    builder = SimulationBuilder()
    builder.create_entities(system)
    person_ids = [str(i) for i in range(len(inputs.person_household))]
    group_ids = [str(i) for i in range(inputs.size)]
    persons_groups = [group_ids[index] for index in inputs.person_household]
    builder.declare_person_entity("individu", person_ids)
    for entity, keys in ROLE_KEYS.items():
        population = builder.declare_entity(entity, group_ids)
        builder.join_with_persons(population, persons_groups, [keys[role] for role in inputs.person_role])
    simulation = builder.build(system)
    for item in declared_inputs(inputs, past):
        simulation.set_input(item.variable, item.period, item.values)
    return simulation


def _select(inputs: ChunkInputs, mask: np.ndarray) -> ChunkInputs:
    """The households of `mask`, with their people."""
    kept = np.flatnonzero(mask)
    renumber = np.full(inputs.size, -1, dtype=np.int64)
    renumber[kept] = np.arange(len(kept))
    person_mask = mask[inputs.person_household]
    return ChunkInputs(
        month=inputs.month,
        household_ids=[inputs.household_ids[i] for i in kept],
        depcom=inputs.depcom[kept],
        housing=inputs.housing[kept],
        rent=inputs.rent[kept],
        received=[inputs.received[i] for i in kept],
        person_household=renumber[inputs.person_household[person_mask]],
        person_role=[role for role, keep in zip(inputs.person_role, person_mask, strict=True) if keep],
        birth=inputs.birth[person_mask],
        salary=inputs.salary[person_mask],
        unemployment=inputs.unemployment[person_mask],
        pension=inputs.pension[person_mask],
        disability=inputs.disability[person_mask],
    )


def past_amounts(inputs: ChunkInputs) -> dict[str, np.ndarray]:
    """First pass: for the households that say they receive a benefit that counts as a resource, its amount
    in M computed with a zero past, to declare for the 12 months before M. Zero for everyone else."""
    flags = {
        code: np.array([code in received for received in inputs.received], dtype=bool)
        for code in RECEIVED_RESOURCES
    }
    past = {}
    receiving = np.logical_or.reduce(list(flags.values()))
    if not receiving.any():
        return past
    subset = _select(inputs, receiving)
    simulation = _simulation(subset)
    kept = np.flatnonzero(receiving)
    for code in RECEIVED_RESOURCES:
        variable, entity, _ = VARIABLES[code]
        values = simulation.calculate(variable, inputs.month)
        if entity == "individu":
            full = np.zeros(len(inputs.person_household))
            person_mask = receiving[inputs.person_household]
            full[person_mask] = values * flags[code][kept][subset.person_household]
        else:
            full = np.zeros(inputs.size)
            full[kept] = values * flags[code][kept]
        past[variable] = np.round(full, 2)
    del simulation
    return past


@dataclass
class ChunkResult:
    """Amounts (households × catalogue benefits, euros: monthly or yearly as the catalogue says; css: the
    participation) and eligibility."""

    amounts: np.ndarray
    eligible: np.ndarray
    received: np.ndarray


def compute_chunk(inputs: ChunkInputs) -> ChunkResult:
    past = past_amounts(inputs)
    simulation = _simulation(inputs, past)
    amounts = np.zeros((inputs.size, len(CODES)))
    eligible = np.zeros((inputs.size, len(CODES)), dtype=bool)
    year = inputs.month[:4]
    for column, code in enumerate(CODES):
        variable, entity, kind = VARIABLES[code]
        values = simulation.calculate(variable, year if kind == Period.YEAR else inputs.month)
        if entity == "individu":
            values = np.bincount(inputs.person_household, weights=values, minlength=inputs.size)
        amounts[:, column] = np.round(values, 2)
        eligible[:, column] = amounts[:, column] > 0
    css = CODES.index("css")
    eligible[:, css] |= simulation.calculate("cmu_c", inputs.month).astype(bool)
    received = np.array(
        [[code in household_received for code in CODES] for household_received in inputs.received], dtype=bool
    ).reshape(inputs.size, len(CODES))
    del simulation
    gc.collect()  # OpenFisca's simulations hold reference cycles: free them now, not at the next collection
    return ChunkResult(amounts=amounts, eligible=eligible, received=received)


# --- One household at a time (the web simulator, the `situation` command) -------------------------------


@dataclass(frozen=True)
class BenefitResult:
    code: str
    period: str  # "2026-10" for monthly benefits, "2026" for yearly ones
    amount: Decimal
    eligible: bool
    received: bool
    non_take_up: bool
    confidence: Confidence


@dataclass(frozen=True)
class HouseholdResult:
    household_id: str
    depcom: str
    benefits: tuple[BenefitResult, ...]

    @property
    def non_take_up(self) -> tuple[BenefitResult, ...]:
        return tuple(benefit for benefit in self.benefits if benefit.non_take_up)


def benefit_period(code: str, month: str) -> str:
    return month[:4] if VARIABLES[code][2] == Period.YEAR else month


def household_results(inputs: ChunkInputs, result: ChunkResult) -> list[HouseholdResult]:
    confidences = [benefit.confidence for benefit in CATALOGUE]
    periods = [benefit_period(code, inputs.month) for code in CODES]
    out = []
    for row, household_id in enumerate(inputs.household_ids):
        benefits = tuple(
            BenefitResult(
                code=code,
                period=periods[column],
                amount=Decimal(f"{result.amounts[row, column]:.2f}"),
                eligible=bool(result.eligible[row, column]),
                received=bool(result.received[row, column]),
                non_take_up=bool(result.eligible[row, column] and not result.received[row, column]),
                confidence=confidences[column],
            )
            for column, code in enumerate(CODES)
        )
        out.append(HouseholdResult(household_id, str(inputs.depcom[row]), benefits))
    return out


def simulate(households: Sequence[Household], month: str) -> list[HouseholdResult]:
    """Every catalogue benefit of each household for `month` ("YYYY-MM"), in one vectorised simulation."""
    if not households:
        return []
    inputs = chunk_inputs(households, month)
    return household_results(inputs, compute_chunk(inputs))


def _json_value(value):
    if isinstance(value, np.datetime64):
        return str(value.astype("datetime64[D]"))
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.floating | float):
        return round(float(value), 2)
    if isinstance(value, np.integer):
        return int(value)
    return str(value)


def situation(household: Household, month: str) -> dict:
    """The OpenFisca Web API situation (POST /calculate) of one household for `month`: every declared input,
    and the catalogue's variables to compute set to null."""
    inputs = chunk_inputs([household], month)
    past = past_amounts(inputs)
    person_ids = [f"personne_{i + 1}" for i in range(len(inputs.person_household))]
    individus: dict[str, dict] = {person_id: {} for person_id in person_ids}
    groups: dict[str, dict] = {entity: {} for entity in ROLE_KEYS}
    for entity, plurals in ROLE_PLURALS.items():
        for person_id, role in zip(person_ids, inputs.person_role, strict=True):
            groups[entity].setdefault(plurals[role], []).append(person_id)
    for item in declared_inputs(inputs, past):
        if item.entity == "individu":
            for person_id, value in zip(person_ids, item.values, strict=True):
                individus[person_id].setdefault(item.variable, {})[item.period] = _json_value(value)
        else:
            groups[item.entity].setdefault(item.variable, {})[item.period] = _json_value(item.values[0])
    for code in CODES:
        variable, entity, _ = VARIABLES[code]
        target = individus[person_ids[0]] if entity == "individu" else groups[entity]
        target.setdefault(variable, {})[benefit_period(code, month)] = None
    groups["famille"].setdefault("cmu_c", {})[month] = None
    # AAH is a person's benefit: ask it for everyone.
    for person_id in person_ids:
        individus[person_id].setdefault("aah", {})[month] = None
    return {
        "individus": individus,
        **{GROUP_ENTITIES[entity]: {"foyer_1": values} for entity, values in groups.items()},
    }


def compute_situation(situation_json: dict, variables: dict[str, str]) -> dict[str, np.ndarray]:
    """OpenFisca's own way, one household at a time: builds the simulation from a Web API situation and
    computes `variables` ({variable: period})."""
    simulation = SimulationBuilder().build_from_entities(tax_benefit_system(), situation_json)
    return {variable: simulation.calculate(variable, period) for variable, period in variables.items()}
