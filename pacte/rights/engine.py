"""The rights engine: computes the catalogue's benefits for households with OpenFisca-France.

This is the only module of the platform that imports OpenFisca. It declares to OpenFisca what the computation
convention says (pacte.rights.convention, docs/format-menages.md), in two simulations per chunk of households:

1. **first pass**: the households that say they receive the RSA, the AAH or the ASI, whose amount in M depends on
   their own past or on each other's: that amount computed with a zero past, to declare for the 12 months before M;
2. **the main simulation**: the AAH is computed in M; then AF, CF, ASF, ASPA and housing aid, which read none of
   their own past (a test traces it), are computed in M and declared in their past when received; then every
   catalogue benefit. The households that may open a resource benefit are there twice: the copy declares its
   probable non-take-up received, and gives the amounts once all its probable rights are open (`opened`, the
   additive totals). Each household's confidence comes from pacte.rights.confidence.

The same declared inputs feed the vectorised simulation of a chunk (`compute_chunk`, what the batch runs) and
the OpenFisca Web API situation of one household (`situation`), so that anyone can recompute a household with
OpenFisca itself and get the same amounts.
"""

import gc
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache

import numpy as np
from openfisca_core import periods
from openfisca_core.indexed_enums import Enum, EnumArray
from openfisca_core.parameters import ParameterNodeAtInstant, VectorialParameterNodeAtInstant
from openfisca_core.populations import Population
from openfisca_core.simulation_builder import SimulationBuilder

from pacte.rights.catalogue import BENEFITS, CATALOGUE, Confidence, Period
from pacte.rights.confidence import REASONS, confidences
from pacte.rights.convention import (
    APPLICANT,
    CHILD,
    CODES,
    PAST_BENEFIT_MONTHS,
    SPOUSE,
    ChunkInputs,
    Declared,
    Rates,
    chunk_inputs,
    declared_inputs,
    income_months,
    months_before,
    scholarship_month,
    school_level,
)
from pacte.rights.households import Household
from pacte.rights.results import BenefitResult, HouseholdResult

__all__ = [
    "BenefitResult",
    "ChunkInputs",
    "HouseholdResult",
    "chunk_inputs",
    "compute_chunk",
    "compute_situation",
    "income_months",
    "simulate",
    "situation",
    "warm_up",
]

OPENFISCA_EXTENSION = "openfisca_pacte"
_months_before = months_before  # kept for the tests of the convention
_school_level = school_level

ROLE_KEYS = {
    "famille": ("demandeur", "conjoint", "enfant"),
    "foyer_fiscal": ("declarant_principal", "conjoint", "personne_a_charge"),
    "menage": ("personne_de_reference", "conjoint", "enfant"),
}
# The Web API's plural keys for the same roles (APPLICANT, SPOUSE, CHILD).
ROLE_PLURALS = {
    "famille": ("parents", "parents", "enfants"),
    "foyer_fiscal": ("declarants", "declarants", "personnes_a_charge"),
    "menage": ("personne_de_reference", "conjoint", "enfants"),
}
GROUP_ENTITIES = {"famille": "familles", "foyer_fiscal": "foyers_fiscaux", "menage": "menages"}

