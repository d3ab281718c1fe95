"""The openfisca_pacte extension: its YAML tests pass, and the pass colo is computed family by family."""

import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import numpy
import pytest
from openfisca_core.simulation_builder import SimulationBuilder
from openfisca_france import FranceTaxBenefitSystem

ROOT = Path(__file__).resolve().parents[2]
OPENFISCA = Path(sys.executable).with_name("openfisca")
PERIOD = "2026-05"
RFR_YEAR = "2024"  # N-2 for 2026

# What the pass colo formulas may read: their own variables and inputs the batch engine declares (plus `handicap`).
ALLOWED_DEPENDENCIES = {"date_naissance", "rfr", "handicap"}


@pytest.fixture(autouse=True)
def _db_and_cache():
    """Overrides the project-wide autouse fixture: these tests touch neither the database nor the cache."""


@pytest.fixture(scope="module", autouse=True)
def extension_yaml_run():
    """Starts `openfisca test` on the extension's YAML tests at once: it runs while this process loads its TBS."""
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), environment.get("PYTHONPATH")]))
    command = [
        str(OPENFISCA),
        "test",
        "openfisca_pacte/tests",
        "--country-package",
        "openfisca_france",
        "--extensions",
        "openfisca_pacte",
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    yield process
    if process.poll() is None:
        process.kill()
    process.communicate()


@pytest.fixture(scope="module")
def tax_benefit_system():
    system = FranceTaxBenefitSystem()
    system.load_extension("openfisca_pacte")
    return system


@dataclass
class Family:
    parents: list[str]
    children: list[str]
    rfr: float
    expected_children: list[float] = field(default_factory=list)

    @property
    def expected(self) -> float:
        return sum(self.expected_children)


# One simulation for all of them: a family's amount must not leak to the others (upstream's pass_colo uses
# Python's any() over the whole population and pays every member).
FAMILIES = [
    # Couple, two children, one aged 11 in 2026; QF 200 → 350 €.
    Family(["1984-02-01", "1986-09-15"], ["2015-04-20", "2012-11-03"], 7_200, [350, 0]),
    # Single parent, the child is 11 in 2026 but QF 1,600 is above the ceiling.
    Family(["1987-06-06"], ["2015-07-07"], 48_000, [0]),
    # Couple without income whose child is 10 in 2026.
    Family(["1990-01-01", "1991-01-01"], ["2016-01-01"], 0, [0]),
    # Single parent with 11-year-old twins, QF 166 → 350 € each.
    Family(["1988-12-12"], ["2015-02-14", "2015-02-14"], 6_000, [350, 350]),
    # Couple, four children (4.5 parts), QF 700 → 300 € for the third one.
    Family(
        ["1980-04-04", "1981-08-08"],
        ["2009-01-01", "2012-01-01", "2015-01-01", "2019-01-01"],
        37_800,
        [0, 0, 300, 0],
    ),
    # Childless couple.
    Family(["1970-05-05", "1972-05-05"], [], 0, []),
]


def build_simulation(tax_benefit_system, families: list[Family], trace: bool = False):
    """Builds one simulation the way the batch engine does: flat arrays, one famille/foyer/ménage per family."""
    person_ids, birth_dates = [], []
    memberships: dict[str, list[str]] = {"famille": [], "foyer_fiscal": [], "menage": []}
    roles: dict[str, list[str]] = {"famille": [], "foyer_fiscal": [], "menage": []}
    for index, family in enumerate(families):
        group_id = f"g{index:03d}"
        for rank, birth_date in enumerate(family.parents):
            person_ids.append(f"{group_id}-p{rank}")
            birth_dates.append(birth_date)
            roles["famille"].append("demandeur" if rank == 0 else "conjoint")
            roles["foyer_fiscal"].append("declarant_principal" if rank == 0 else "conjoint")
            roles["menage"].append("personne_de_reference" if rank == 0 else "conjoint")
        for rank, birth_date in enumerate(family.children):
            person_ids.append(f"{group_id}-e{rank}")
            birth_dates.append(birth_date)
            roles["famille"].append("enfant")
            roles["foyer_fiscal"].append("personne_a_charge")
            roles["menage"].append("enfant")
        for entity in memberships:
            memberships[entity].extend([group_id] * (len(family.parents) + len(family.children)))
    group_ids = [f"g{index:03d}" for index in range(len(families))]

    builder = SimulationBuilder()
    builder.create_entities(tax_benefit_system)
    builder.declare_person_entity("individu", person_ids)
    for entity in memberships:
        population = builder.declare_entity(entity, group_ids)
        builder.join_with_persons(population, memberships[entity], roles[entity])
    simulation = builder.build(tax_benefit_system)
    simulation.trace = trace
    simulation.set_input("date_naissance", "ETERNITY", numpy.array(birth_dates, dtype="datetime64[D]"))
    simulation.set_input("rfr", RFR_YEAR, numpy.array([family.rfr for family in families], dtype=float))
    return simulation


def test_each_family_gets_its_own_amount_in_one_vectorised_simulation(tax_benefit_system):
    simulation = build_simulation(tax_benefit_system, FAMILIES)

    per_family = simulation.calculate("pacte_pass_colo", PERIOD)
    per_person = simulation.calculate("pacte_pass_colo_enfant", PERIOD)

    assert per_family.tolist() == [family.expected for family in FAMILIES]
    assert per_person.tolist() == [
        amount for family in FAMILIES for amount in [0] * len(family.parents) + family.expected_children
    ]


def test_the_batch_result_equals_the_one_family_at_a_time_result(tax_benefit_system):
    batch = build_simulation(tax_benefit_system, FAMILIES).calculate("pacte_pass_colo", PERIOD)

    one_at_a_time = [
        build_simulation(tax_benefit_system, [family]).calculate("pacte_pass_colo", PERIOD)[0]
        for family in FAMILIES
    ]

    assert batch.tolist() == one_at_a_time


def test_the_batch_result_does_not_depend_on_the_order_of_the_families(tax_benefit_system):
    reversed_families = FAMILIES[::-1]

    amounts = build_simulation(tax_benefit_system, reversed_families).calculate("pacte_pass_colo", PERIOD)

    assert amounts.tolist() == [family.expected for family in reversed_families]


def test_the_formulas_read_only_declared_inputs(tax_benefit_system):
    simulation = build_simulation(tax_benefit_system, FAMILIES, trace=True)

    simulation.calculate("pacte_pass_colo", PERIOD)

    computed = {key.split("<")[0] for key in simulation.tracer.get_flat_trace()}
    assert {name for name in computed if not name.startswith("pacte_pass_colo")} <= ALLOWED_DEPENDENCIES


# Last, so that the in-process tests above run while `openfisca test` works.
def test_the_extension_yaml_tests_pass_with_openfisca_test(extension_yaml_run):
    output, _ = extension_yaml_run.communicate(timeout=120)

    assert extension_yaml_run.returncode == 0, output
    passed = re.search(r"(\d+) passed", output)
    assert passed and int(passed.group(1)) > 0, output
    assert not re.search(r"\d+ (failed|errors?)\b", output), output
