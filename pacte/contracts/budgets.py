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
- **parity**: each year, the State's amount for an action does not exceed the collectivité's
  (`Amounts.breaks_parity`); the other co-funders (CAF, ARS, communes…) come on top and never count in the
  collectivité's half. Where it applies is `kinds.parity_applies` (not the France Travail part).

The sources of parity (docs/contrats.md, « Parité ») — the texts say equal shares; the platform enforces the
enforceable half, "the State not more than the collectivité", and shows parity as the norm; whether a collectivité
may put in more than the State is not stated (« non précisé »); checking each year is the platform's reading (the
ceilings are annual, no text says over which span parity is reckoned):
- « Le co-financement de chaque action à 50% par l'État est maintenu. » — instruction n° DGCS/SD1B/2023/169 du
  23 novembre 2023, cited by Banque des Territoires / Localtis, December 2023 (grade B),
  https://banquedesterritoires.fr/contrats-locaux-des-solidarites-des-elements-de-cadrage-pour-les-departements-et-les-metropoles
- « …avec un engagement financier égal de la part de l'État et du département. » and « actions concrètes
  territorialisées qui sont strictement cofinancées entre l'État et le département » — préfecture de région
  Normandie, « Contrats locaux de solidarité », updated 30 January 2025 (grade A),
  https://www.prefectures-regions.gouv.fr/normandie/Region-et-institutions/Action-de-l-Etat/Lutte-contre-la-pauvrete/Contrats-locaux-de-solidarite
- third parties on top (métropoles): « Les actions seront financées à parts égales par l'État et la métropole et
  pourront également accueillir des contributions financières d'autres partenaires locaux. » — Juris éditions on
  instruction n° DGCS/SD1B/2023/168 du 27 octobre 2023, 5 December 2023 (grade B, the journalist's summary),
  https://www.juriseditions.fr/politique-publique/le-pacte-des-solidarites-se-precise/3861/
"""

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple, Protocol, TypeVar

from pacte import formatting
from pacte.contracts.enums import Funder

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
    def breaks_parity(self) -> bool:
        """The State would put in more than the collectivité (the other co-funders do not count)."""
        return self.state > self.local


def parity_message(amounts: Amounts, year: int | None = None, *, spent: bool = False) -> str:
    """The French refusal of a split that breaks parity, with the amounts of both parties and, when there are
    some, the other co-funders' put apart: « En 2025, l'État apporterait 60 000 € et la collectivité
    40 000 € : … » (without `year`, it starts in lower case, to follow « Fiche-action n°1 : »)."""
    when = f"En {year}, l" if year is not None else "l"
    verb = "aurait dépensé" if spent else "apporterait"
    message = (
        f"{when}'État {verb} {formatting.euros(amounts.state)} et la collectivité "
        f"{formatting.euros(amounts.local)} : la part de l'État ne peut pas dépasser celle de la collectivité "
        "(cofinancement à parité)."
    )
    if amounts.other:
        message += (
            f" Les {formatting.euros(amounts.other)} des autres cofinanceurs viennent en plus et ne comptent pas "
            "dans la part de la collectivité."
        )
    return message


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

    @property
    def breaks_parity(self) -> bool:
        return self.split.breaks_parity


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

    @property
    def breaks_parity(self) -> bool:
        """Some year where the State puts in more than the collectivité."""
        return any(row.breaks_parity for row in self.rows)


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
