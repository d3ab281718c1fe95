"""The simulator: one household described by a social worker during an interview, its estimated rights for one
month, and the summary printed for the person.

Nothing is stored or logged: the household lives in the request only. The engine is called on it as on one
household of a batch, so the simulator and the batches give the same answers. The rules that read the engine's
answer (what is a probable non-take-up, the total "si tous les droits probables sont ouverts") are those of
`pacte.rights.results`.
"""

import logging
import time
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property

from django.utils import timezone

from pacte.formatting import euros
from pacte.rights import households, results
from pacte.rights.catalogue import BENEFITS, Benefit, Confidence, NrpeScope, Period

logger = logging.getLogger(__name__)

# A fictitious household (a working single parent renting in Paris) run once when the web process starts.
WARM_UP_HOUSEHOLD = households.Household(
    id="prechauffage",
    line=0,
    people=[
        households.Person(
            role=households.FamilyRole.APPLICANT, birth_date=date(1985, 1, 1), salary=Decimal(900)
        ),
        households.Person(role=households.FamilyRole.CHILD, birth_date=date(2015, 1, 1)),
    ],
    depcom="75056",
    housing=households.Housing.RENTER_EMPTY,
    rent=Decimal(600),
    received=frozenset(),
)

# The official sites printed on the summary handed to the person, whatever the rights found: where the claims
# are made (each benefit also has its own page, `Benefit.claim_url`) and the State's simulator of every right.
OFFICIAL_SITES = (
    (
        "Caisse d'allocations familiales (CAF)",
        "https://www.caf.fr/",
        "RSA, prime d'activité, aides au logement, prestations familiales, AAH.",
    ),
    (
        "Mutualité sociale agricole (MSA)",
        "https://www.msa.fr/",
        "Les mêmes prestations pour le régime agricole.",
    ),
    ("Assurance maladie", "https://www.ameli.fr/", "Complémentaire santé solidaire."),
    (
        "Info Retraite",
        "https://www.info-retraite.fr/",
        "Le portail commun des caisses de retraite ; l'allocation de solidarité aux personnes âgées (ASPA) se "
        "demande à sa caisse de retraite.",
    ),
    (
        "Mes droits sociaux",
        "https://www.mesdroitssociaux.gouv.fr/",
        "Le simulateur de l'État : ses droits sociaux et ses démarches en un seul endroit.",
    ),
)


class SimulationError(Exception):
    """The engine did not answer (its message is not shown: it could quote the inputs)."""


@dataclass(frozen=True)
class EstimatedBenefit:
    """One benefit of the catalogue as the engine estimates it for the household: amount, entitlement, whether
    it is already received (or probably not claimed), confidence for this household and its reason, and the
    amount once every other probable right is claimed (`opened_amount`, None: the same)."""

    benefit: Benefit
    amount: Decimal
    eligible: bool
    received: bool
    non_take_up: bool
    confidence: str
    reason: str = ""
    opened_amount: Decimal | None = None

    @property
    def code(self) -> str:
        return self.benefit.code

    @property
    def additive_amount(self) -> Decimal:
        return self.amount if self.opened_amount is None else self.opened_amount

    @property
    def per(self) -> str:
        return "par an" if self.benefit.period == Period.YEAR else "par mois"

    @property
    def amount_text(self) -> str:
        if self.benefit.code == "css" and self.eligible:
            if not self.amount:
                return "sans participation"
            return f"participation de {euros(self.amount)} par mois"
        if not self.eligible:
            return "–"
        return f"{euros(self.amount)} {self.per}"

    @property
    def opened_text(self) -> str:
        """The amount once the other probable rights are claimed, when it differs ("" otherwise)."""
        if self.code == "css" or not self.eligible or self.additive_amount == self.amount:
            return ""
        return f"{euros(self.additive_amount)} {self.per} une fois les autres droits probables ouverts"

    @property
    def is_probable(self) -> bool:
        return self.confidence == Confidence.LIKELY

    @property
    def is_automatic(self) -> bool:
        return self.benefit.nrpe == NrpeScope.AUTOMATIC

    @property
    def note(self) -> str:
        """Why the estimate is to be checked, as a sentence: this household's reason, else the benefit's general
        note ("" when nothing is to be checked)."""
        if self.is_probable and not self.reason:
            return ""
        text = (self.reason or self.benefit.confidence_note).strip().rstrip(".")
        return f"{text[:1].upper()}{text[1:]}." if text else ""