# How each catalogue benefit is read from OpenFisca: (variable, entity, period kind).
# "css" is eligibility (free or with participation) and its amount is the participation the household pays.
VARIABLES: dict[str, tuple[str, str, Period]] = {
    "rsa": ("rsa", "famille", Period.MONTH),
    "ppa": ("ppa", "famille", Period.MONTH),
    "aide_logement": ("aide_logement", "famille", Period.MONTH),
    "af": ("af", "famille", Period.MONTH),
    "cf": ("cf", "famille", Period.MONTH),
    "asf": ("asf", "famille", Period.MONTH),
    "ars": ("ars", "famille", Period.YEAR),
    "aeeh": ("aeeh", "famille", Period.MONTH),
    "css": ("css_participation_forfaitaire", "famille", Period.MONTH),
    "aah": ("aah", "individu", Period.MONTH),
    "aspa": ("aspa", "famille", Period.MONTH),
    "asi": ("asi", "individu", Period.MONTH),
    "cheque_energie": ("cheque_energie", "menage", Period.YEAR),
    # The value of a bourse in a month is its yearly amount.
    "bourse_college": ("bourse_college", "famille", Period.MONTH),
    "bourse_lycee": ("bourse_lycee", "famille", Period.MONTH),
    "pass_colo": ("pacte_pass_colo", "famille", Period.MONTH),
}
assert tuple(VARIABLES) == CODES, "every catalogue benefit needs its OpenFisca variable, in catalogue order"
SCHOLARSHIPS = ("bourse_college", "bourse_lycee")
ARS_MONTH = 8  # the allocation de rentrée scolaire is computed for the month it is paid, August
# Catalogue benefits that are resources for others, declared in the past when received (OpenFisca-France
# 176.1.8 reads them so; the test traces it): those whose amount in M depends on their own past or on each
# other's go through a first pass; the others are computed in the main simulation, then declared in its past
# before anything reads it. The probable non-take-up of the OPENABLE ones is declared received in the copies
# of the third pass (the others are never "probable": RSA, housing aid, ASPA, ASI are "à vérifier").
FIRST_PASS = ("rsa", "aah", "asi")
IN_SIMULATION = ("af", "cf", "asf", "aspa", "aide_logement")
RESOURCE_BENEFITS = FIRST_PASS + IN_SIMULATION
OPENABLE = ("af", "cf", "asf", "aah")
IN_SIMULATION_VARIABLES = frozenset(VARIABLES[code][0] for code in IN_SIMULATION)
PERSON_VARIABLES = {variable for variable, entity, _ in VARIABLES.values() if entity == "individu"}
# The benefits that read the past resource benefits, recomputed by the third pass (AF, CF, ASF, AEEH and AAH
# do not: their amount does not change when other benefits are claimed).
DEPENDING_ON_PAST = ("rsa", "ppa", "aide_logement", "css", "aspa", "asi")
# What can open the CF and the AAH (OpenFisca-France 176.1.8's parameters `cf.cf_cm.nombre_d_enfants_minimal`,
# `aah.taux_capacite.taux_incapacite` and `taux_incapacite_rsdae`; code de la sécurité sociale, art. L522-1,
# L821-1 and L821-2): three children, a rate of 80 %, or of 50 % with the RSDAE.
CF_MINIMUM_CHILDREN = 3
AAH_FULL_RATE, AAH_RSDAE_RATE = 0.8, 0.5


