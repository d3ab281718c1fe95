"""The cost of a right opened by a territoire zéro non-recours: the arithmetic and its method, no database.

No public body publishes such a figure: the Cour des comptes (audit published on 30 October 2025,
https://www.ccomptes.fr/fr/node/79761) found that « La moitié des territoires a pu comptabiliser les bénéficiaires
et les droits ouverts », and no cost per right opened, nationally or locally, was found in the public record (the
searches are in docs/zero-non-recours.md). The platform therefore computes it only from what the porteurs report
in the register, and says « non publié » for any published reference.

The rules (docs/zero-non-recours.md « Le coût d'un droit ouvert » restates them, with a worked example):

- **Which periods**: the validated periods only (`PeriodStatus.VALIDATED`); a period transmitted or in draft
  counts for nothing.
- **Which costs**: the money spent in those periods as the porteur declared it, every funder together (State
  grant and co-financing): the full cost of the experiment over the periods, not only the State's share.
- **Which rights**: the rights opened in those periods, by benefit. When the paying body returned a count for a
  benefit and a period, it replaces the porteur's count for that benefit and period (never both: the same right
  would count twice).
- **Euros spent per right opened** = costs ÷ rights opened (every benefit together). It is not computed per
  benefit: the costs are not split by benefit, and dividing all of them by one benefit's rights would charge it
  the others' work. Per benefit the platform gives the rights opened, their yearly amount and that amount per
  euro spent, which add up to the experiment's total.
- **Euros of yearly benefits opened per euro spent** = (sum of the monthly amounts of the rights opened × 12) ÷
  costs. Only rights whose amount is known count in the numerator; the share of rights with a known amount is
  shown beside the figure (a low share means the ratio understates).
- **Comparisons** (the région, France): the pooled figure of the experiments concerned (their costs added up,
  divided by their rights added up), not the mean of their ratios, so that a small experiment weighs what it
  spends; with the number of experiments and the median of their own figures beside it.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from statistics import median

MONTHS_PER_YEAR = 12
ZERO = Decimal("0")
CENT = Decimal("0.01")

# The two counts of a benefit in a period, in order of preference.
PAYER = "organisme_payeur"
LEAD = "porteur"


@dataclass(frozen=True)
class RightLine:
    benefit: str
    source: str
    count: int
    monthly_amount: Decimal | None


@dataclass(frozen=True)
class PeriodFigures:
    start: date
    end: date
    spent: Decimal
    rights: tuple[RightLine, ...]


@dataclass(frozen=True)
class BenefitFigures:
    benefit: str
    rights_opened: int
    rights_with_amount: int
    yearly_amount: Decimal
    yearly_per_euro: Decimal | None


@dataclass(frozen=True)
class Cost:
    """The figures of one experiment, or of several pooled."""

    periods: int
    first_day: date | None
    last_day: date | None
    spent: Decimal
    rights_opened: int
    rights_with_amount: int
    yearly_amount: Decimal
    by_benefit: tuple[BenefitFigures, ...] = field(default=())
    experiments: int = 1

    @property
    def per_right(self) -> Decimal | None:
        """Euros spent per right opened; None without a right opened or without spending."""
        if not self.rights_opened or not self.spent:
            return None
        return (self.spent / self.rights_opened).quantize(CENT, ROUND_HALF_UP)

    @property
    def yearly_per_euro(self) -> Decimal | None:
        """Euros of yearly benefits opened per euro spent; None without spending or without a known amount."""
        if not self.spent or not self.rights_with_amount:
            return None
        return (self.yearly_amount / self.spent).quantize(CENT, ROUND_HALF_UP)

    @property
    def amount_coverage(self) -> Decimal | None:
        """Share (0-1) of the rights opened whose amount is known."""
        if not self.rights_opened:
            return None
        return Decimal(self.rights_with_amount) / Decimal(self.rights_opened)

    @property
    def is_computable(self) -> bool:
        return self.per_right is not None


def retained(rights: Iterable[RightLine]) -> list[RightLine]:
    """The lines that count, one per benefit: the paying body's count when there is one, else the porteur's."""
    best: dict[str, RightLine] = {}
    for line in rights:
        kept = best.get(line.benefit)
        if kept is None or (line.source == PAYER and kept.source != PAYER):
            best[line.benefit] = line
    return [best[benefit] for benefit in sorted(best)]


def compute(periods: Iterable[PeriodFigures]) -> Cost:
    """The figures of one experiment from its validated periods."""
    periods = list(periods)
    spent = sum((period.spent for period in periods), ZERO)
    counts: dict[str, int] = {}
    with_amount: dict[str, int] = {}
    yearly: dict[str, Decimal] = {}
    for period in periods:
        for line in retained(period.rights):
            counts[line.benefit] = counts.get(line.benefit, 0) + line.count
            if line.monthly_amount is not None:
                with_amount[line.benefit] = with_amount.get(line.benefit, 0) + line.count
                yearly[line.benefit] = yearly.get(line.benefit, ZERO) + line.monthly_amount * MONTHS_PER_YEAR
    by_benefit = tuple(
        BenefitFigures(
            benefit=benefit,
            rights_opened=counts[benefit],
            rights_with_amount=with_amount.get(benefit, 0),
            yearly_amount=yearly.get(benefit, ZERO),
            yearly_per_euro=(
                (yearly[benefit] / spent).quantize(CENT, ROUND_HALF_UP)
                if spent and benefit in yearly
                else None
            ),
        )
        for benefit in sorted(counts, key=lambda b: -counts[b])
    )
    return Cost(
        periods=len(periods),
        first_day=min((p.start for p in periods), default=None),
        last_day=max((p.end for p in periods), default=None),
        spent=spent,
        rights_opened=sum(counts.values()),
        rights_with_amount=sum(with_amount.values()),
        yearly_amount=sum(yearly.values(), ZERO),
        by_benefit=by_benefit,
    )


@dataclass(frozen=True)
class Comparison:
    """Several experiments together: their pooled figures and the median of their own figures."""

    pooled: Cost
    median_per_right: Decimal | None
    median_yearly_per_euro: Decimal | None

    @property
    def experiments(self) -> int:
        return self.pooled.experiments


def compare(costs: Iterable[Cost]) -> Comparison:
    """Pool the computable experiments (those with costs and rights opened): the others count for nothing."""
    costs = [cost for cost in costs if cost.is_computable]
    pooled = Cost(
        periods=sum(c.periods for c in costs),
        first_day=min((c.first_day for c in costs if c.first_day), default=None),
        last_day=max((c.last_day for c in costs if c.last_day), default=None),
        spent=sum((c.spent for c in costs), ZERO),
        rights_opened=sum(c.rights_opened for c in costs),
        rights_with_amount=sum(c.rights_with_amount for c in costs),
        yearly_amount=sum((c.yearly_amount for c in costs), ZERO),
        experiments=len(costs),
    )
    per_right = [c.per_right for c in costs]
    per_euro = [c.yearly_per_euro for c in costs if c.yearly_per_euro is not None]
    return Comparison(
        pooled=pooled,
        median_per_right=Decimal(median(per_right)).quantize(CENT, ROUND_HALF_UP) if per_right else None,
        median_yearly_per_euro=Decimal(median(per_euro)).quantize(CENT, ROUND_HALF_UP) if per_euro else None,
    )


def gap(value: Decimal | None, reference: Decimal | None) -> Decimal | None:
    """How far `value` lies from `reference`, in % of the reference (+ above, − below); None if either is missing."""
    if value is None or not reference:
        return None
    return ((value - reference) / reference * 100).quantize(Decimal("0.1"), ROUND_HALF_UP)