@dataclass(frozen=True)
class Estimate:
    """The simulator's answer for a household and a month."""

    month: str
    lines: tuple[EstimatedBenefit, ...]

    def groups(self) -> list[tuple[str, str, list[EstimatedBenefit]]]:
        """The lines in three groups (id, title, lines): rights probably not claimed, already received, the
        others."""
        return [
            ("non-recours", "Droits estimés non perçus", [line for line in self.lines if line.non_take_up]),
            ("percues", "Prestations déjà perçues", [line for line in self.lines if line.received]),
            (
                "non-eligibles",
                "Sans droit selon les informations saisies",
                [line for line in self.lines if not line.eligible and not line.received],
            ),
        ]

    @cached_property
    def to_claim(self) -> list[EstimatedBenefit]:
        """The probable rights not received that the person has to claim."""
        return [
            line for line in self.lines if results.is_probable_non_take_up(line) and not line.is_automatic
        ]

    @cached_property
    def to_check(self) -> list[EstimatedBenefit]:
        """The rights not received that depend on something the simulator does not know."""
        return [
            line
            for line in self.lines
            if line.non_take_up and not results.is_probable_non_take_up(line) and not line.is_automatic
        ]

    @cached_property
    def automatic(self) -> list[EstimatedBenefit]:
        """The aids paid without a claim (chèque énergie, ARS) that the person does not receive."""
        return [line for line in self.lines if line.non_take_up and line.is_automatic]

    @property
    def monthly_total(self) -> Decimal:
        """What the household would receive more per month if it claimed every probable right it does not
        receive (the amounts of the second computation, which add up)."""
        return results.opened_total(self.lines, Period.MONTH)

    @property
    def yearly_total(self) -> Decimal:
        """The same for the aids paid once a year (school grants, pass colo, chèque énergie, ARS)."""
        return results.opened_total(self.lines, Period.YEAR)


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


def problems(one: households.Household, month: str) -> list[str]:
    """Why the engine cannot compute this household for `month` (a person born after the month, a "child" of
    25 or more…), in French; empty when it can."""
    return households.household_problems(one, month)


def preload() -> None:
    """Load the rights engine now (OpenFisca-France: about 4 s and 150 MB, once per process) and run one
    fictitious household through it (the formulas' first run costs about a second more), instead of making the
    first person simulated wait. Called by config/wsgi.py once the web application is built. A failure is
    logged (its type only) and left to the first simulation, which then shows its French message."""
    started = time.monotonic()
    try:
        from pacte.rights import engine

        engine.warm_up()
        engine.simulate([WARM_UP_HOUSEHOLD], timezone.localdate().strftime("%Y-%m"))
    except Exception as error:
        logger.error("rights engine not preloaded: %s", type(error).__name__)
        return
    logger.info("rights engine preloaded in %.1f s", time.monotonic() - started)


def simulate(one: households.Household, month: str) -> Estimate:
    from pacte.rights import engine

    try:
        [result] = engine.simulate([one], month)
    except Exception as error:
        logger.error("simulation failed: %s", type(error).__name__)
        raise SimulationError from None
    return Estimate(
        month=month,
        lines=tuple(
            EstimatedBenefit(
                benefit=BENEFITS[benefit.code],
                amount=benefit.amount,
                eligible=benefit.eligible,
                received=benefit.received,
                non_take_up=benefit.non_take_up,
                confidence=str(benefit.confidence),
                reason=benefit.reason,
                opened_amount=benefit.opened_amount,
            )
            for benefit in result.benefits
        ),
    )