class _FactorizedParameters(VectorialParameterNodeAtInstant):
    """A parameter node indexed by an array (OpenFisca's "fancy indexing", e.g. the housing aid's zone of each
    household), holding each distinct subnode once with, per element, the index of its subnode.

    OpenFisca-core 44 builds the vector of subnodes element by element, then reads each attribute element by
    element: a Python loop over every household of a chunk, several hundred times per simulation. This gives
    the same arrays from the distinct keys only (the tests compare both)."""

    def __init__(self, uniques: list, inverse: np.ndarray, name: str, instant_str: str) -> None:
        self.uniques = uniques
        self.inverse = inverse
        self._name = name
        self._instant_str = instant_str

    @property
    def vector(self) -> list:
        return [self.uniques[index] for index in self.inverse]

    def __getitem__(self, key):
        if isinstance(key, str):
            return _factorized(self, [node[key] for node in self.uniques], self.inverse)
        names = _key_names(key)
        if names is None or len(names) != len(self.inverse):
            return VectorialParameterNodeAtInstant.__getitem__(self, key)
        # One subnode per distinct (subnode, key) pair.
        name_uniques, name_inverse = np.unique(names, return_inverse=True)
        pairs, inverse = np.unique(self.inverse * len(name_uniques) + name_inverse, return_inverse=True)
        nodes = [
            self.uniques[pair // len(name_uniques)][str(name_uniques[pair % len(name_uniques)])]
            for pair in pairs.tolist()
        ]
        return _factorized(self, nodes, inverse)


def _key_names(key) -> np.ndarray | None:
    """The subnode names an array key reads (as OpenFisca-core's VectorialParameterNodeAtInstant.__getitem__
    does), or None for a key it reads otherwise."""
    if isinstance(key, EnumArray):
        return np.array(key.possible_values.names)[np.asarray(key)]
    if isinstance(key, np.ndarray) and len(key) and isinstance(key[0], Enum):
        return np.array([item.name for item in key])
    if isinstance(key, np.ndarray) and key.dtype.kind == "U":
        return key
    return None


def _factorized(node, nodes: list, inverse: np.ndarray):
    if isinstance(nodes[0], ParameterNodeAtInstant):
        return _FactorizedParameters(nodes, inverse, node._name, node._instant_str)
    return np.array(nodes)[inverse]


_build_from_node_name = VectorialParameterNodeAtInstant.build_from_node_name


def _build_from_distinct_keys(node, key):
    VectorialParameterNodeAtInstant.check_node_vectorisable(node)
    keys = VectorialParameterNodeAtInstant._get_appropriate_keys(key)
    if isinstance(keys, np.ndarray) and keys.dtype == object and len(keys) and isinstance(keys[0], Enum):
        keys = np.array([item.name for item in keys])  # OpenFisca looks an enum's subnode up by its name
    if not isinstance(keys, np.ndarray) or keys.dtype.kind not in "USiuM" or not len(keys):
        return _build_from_node_name(node, key)
    uniques, inverse = np.unique(keys, return_inverse=True)
    subnode_key = VectorialParameterNodeAtInstant._get_appropriate_subnode_function(keys[0])
    return _factorized(node, [node[subnode_key(node, unique)] for unique in uniques], inverse)


_has_role = Population.has_role


def _cached_has_role(self, role):
    """`Population.has_role`, computed once per simulation and role: OpenFisca compares the roles of every
    person (an array of objects) each time a formula asks, hundreds of times per simulation, while the roles
    never change once the simulation is built. Returns a copy: callers may change it."""
    if self.simulation is None:
        return _has_role(self, role)
    cache = self.simulation.__dict__.setdefault("_pacte_roles", {})
    key = (self.entity.key, role.entity.key, role.key)
    if key not in cache:
        cache[key] = _has_role(self, role)
    return cache[key].copy()


_cached_has_role.projectable = True


def openfisca_speedups(enabled: bool = True) -> None:
    """Two speed-ups of OpenFisca-core 44 that give the same results (the tests compare a batch with and
    without them): parameter fancy indexing on distinct keys (see _FactorizedParameters) and roles computed
    once per simulation (see _cached_has_role). `enabled=False` puts OpenFisca's own back."""
    build = _build_from_distinct_keys if enabled else _build_from_node_name
    VectorialParameterNodeAtInstant.build_from_node_name = staticmethod(build)
    Population.has_role = _cached_has_role if enabled else _has_role


@cache
def tax_benefit_system():
    """OpenFisca-France with the Pacte's extension, built once per process (about 4 s and 150 MB)."""
    from openfisca_france import CountryTaxBenefitSystem

    openfisca_speedups()
    system = CountryTaxBenefitSystem()
    system.load_extension(OPENFISCA_EXTENSION)
    # The system's hundreds of thousands of objects live as long as the process: keep them out of the
    # collections that free each chunk's simulation (a full collection would otherwise cost ~0.2 s).
    gc.collect()
    gc.freeze()
    return system


def warm_up() -> None:
    tax_benefit_system()


@cache
def rates(month: str) -> Rates:
    """The legal rates of `month` the convention needs, from OpenFisca-France's parameters: the CSG thresholds
    of replacement incomes (CSS art. L136-8), the CSG, CRDS and CASA rates of pensions and unemployment
    benefits, the SMIC."""
    parameters = tax_benefit_system().parameters(f"{month}-01")
    social = parameters.prelevements_sociaux
    replacement = social.contributions_sociales.csg.remplacement
    thresholds = replacement.seuils
    crds = social.contributions_sociales.crds
    casa = social.cotisations_securite_sociale_regime_general.casa.pensions_retraite_preretraite_invalidite
    casa_rate = casa.rates[0]
    pension = replacement.pensions_retraite_invalidite
    unemployment = replacement.allocations_chomage
    smic = parameters.marche_travail.salaire_minimum.smic
    return Rates(
        thresholds=(
            thresholds.seuil_rfr1.seuil_rfr1,
            thresholds.seuil_rfr2.seuil_rfr2,
            thresholds.seuil_rfr3.seuil_rfr3,
        ),
        half_part=(
            thresholds.seuil_rfr1.demi_part_suppl_rfr1,
            thresholds.seuil_rfr2.demi_part_suppl_rfr2,
            thresholds.seuil_rfr3.demi_part_suppl_rfr3,
        ),
        pension=(
            (0.0, 0.0, 0.0, 0.0),
            (pension.deductible.taux_reduit, pension.imposable.taux_reduit, crds, 0.0),
            (pension.deductible.taux_median, pension.imposable.taux_median, crds, casa_rate),
            (pension.deductible.taux_plein, pension.imposable.taux_plein, crds, casa_rate),
        ),
        unemployment=(
            (0.0, 0.0, 0.0, 0.0),
            (unemployment.deductible.taux_reduit, unemployment.imposable.taux_reduit, crds, 0.0),
            (unemployment.deductible.taux_plein, unemployment.imposable.taux_plein, crds, 0.0),
            (unemployment.deductible.taux_plein, unemployment.imposable.taux_plein, crds, 0.0),
        ),
        smic_month=smic.smic_b_horaire
        * parameters.marche_travail.salaire_minimum.smic.nb_heures_travail_mensuel,
    )


@cache
def pass_colo_last_year() -> int | None:
    """The last year a public source confirms the pass colo for: the `last_value_still_valid_on` of its
    amounts in openfisca_pacte (None: no date given)."""
    montants = tax_benefit_system().parameters.pacte.pass_colo.montants
    last = (montants.metadata or {}).get("last_value_still_valid_on")
    return date.fromisoformat(str(last)).year if last else None


def round_cents(values: np.ndarray) -> np.ndarray:
    """Euros to the cent, half up, from OpenFisca's 32-bit floats: a value within one float32 step of a half
    cent is that half cent (953.565 is stored as 953.564941…: it gives 953.57, not 953.56)."""
    single = np.abs(np.asarray(values, dtype=np.float32))
    step = np.spacing(single).astype(np.float64) * 100
    cents = single.astype(np.float64) * 100
    floor = np.floor(cents)
    rounded = (floor + (cents - floor >= 0.5 - step)) / 100
    return np.copysign(rounded, np.asarray(values, dtype=np.float64)) + 0.0  # no "-0.00"


def benefit_period(code: str, month: str) -> str:
    """The period written in the results: the year for yearly benefits, the month otherwise."""
    return month[:4] if BENEFITS[code].period == Period.YEAR else month


def computed_period(code: str, month: str) -> str | None:
    """The OpenFisca period at which a benefit is computed for `month`, None when it is not computed that month
    (the ARS outside August)."""
    variable_period = VARIABLES[code][2]
    if code == "ars":
        return month[:4] if int(month[5:7]) == ARS_MONTH else None
    if code in SCHOLARSHIPS:
        return scholarship_month(month)
    return month[:4] if variable_period == Period.YEAR else month


# --- Vectorised simulation -----------------------------------------------------------------------------


def _simulation(inputs: ChunkInputs, past: dict[str, np.ndarray] | None = None, deferred=frozenset()):
    system = tax_benefit_system()
    builder = SimulationBuilder()
    builder.create_entities(system)
    group_ids = [str(i) for i in range(inputs.size)]
    builder.declare_person_entity("individu", [str(i) for i in range(inputs.persons)])
    persons_groups = np.array(group_ids, dtype=object)[inputs.person_household].tolist()
    for entity, keys in ROLE_KEYS.items():
        population = builder.declare_entity(entity, group_ids)
        builder.join_with_persons(
            population, persons_groups, np.array(keys, dtype=object)[inputs.role].tolist()
        )
    simulation = builder.build(system)
    _declare(simulation, declared_inputs(inputs, rates(inputs.month), past, deferred=deferred))
    return simulation


@cache
def _period(text: str):
    return periods.period(text)


def _declare(simulation, items) -> None:
    """Puts the declared inputs in the simulation's holders. Every input is declared for exactly its variable's
    own period (a month, a year for `rfr`, eternity for `date_naissance`), which `Holder.put_in_cache` stores as
    `set_input` would, without its checks for other periods; the same array, declared for many months, is
    converted to the variable's type once."""
    converted: dict[tuple[str, int], np.ndarray] = {}
    for item in items:
        holder = simulation.get_holder(item.variable)
        key = (item.variable, id(item.values))
        array = converted.get(key)
        if array is None:
            array = converted[key] = holder._to_array(item.values)
        holder.put_in_cache(array, _period(item.period))


def _calculate(simulation, inputs: ChunkInputs, code: str, persons: dict | None = None) -> np.ndarray:
    """One benefit per household (person benefits summed, their values per person kept in `persons`), in
    euros to the cent; zeros when not computed that month."""
    period = computed_period(code, inputs.month)
    if period is None:
        return np.zeros(inputs.size)
    variable, entity, _ = VARIABLES[code]
    values = round_cents(simulation.calculate(variable, period))
    if entity == "individu":
        if persons is not None:
            persons[code] = values
        values = round_cents(np.bincount(inputs.person_household, weights=values, minlength=inputs.size))
    return values


def _columns(codes: Sequence[str]) -> list[int]:
    return [CODES.index(code) for code in codes]


def _household_values(inputs: ChunkInputs, values: np.ndarray, entity: str) -> np.ndarray:
    if entity == "individu":
        return np.bincount(inputs.person_household, weights=values, minlength=inputs.size)
    return values


def first_pass(inputs: ChunkInputs) -> dict[str, np.ndarray]:
    """The past of the received benefits whose amount in M depends on their own past or on each other's (RSA,
    through the housing aid's neutralisation; AAH and ASI): their amount in M computed in a simulation of the
    households receiving one, with a zero past. Family benefits: one value per household; person benefits: one
    per person; zero for everyone else."""
    receiving = inputs.received[:, _columns(FIRST_PASS)]
    households = receiving.any(axis=1)
    past = {
        VARIABLES[code][0]: np.zeros(inputs.persons if VARIABLES[code][1] == "individu" else inputs.size)
        for code in FIRST_PASS
    }
    if not households.any():
        return past
    subset = inputs.select(households)
    simulation = _simulation(subset)
    persons = households[inputs.person_household]
    for code, flags in zip(FIRST_PASS, receiving.T, strict=True):
        variable, entity, _ = VARIABLES[code]
        values = round_cents(simulation.calculate(variable, inputs.month))
        if entity == "individu":
            past[variable][persons] = values * flags[households][subset.person_household]
        else:
            past[variable][households] = values * flags[households]
    del simulation
    return past


def opening_candidates(inputs: ChunkInputs, likely: np.ndarray) -> np.ndarray:
    """The households that may open a resource benefit (one of OPENABLE, probable, not received): a superset,
    decided on the file's data alone, of those the third pass concerns, by the composition each benefit needs in
    OpenFisca-France: two children for the AF and three for the CF (one overseas for both), a single parent for
    the ASF, someone with a rate of 80 % or more, or of 50 % or more with the RSDAE, for the AAH. A test checks
    that the copies of every household give the same amounts. The tighter the set, the smaller the simulation:
    copies cost as much as the households they copy."""
    person_household = inputs.person_household
    children = np.bincount(person_household, weights=inputs.role == CHILD, minlength=inputs.size)
    spouse = np.bincount(person_household, weights=inputs.role == SPOUSE, minlength=inputs.size) > 0
    aah_rate = (inputs.disability >= AAH_FULL_RATE) | ((inputs.disability >= AAH_RSDAE_RATE) & inputs.rsdae)
    disabled = np.bincount(person_household, weights=aah_rate, minlength=inputs.size)
    overseas = np.char.startswith(inputs.depcom.astype(str), "97")
    open_to = inputs.received == False  # noqa: E712 (a numpy array)
    open_to &= likely
    possible = {
        "af": (children >= 2) | (overseas & (children >= 1)),
        "cf": (children >= CF_MINIMUM_CHILDREN) | (overseas & (children >= 1)),
        "asf": (children >= 1) & ~spouse,
        "aah": disabled > 0,
    }
    candidates = np.zeros(inputs.size, dtype=bool)
    for code, structural in possible.items():
        candidates |= open_to[:, CODES.index(code)] & structural
    return candidates


def _set_past(simulation, variable: str, month: str, values: np.ndarray) -> None:
    """Declares (or declares again) a benefit for the 12 months before `month`."""
    past_months = income_months(month)[-PAST_BENEFIT_MONTHS - 1 : -1]
    _declare(simulation, (Declared(variable, past_month, "", values) for past_month in past_months))


@dataclass
class ChunkResult:
    """Per household and catalogue benefit (households × CODES): the amount (euros: monthly or yearly as the
    catalogue says; css: the participation), eligibility, declared receipt, probable confidence, the reason
    code (confidence.REASONS) and the amount once every probable non-take-up is claimed (`opened`). `past`:
    the past benefits declared (what the OpenFisca situation of a household embeds)."""

    amounts: np.ndarray
    eligible: np.ndarray
    received: np.ndarray
    likely: np.ndarray
    reasons: np.ndarray
    opened: np.ndarray
    past: dict[str, np.ndarray]


def _benefits(
    simulation, inputs: ChunkInputs, codes: Sequence[str], persons: dict | None = None
) -> tuple[np.ndarray, np.ndarray]:
    amounts = np.zeros((inputs.size, len(CODES)))
    for code in codes:
        amounts[:, CODES.index(code)] = _calculate(simulation, inputs, code, persons)
    eligible = amounts > 0
    if "css" in codes:
        eligible[:, CODES.index("css")] |= simulation.calculate("cmu_c", inputs.month).astype(bool)
    return amounts, eligible


def compute_chunk(inputs: ChunkInputs, timings: dict[str, float] | None = None) -> ChunkResult:
    """The benefits of a chunk (see the module's docstring). `timings`, if given, receives the seconds of each
    step."""
    clock = _Clock(timings)
    month, size = inputs.month, inputs.size
    past = first_pass(inputs)
    clock.lap("premier passage (RSA, AAH, ASI perçues)")
    # The households that may open a resource benefit are computed twice: as they are, and as a copy whose
    # probable non-take-up is declared received (the third pass, in the same simulation).
    likely_before, _ = confidences(inputs, np.zeros_like(inputs.received))
    candidates = opening_candidates(inputs, likely_before)
    copies = inputs.select(candidates)
    extended = inputs.concat(copies)
    copy_rows = np.flatnonzero(candidates)
    extended_past = {
        variable: np.concatenate([values, values[candidates[inputs.person_household]]])
        if variable in PERSON_VARIABLES
        else np.concatenate([values, values[candidates]])
        for variable, values in past.items()
    }
    simulation = _simulation(extended, extended_past, deferred=IN_SIMULATION_VARIABLES)
    clock.lap("construction de la simulation")
    # AAH in M reads no deferred past: compute it, then declare the copies' opened AAH in their past.
    aah_persons = round_cents(simulation.calculate("aah", month))
    aah = _household_values(extended, aah_persons, "individu")
    likely = np.concatenate([likely_before, likely_before[candidates]])
    received = np.concatenate([inputs.received, inputs.received[candidates]])
    is_copy = np.arange(extended.size) >= size
    newly = np.zeros_like(received)
    aah_column = CODES.index("aah")
    newly[:, aah_column] = is_copy & (aah > 0) & ~received[:, aah_column] & likely[:, aah_column]
    if newly[:, aah_column].any():
        opened_aah = np.where(
            newly[:, aah_column][extended.person_household], aah_persons, extended_past["aah"]
        )
        _set_past(simulation, "aah", month, opened_aah)
    # The benefits computed in M before their past is declared: none of them reads a deferred past.
    in_simulation = {code: _calculate(simulation, extended, code) for code in IN_SIMULATION}
    for code in IN_SIMULATION:
        column = CODES.index(code)
        if code in OPENABLE:
            newly[:, column] = is_copy & (in_simulation[code] > 0) & ~received[:, column] & likely[:, column]
        flags = received[:, column] | newly[:, column]
        _set_past(simulation, VARIABLES[code][0], month, in_simulation[code] * flags)
    amounts_all, eligible_all = _benefits(simulation, extended, CODES)
    del simulation
    amounts, eligible = amounts_all[:size], eligible_all[:size]
    likely_after, reasons = confidences(inputs, eligible, pass_colo_last_year=pass_colo_last_year())
    opened = amounts.copy()
    opening = newly[size:].any(axis=1)
    columns = _columns(DEPENDING_ON_PAST)
    opened[np.ix_(copy_rows[opening], columns)] = amounts_all[size:][np.ix_(opening, columns)]
    clock.lap("prestations et droits ouverts")
    gc.collect()  # OpenFisca's simulations hold reference cycles: free them now, not at the next collection
    clock.lap("ramasse-miettes")
    declared = dict(past)
    for code in IN_SIMULATION:
        column = CODES.index(code)
        declared[VARIABLES[code][0]] = in_simulation[code][:size] * inputs.received[:, column]
    return ChunkResult(
        amounts=amounts,
        eligible=eligible,
        received=inputs.received,
        likely=likely_after,
        reasons=reasons,
        opened=opened,
        past=declared,
    )


class _Clock:
    def __init__(self, timings: dict[str, float] | None) -> None:
        self.timings = timings
        self.last = time.thread_time()

    def lap(self, name: str) -> None:
        if self.timings is not None:
            now = time.thread_time()
            self.timings[name] = self.timings.get(name, 0.0) + now - self.last
            self.last = now


# --- Results per household (the web simulator, the tests) ---------------------------------------------


def household_results(inputs: ChunkInputs, result: ChunkResult) -> list[HouseholdResult]:
    periods = [benefit_period(code, inputs.month) for code in CODES]
    out = []
    for row, household_id in enumerate(inputs.household_ids):
        benefits = []
        for column, code in enumerate(CODES):
            amount = Decimal(f"{result.amounts[row, column]:.2f}")
            opened = Decimal(f"{result.opened[row, column]:.2f}")
            eligible = bool(result.eligible[row, column])
            received = bool(result.received[row, column])
            benefits.append(
                BenefitResult(
                    code=code,
                    period=periods[column],
                    amount=amount,
                    eligible=eligible,
                    received=received,
                    non_take_up=eligible and not received,
                    confidence=Confidence.LIKELY if result.likely[row, column] else Confidence.TO_CHECK,
                    reason=REASONS[result.reasons[row, column]],
                    opened_amount=None if opened == amount else opened,
                )
            )
        out.append(HouseholdResult(household_id, str(inputs.depcom[row]), tuple(benefits)))
    return out


def simulate(households: Sequence[Household], month: str) -> list[HouseholdResult]:
    """Every catalogue benefit of each household for `month` ("YYYY-MM"), in one vectorised simulation."""
    if not households:
        return []
    inputs = chunk_inputs(households, month)
    return household_results(inputs, compute_chunk(inputs))


# --- One household in OpenFisca's own way (the `situation` command, the tests) ---------------------------


def _json_value(value):
    if isinstance(value, np.datetime64):
        return str(value.astype("datetime64[D]"))
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.floating | float):
        return round(float(value), 2)
    if isinstance(value, np.integer):
        return int(value)
    return str(value)


