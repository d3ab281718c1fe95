"""What the engine answers for a household, and the rules that read it: the probable non-take-up of the core
rights (the NRPE indicator) and the additive totals.

Pure data and arithmetic, no Django and no OpenFisca: the web app imports it without loading the engine.

- The **NRPE** counts a household when at least one *core* benefit of the catalogue (`NrpeScope.CORE`: RSA,
  prime d'activité, aides au logement, AF, CF, ASF, CSS, AAH, ASPA, ASI) is a *probable* non-take-up: computed
  as due, not declared received, and with the confidence `probable` for this household (an ASF without the
  child support received is never probable). Optional aids (bourses, pass colo, AEEH) and aids paid without a
  claim (chèque énergie, ARS) are counted apart.
- **Additive totals.** Each benefit's `amount` is computed as if the household's other non-claimed benefits
  stayed unclaimed: adding them up overstates what the household would get (the prime d'activité and the CSS
  count the family benefits and the housing aid as resources). `opened_amount` is the amount of the second
  computation, where every probable non-take-up is declared received: the sum of the `opened_amount`s of the
  probable non-take-up is what the household would receive more "si tous les droits probables sont ouverts".
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from pacte.rights.catalogue import BENEFITS, CORE_CODES, Confidence, Period


class _Flagged(Protocol):
    code: str
    non_take_up: bool
    confidence: str


@dataclass(frozen=True)
class BenefitResult:
    code: str
    period: str  # "2026-10" for monthly benefits, "2026" for yearly ones
    amount: Decimal  # monthly or yearly as the catalogue says; css: the monthly participation
    eligible: bool
    received: bool
    non_take_up: bool
    confidence: Confidence
    reason: str = (
        ""  # why this household's confidence is "à vérifier" beyond the catalogue's note ("" : none)
    )
    opened_amount: Decimal | None = None  # amount once every probable non-take-up is claimed (None: same)

    @property
    def probable_non_take_up(self) -> bool:
        return is_probable_non_take_up(self)

    @property
    def additive_amount(self) -> Decimal:
        """The amount that adds up with the household's other probable rights: `opened_amount` if computed."""
        return self.amount if self.opened_amount is None else self.opened_amount


@dataclass(frozen=True)
class HouseholdResult:
    household_id: str
    depcom: str
    benefits: tuple[BenefitResult, ...]

    @property
    def non_take_up(self) -> tuple[BenefitResult, ...]:
        return tuple(benefit for benefit in self.benefits if benefit.non_take_up)

    @property
    def probable_core_non_take_up(self) -> tuple[BenefitResult, ...]:
        return tuple(probable_core_non_take_up(self.benefits))

    @property
    def counts_in_nrpe(self) -> bool:
        return counts_in_nrpe(self.benefits)

    def probable_total(self, period: Period = Period.MONTH) -> Decimal:
        """The amounts of the probable non-take-up of `period`, each computed as if the others stayed
        unclaimed (CSS aside): more than `opened_total` when claiming one lowers another."""
        return probable_total(self.benefits, period)

    def opened_total(self, period: Period = Period.MONTH) -> Decimal:
        """What the household would receive more, per month (or per year for the yearly aids), if it claimed
        every probable right it does not receive: the additive amounts (CSS aside, a participation)."""
        return opened_total(self.benefits, period)


def is_probable_non_take_up(benefit: _Flagged) -> bool:
    """Due, not received, and probable for this household. `benefit`: anything with `code`, `non_take_up`
    and `confidence` (a `BenefitResult`, the simulator's lines)."""
    return bool(benefit.non_take_up) and str(benefit.confidence) == Confidence.LIKELY


def probable_core_non_take_up(benefits: Iterable[_Flagged]) -> list:
    """The probable non-take-up among the core benefits of the NRPE (see the module's docstring)."""
    return [
        benefit for benefit in benefits if benefit.code in CORE_CODES and is_probable_non_take_up(benefit)
    ]


def counts_in_nrpe(benefits: Iterable[_Flagged]) -> bool:
    """True when the household has at least one probable non-take-up of a core benefit: the NRPE's count."""
    return bool(probable_core_non_take_up(benefits))


def _probable_of(benefits: Iterable[BenefitResult], period: Period) -> list[BenefitResult]:
    return [
        benefit
        for benefit in benefits
        if benefit.code != "css"
        and BENEFITS[benefit.code].period == period
        and is_probable_non_take_up(benefit)
    ]


def opened_total(benefits: Iterable[BenefitResult], period: Period = Period.MONTH) -> Decimal:
    """Sum of the additive amounts of the probable non-take-up of `period` (monthly or yearly benefits), CSS
    aside (its amount is a participation the household would pay)."""
    return sum((benefit.additive_amount for benefit in _probable_of(benefits, period)), Decimal(0))


def probable_total(benefits: Iterable[BenefitResult], period: Period = Period.MONTH) -> Decimal:
    """Sum of the amounts of the probable non-take-up of `period`, each computed alone (CSS aside)."""
    return sum((benefit.amount for benefit in _probable_of(benefits, period)), Decimal(0))
