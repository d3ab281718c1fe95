"""The simulator: one household typed by a social worker, its estimated rights for one month.

Nothing is stored or logged: the household lives in the request only. The engine is called on it as on one
household of a file, so the simulator and the batches give the same answers.
"""

import logging
from dataclasses import dataclass
from decimal import Decimal

from pacte.formatting import euros
from pacte.rights import households
from pacte.rights.catalogue import BENEFITS, Benefit, Confidence, Period

logger = logging.getLogger(__name__)


class SimulationError(Exception):
    """The engine did not answer (its message is not shown: it could quote the inputs)."""


@dataclass(frozen=True)
class EstimatedBenefit:
    """One benefit of the catalogue as the simulator estimates it for the household: amount, entitlement,
    whether it is already received (or probably not claimed), confidence."""

    benefit: Benefit
    amount: Decimal
    eligible: bool
    received: bool
    non_take_up: bool
    confidence: str

    @property
    def amount_text(self) -> str:
        if self.benefit.code == "css" and self.eligible:
            if not self.amount:
                return "sans participation"
            return f"participation de {euros(self.amount)} par mois"
        if not self.eligible:
            return "–"
        return f"{euros(self.amount)} par {'an' if self.benefit.period == Period.YEAR else 'mois'}"

    @property
    def is_probable(self) -> bool:
        return self.confidence == Confidence.LIKELY


def household(household_form, person_formset) -> households.Household:
    data = household_form.cleaned_data
    return households.Household(
        id="simulation",
        line=1,
        people=person_formset.people(),
        depcom=data["commune"],
        housing=households.Housing(data["statut_occupation_logement"]),
        rent=data["loyer"] or Decimal(0),
        received=frozenset(data["prestations_percues"]),
    )


def simulate(one: households.Household, month: str) -> list[EstimatedBenefit]:
    from pacte.rights import engine

    try:
        [result] = engine.simulate([one], month)
    except Exception as error:
        logger.error("simulation failed: %s", type(error).__name__)
        raise SimulationError from None
    return [
        EstimatedBenefit(
            benefit=BENEFITS[benefit.code],
            amount=benefit.amount,
            eligible=benefit.eligible,
            received=benefit.received,
            non_take_up=benefit.non_take_up,
            confidence=str(benefit.confidence),
        )
        for benefit in result.benefits
    ]


def groups(lines: list[EstimatedBenefit]) -> list[tuple[str, str, list[EstimatedBenefit]]]:
    """The lines in three groups (id, title, lines): rights probably not claimed, already received, the
    others."""
    return [
        ("non-recours", "Droits probables non perçus", [line for line in lines if line.non_take_up]),
        ("percues", "Prestations déjà perçues", [line for line in lines if line.received]),
        (
            "non-eligibles",
            "Sans droit selon les informations saisies",
            [line for line in lines if not line.eligible and not line.received],
        ),
    ]
