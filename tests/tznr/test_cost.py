"""The cost of a right opened, from numbers: the worked example of docs/zero-non-recours.md, the paying body's
count preferred to the porteur's, the pooled comparisons and the cases with nothing to compute."""

from datetime import date
from decimal import Decimal

from pacte.tznr import cost

D = Decimal


def line(benefit, count, amount=None, source=cost.LEAD):
    return cost.RightLine(benefit, source, count, None if amount is None else D(amount))


def period(spent, *rights, start=date(2024, 1, 1), end=date(2024, 6, 30)):
    return cost.PeriodFigures(start, end, D(spent), tuple(rights))


# The worked example of docs/zero-non-recours.md (« Un exemple »): two validated half-years.
FIRST = period(
    "60000",
    line("rsa", 40, "21080"),
    line("ppa", 50),
    line("ppa", 55, "10340", source=cost.PAYER),
    line("css", 30),
)
SECOND = period(
    "90000",
    line("rsa", 60, "31620"),
    line("aides_logement", 25, "5400"),
    start=date(2024, 7, 1),
    end=date(2024, 12, 31),
)


def test_the_worked_example_of_the_docs():
    figures = cost.compute([FIRST, SECOND])
    assert figures.spent == D("150000")
    # 40 + 60 RSA, 55 prime d'activité (the CAF's count replaces the porteur's 50), 30 CSS, 25 aides au logement
    assert figures.rights_opened == 210
    assert figures.per_right == D("714.29")  # 150 000 / 210
    assert figures.rights_with_amount == 180  # the 30 CSS have no amount
    assert figures.yearly_amount == D("68440") * 12  # (21 080 + 10 340 + 31 620 + 5 400) × 12 = 821 280
    assert figures.yearly_per_euro == D("5.48")  # 821 280 / 150 000
    assert round(figures.amount_coverage, 3) == D("0.857")
    by_benefit = {b.benefit: b for b in figures.by_benefit}
    assert by_benefit["rsa"].rights_opened == 100
    assert by_benefit["rsa"].yearly_per_euro == D("4.22")  # 632 400 / 150 000
    assert by_benefit["css"].yearly_per_euro is None
    assert (figures.first_day, figures.last_day) == (date(2024, 1, 1), date(2024, 12, 31))


def test_the_porteur_count_stands_when_the_paying_body_returned_none():
    assert [(r.benefit, r.count) for r in cost.retained([line("ppa", 50), line("rsa", 3)])] == [
        ("ppa", 50),
        ("rsa", 3),
    ]
    assert cost.retained([line("ppa", 55, source=cost.PAYER), line("ppa", 50)])[0].count == 55


def test_nothing_is_computed_without_rights_or_without_spending():
    assert cost.compute([]).per_right is None
    assert cost.compute([period("1000")]).per_right is None
    assert cost.compute([period("0", line("rsa", 3, "1500"))]).per_right is None
    assert cost.compute([period("0", line("rsa", 3, "1500"))]).yearly_per_euro is None


def test_comparisons_pool_the_experiments_and_give_their_median():
    small = cost.compute([period("10000", line("rsa", 5, "2500"))])  # 2 000 € per right
    large = cost.compute([FIRST, SECOND])  # 714,29 € per right
    empty = cost.compute([])
    comparison = cost.compare([small, large, empty])
    assert comparison.experiments == 2  # the one without figures counts for nothing
    assert comparison.pooled.per_right == D("744.19")  # 160 000 / 215, not the mean of 2 000 and 714,29
    assert comparison.median_per_right == D("1357.15")
    assert cost.gap(D("714.29"), comparison.pooled.per_right) == D("-4.0")
    assert cost.gap(None, D("1")) is None