def wanted_variables(month: str) -> dict[str, str]:
    """The catalogue's OpenFisca variables and the period each is computed at for `month`."""
    wanted = {}
    for code in CODES:
        period = computed_period(code, month)
        if period is not None:
            wanted[VARIABLES[code][0]] = period
    wanted["cmu_c"] = month
    return wanted


def situation(household: Household, month: str) -> dict:
    """The OpenFisca Web API situation (POST /calculate) of one household for `month`: every declared input
    (received benefits in the past included), and the catalogue's variables to compute set to null. The
    applicant comes first whatever the order of the file: OpenFisca's Web API makes the first parent the
    applicant."""
    inputs = chunk_inputs([household], month)
    past = compute_chunk(inputs).past
    person_ids = [f"personne_{i + 1}" for i in range(inputs.persons)]
    individus: dict[str, dict] = {person_id: {} for person_id in person_ids}
    groups: dict[str, dict] = {entity: {} for entity in ROLE_KEYS}
    for entity, plurals in ROLE_PLURALS.items():
        for person_id, role in zip(person_ids, inputs.role.tolist(), strict=True):
            groups[entity].setdefault(plurals[role], []).append(person_id)
    for item in declared_inputs(inputs, rates(month), past):
        if item.entity == "individu":
            for person_id, value in zip(person_ids, item.values, strict=True):
                individus[person_id].setdefault(item.variable, {})[item.period] = _json_value(value)
        else:
            groups[item.entity].setdefault(item.variable, {})[item.period] = _json_value(item.values[0])
    entity_of = {variable: entity for variable, entity, _ in VARIABLES.values()}
    for variable, period in wanted_variables(month).items():
        if entity_of.get(variable) == "individu":
            for person_id in person_ids:  # person benefits: asked for everyone
                individus[person_id].setdefault(variable, {})[period] = None
        else:
            groups[entity_of.get(variable, "famille")].setdefault(variable, {})[period] = None
    return {
        "individus": individus,
        **{GROUP_ENTITIES[entity]: {"foyer_1": values} for entity, values in groups.items()},
    }


def compute_situation(situation_json: dict, variables: dict[str, str]) -> dict[str, np.ndarray]:
    """OpenFisca's own way, one household at a time: builds the simulation from a Web API situation and
    computes `variables` ({variable: period})."""
    simulation = SimulationBuilder().build_from_entities(tax_benefit_system(), situation_json)
    return {variable: simulation.calculate(variable, period) for variable, period in variables.items()}


assert (APPLICANT, SPOUSE, CHILD) == (0, 1, 2)
assert [benefit.code for benefit in CATALOGUE] == list(CODES)
