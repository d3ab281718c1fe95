"""The one budget arithmetic of the contracts: amounts of budget lines by funder, the State's share, the order
of the funders and the year × funder grid.

Pure: no query. A "line" is anything with `funder`, `amount` and, for a grid, `year` and `funder_name`: a
`BudgetLine`, a `ReportSpending`, or a `Sum` the database computed (GROUP BY) and a query module wrapped. Every
page, document, export and API answer that shows a budget goes through here, so that one budget reads the
same everywhere.

The rules:
- the funders come in one order, the State, the collectivité, then the other co-funders (named ones by name);
- the State's share is a percentage rounded half up to one decimal (`pacte.formatting.share`): 49 000 € of
  400 000 € is 12,3 %, on the page, in the convention, in the files and in the API alike;
- the State funds at most half of each action each year (`enums.STATE_MAX_SHARE`; docs/contrats.md, « Les
  règles »).
"""

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple, Protocol, TypeVar

from pacte import formatting
from pacte.contracts.enums import STATE_MAX_SHARE, Funder

ZERO = Decimal("0")
FUNDERS = (Funder.STATE, Funder.LOCAL, Funder.OTHER)
FUNDER_ORDER = {funder: rank for rank, funder in enumerate(FUNDERS)}
COLUMN_LABELS = {Funder.STATE: "État", Funder.LOCAL: "Collectivité", Funder.OTHER: "Autres cofinanceurs"}
_ATTRIBUTES = {Funder.STATE: "state", Funder.LOCAL: "local", Funder.OTHER: "other"}
K = TypeVar("K", bound=Hashable)


class Line(Protocol):
    funder: str
    amount: Decimal


class Sum(NamedTuple):
    """An amount the database summed for one funder (and a year, a named co-funder when grouped so)."""

    funder: str
    amount: Decimal
    year: int | None = None
    funder_name: str = ""


def state_share(state: Decimal | None, total: Decimal | None) -> Decimal | None:
    """The State's part of `total` in %, rounded half up to one decimal; None when there is no budget."""
    return formatting.share(state, total)


def funder_sort_key(funder: str, funder_name: str = "") -> tuple[int, str]:
    """The place of a funder in every table: the State, the collectivité, the others by name."""
    return FUNDER_ORDER[funder], funder_name


@dataclass
class Amounts:
    """Amounts split by funder: the State, the collectivité, the other co-funders."""

    state: Decimal = ZERO
    local: Decimal = ZERO
    other: Decimal = ZERO

    @classmethod
    def of(cls, lines: Iterable[Line]) -> "Amounts":
        amounts = cls()
        for line in lines:
            amounts.add(line.funder, line.amount)
        return amounts

    def add(self, funder: str, amount: Decimal | None) -> None:
        name = _ATTRIBUTES[funder]
        setattr(self, name, getattr(self, name) + (amount or ZERO))

    def __add__(self, other: "Amounts") -> "Amounts":
        return Amounts(self.state + other.state, self.local + other.local, self.other + other.other)

    @property
    def total(self) -> Decimal:
        return self.state + self.local + self.other

    @property
    def state_share(self) -> Decimal | None:
        return state_share(self.state, self.total)

    @property
    def state_above_cap(self) -> bool:
        """The State would pay more than half (`STATE_MAX_SHARE`) of these amounts."""
        return self.state > self.total * STATE_MAX_SHARE


def total(amounts: Iterable[Amounts]) -> Amounts:
    """The sum of several splits."""
    result = Amounts()
    for item in amounts:
        result = result + item
    return result


def amounts_by(lines: Iterable[Line], key: Callable[[Line], K]) -> dict[K, Amounts]:
    """The lines' amounts split by funder, for each value of `key(line)` (in the order first met)."""
    groups: dict[K, Amounts] = {}
    for line in lines:
        groups.setdefault(key(line), Amounts()).add(line.funder, line.amount)
    return groups


def by_year(lines: Iterable[Line], years: Iterable[int]) -> dict[int, Amounts]:
    """Amounts per year: every year of `years` (zeros when nothing is budgeted), then any other year a line
    has, in year order."""
    groups = {year: Amounts() for year in years}
    for year, amounts in amounts_by(lines, lambda line: line.year).items():
        groups[year] = groups.get(year, Amounts()) + amounts
    return dict(sorted(groups.items()))


# --- The year × funder grid -------------------------------------------------------------------------------


@dataclass(frozen=True, order=True)
class FunderColumn:
    """A funder of a grid: the State, the collectivité, the other co-funders together or one of them."""

    rank: int
    name: str = ""

    @property
    def funder(self) -> str:
        return FUNDERS[self.rank]

    @property
    def label(self) -> str:
        return self.name or COLUMN_LABELS[self.funder]


@dataclass
class YearRow:
    """One year of a grid (or its total): an amount per funder column and the split that gives the share."""

    label: str
    amounts: list[Decimal]
    split: Amounts

    @property
    def state(self) -> Decimal:
        return self.split.state

    @property
    def total(self) -> Decimal:
        return self.split.total

    @property
    def state_share(self) -> Decimal | None:
        return self.split.state_share


@dataclass
class FunderRow:
    """One funder of a grid: an amount per year and its total."""

    label: str
    amounts: list[Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.amounts, ZERO)


@dataclass
class BudgetGrid:
    """Amounts of one or several actions by year and funder, with the totals and the State's share of each
    year. Read it by year (`rows`, `total`: the convention) or by funder (`funder_rows`: the pages)."""

    years: list[int]
    columns: list[FunderColumn]
    rows: list[YearRow] = field(default_factory=list)
    total: YearRow = field(default_factory=lambda: YearRow("Total", [], Amounts()))

    @property
    def funder_rows(self) -> list[FunderRow]:
        return [
            FunderRow(column.label, [row.amounts[index] for row in self.rows])
            for index, column in enumerate(self.columns)
        ]

    @property
    def year_totals(self) -> list[Decimal]:
        return [row.total for row in self.rows]

    @property
    def state_shares(self) -> list[Decimal | None]:
        return [row.state_share for row in self.rows]


def grid(
    lines: Iterable, years: Iterable[int], *, detail_other: bool = True, every_party: bool = True
) -> BudgetGrid:
    """The year × funder grid of `lines` (with `year`, `funder`, `funder_name`, `amount`) over `years`.

    With `detail_other`, each named co-funder (CAF, ARS…) has its own column, otherwise they are grouped as
    « Autres cofinanceurs ». With `every_party`, the State and the collectivité have a column even when they
    fund nothing (the convention); otherwise only the funders of the lines appear (the pages)."""
    years = list(years)
    cells: dict[tuple[int, FunderColumn], Decimal] = {}
    splits = {year: Amounts() for year in years}
    columns: set[FunderColumn] = {FunderColumn(0), FunderColumn(1)} if every_party else set()
    for line in lines:
        rank = FUNDER_ORDER[line.funder]
        name = line.funder_name if line.funder == Funder.OTHER and detail_other else ""
        column = FunderColumn(rank, name)
        columns.add(column)
        cells[line.year, column] = cells.get((line.year, column), ZERO) + line.amount
        if line.year in splits:
            splits[line.year].add(line.funder, line.amount)
    ordered = sorted(columns)
    rows = [
        YearRow(str(year), [cells.get((year, column), ZERO) for column in ordered], splits[year])
        for year in years
    ]
    sums = [sum((row.amounts[index] for row in rows), ZERO) for index in range(len(ordered))]
    return BudgetGrid(years, ordered, rows, YearRow("Total", sums, total(row.split for row in rows)))
