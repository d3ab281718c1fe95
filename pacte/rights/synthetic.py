"""Fictitious household files (format v2) for trying the detection, testing and benchmarking: no real person.

Households are drawn with a fixed seed: communes weighted by their population in the committed COG, a mix of
people living alone, couples and single parents, salaries, unemployment benefits and pensions over a wide range
(most of them modest, since the files that reach the platform are those of people met by social services),
housing statuses with a rent for renters, for part of the households the benefits they say they receive, and the
columns of format v2 for part of the people (child support of single parents, student status of young adults,
RSDAE and invalidity pensions, children with a disability rate).
"""

import csv
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import TextIO

import numpy as np

from pacte.rights.households import KNOWN_COLUMNS

COMMUNES_FILE = Path(__file__).resolve().parent.parent / "territories" / "data" / "cog2026" / "communes.csv"
HOUSING = (
    ("locataire_hlm", 0.30),
    ("locataire_vide", 0.30),
    ("locataire_meuble", 0.06),
    ("locataire_foyer", 0.02),
    ("proprietaire", 0.17),
    ("primo_accedant", 0.06),
    ("loge_gratuitement", 0.07),
    ("sans_domicile", 0.02),
)
RENTERS = {"locataire_hlm", "locataire_vide", "locataire_meuble", "locataire_foyer"}
# Household kinds: (has a spouse, children range), with their share.
KINDS = (((False, 0), 0.38), ((True, 0), 0.17), ((True, 3), 0.25), ((False, 3), 0.20))


def _communes(departements: set[str] | None) -> tuple[list[str], np.ndarray]:
    codes, weights = [], []
    with COMMUNES_FILE.open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            if departements and row["departement"] not in departements:
                continue
            codes.append(row["code"])
            weights.append(max(int(row["population"] or 0), 1))
    probabilities = np.array(weights, dtype=np.float64)
    return codes, probabilities / probabilities.sum()


def _birth(rng: np.random.Generator, today: date, low: int, high: int) -> str:
    return (today - timedelta(days=int(rng.integers(low * 365, high * 365)))).isoformat()


def _income(rng: np.random.Generator, age: int) -> tuple[str, str, str]:
    """(salaire_net, chomage_net, retraite_nette) of an adult."""
    if age >= 64 and rng.random() < 0.85:
        return "", "", f"{rng.lognormal(7.0, 0.45):.0f}"
    situation = rng.random()
    if situation < 0.45:
        return f"{min(rng.lognormal(7.15, 0.45), 9000):.0f}", "", ""
    if situation < 0.60:
        return "", f"{rng.lognormal(6.8, 0.35):.0f}", ""
    if situation < 0.70:
        return f"{rng.uniform(200, 900):.0f}", "", ""
    return "", "", ""


def _row(**cells) -> list[str]:
    return [cells.get(column, "") for column in KNOWN_COLUMNS]


def _adult(rng: np.random.Generator, age: int) -> dict:
    """The person columns of an adult: incomes, disability, student status, invalidity pension."""
    salary, unemployment, pension = _income(rng, age)
    cells = {"salaire_net": salary, "chomage_net": unemployment, "retraite_nette": pension}
    draw = rng.random()
    if draw < 0.02:
        cells["taux_incapacite"] = "80"
    elif draw < 0.035:
        cells["taux_incapacite"] = "60"
        cells["rsdae"] = str(rng.choice(["oui", "non", ""]))
    if 18 <= age < 26:
        cells["etudiant"] = str(rng.choice(["oui", "non", ""], p=[0.4, 0.4, 0.2]))
    if 30 <= age < 62 and rng.random() < 0.01:
        cells["pension_invalidite"] = f"{rng.lognormal(6.5, 0.4):.0f}"
    return cells


def households(
    count: int, *, seed: int = 2026, today: date, departements: set[str] | None = None
) -> Iterator[list]:
    """The rows (lists of cells, in KNOWN_COLUMNS order) of `count` fictitious households."""
    rng = np.random.default_rng(seed)
    communes, weights = _communes(departements)
    drawn = rng.choice(len(communes), size=count, p=weights)
    kinds = [kind for kind, _ in KINDS]
    kind_draws = rng.choice(len(KINDS), size=count, p=[share for _, share in KINDS])
    statuses = [status for status, _ in HOUSING]
    housing_draws = rng.choice(len(HOUSING), size=count, p=[share for _, share in HOUSING])
    for index in range(count):
        household_id = f"M{index + 1:07d}"
        has_spouse, max_children = kinds[kind_draws[index]]
        children = int(rng.integers(1, max_children + 1)) if max_children else 0
        age = int(rng.integers(18, 90)) if not children else int(rng.integers(22, 55))
        housing = statuses[housing_draws[index]]
        rent = f"{rng.uniform(250, 1100):.0f}" if housing in RENTERS else ""
        received = []
        if children >= 2 and rng.random() < 0.9:
            received.append("af")
        if housing in RENTERS and rng.random() < 0.35:
            received.append("aide_logement")
        if rng.random() < 0.12:
            received.append("rsa")
        if rng.random() < 0.10:
            received.append("css")
        applicant = _adult(rng, age)
        if children and not has_spouse and rng.random() < 0.6:  # single parents: child support, often none
            applicant["pension_alimentaire_recue"] = (
                "0" if rng.random() < 0.5 else f"{rng.lognormal(5.3, 0.5):.0f}"
            )
        yield _row(
            foyer_id=household_id,
            role="demandeur",
            date_naissance=_birth(rng, today, age, age + 1),
            depcom=communes[drawn[index]],
            statut_occupation_logement=housing,
            loyer=rent,
            prestations_percues="|".join(received),
            **applicant,
        )
        if has_spouse:
            spouse_age = max(18, age + int(rng.integers(-5, 6)))
            yield _row(
                foyer_id=household_id,
                role="conjoint",
                date_naissance=_birth(rng, today, spouse_age, spouse_age + 1),
                **_adult(rng, spouse_age),
            )
        for _ in range(children):
            disability = "80" if rng.random() < 0.005 else ""
            yield _row(
                foyer_id=household_id,
                role="enfant",
                date_naissance=_birth(rng, today, 1, 20),
                taux_incapacite=disability,
            )


def write(
    file: TextIO, count: int, *, seed: int = 2026, today: date, departements: set[str] | None = None
) -> int:
    """Writes a household file (comma-separated, format v2) of `count` households; returns the rows written."""
    writer = csv.writer(file, lineterminator="\n")
    writer.writerow(KNOWN_COLUMNS)
    rows = 0
    for row in households(count, seed=seed, today=today, departements=departements):
        writer.writerow(row)
        rows += 1
    return rows
