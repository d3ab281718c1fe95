"""The format of `data/referentiel.yaml`, the national référentiel (see docs/referentiel.md).

Keys are English and match the model fields; values are French. Each item checks what it can
see alone (`problems()`); cross-item checks (duplicate codes, references) belong to the loader,
which also turns every problem into a French message naming the file, the line and the field.
"""

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, StringConstraints

from pacte.programme.enums import (
    ContractScope,
    DatePrecision,
    MeasureKind,
    MilestoneScope,
    MilestoneStatus,
    TargetComparison,
    TargetKind,
    TargetScope,
)
from pacte.programme.rules import Problem, target_problems
from pacte.territories.enums import Level

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


def _canonical_decimal(value: Decimal) -> str:
    """`1.70`, `1.7` and `1.700` hash alike: the hash follows the value, not its spelling."""
    return format(value.normalize(), "f")


def _text(max_length: int) -> type[str]:
    return Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length)]


def _optional_text(max_length: int | None = None) -> type[str]:
    return Annotated[str, StringConstraints(strip_whitespace=True, max_length=max_length)]


def _slug(max_length: int) -> type[str]:
    return Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=max_length)]


Year = Annotated[int, Field(ge=1990, le=2100)]
SmallInt = Annotated[int, Field(ge=0, le=32767)]
Value = Annotated[
    Decimal,
    Field(max_digits=18, decimal_places=3),
    PlainSerializer(_canonical_decimal, return_type=str, when_used="json"),
]
Euros = Annotated[
    Decimal,
    Field(ge=0, max_digits=15, decimal_places=0),
    PlainSerializer(_canonical_decimal, return_type=str, when_used="json"),
]


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)

    def problems(self) -> Iterator[Problem]:
        """Inconsistencies between the fields of this item."""
        return iter(())


class ProgrammeItem(Item):
    code: _slug(40)
    name: _text(200)
    start_year: Year
    end_year: Year
    measure_count: Annotated[int, Field(ge=1, le=32767)]
    budget_eur: Euros
    budget_comparison: _optional_text(300) = ""
    summary: _optional_text() = ""
    source_file: _text(100)

    def problems(self) -> Iterator[Problem]:
        if self.end_year < self.start_year:
            yield "end_year", "la dernière année précède la première année"


class AxisItem(Item):
    number: Annotated[int, Field(ge=1, le=99)]
    title: _text(200)
    summary: _optional_text() = ""
    reforms_summary: _optional_text() = ""


class MeasureItem(Item):
    code: _slug(20)
    axis: Annotated[int, Field(ge=1, le=99)]
    kind: MeasureKind
    number_label: _optional_text(40) = ""
    title: _text(300)
    description: _optional_text() = ""
    order: SmallInt
    source_file: _text(100)
    contractable: list[ContractScope] = []
    contractable_source: _optional_text(2000) = ""
    overseas: bool = False
    overseas_note: _optional_text(4000) = ""

    def problems(self) -> Iterator[Problem]:
        if self.overseas and not self.overseas_note:
            yield "overseas_note", "une mesure « Outre-mer » dit ce qu'elle fait outre-mer, avec sa source"
        if self.overseas_note and not self.overseas:
            yield "overseas", "une note outre-mer va avec « overseas: true »"
        if self.contractable and not self.contractable_source:
            yield "contractable_source", "une mesure contractualisable cite la source qui le dit"
        if len(set(self.contractable)) != len(self.contractable):
            yield "contractable", "une partie des contrats est nommée deux fois"
        if self.kind == MeasureKind.REFORM and self.contractable:
            yield "contractable", "une réforme associée est nationale : elle ne se contractualise pas"

    def contractable_fields(self) -> dict[str, bool]:
        """The model's flags (`contractable_departement`…) from the list of the file."""
        return {f"contractable_{scope.value}": scope in self.contractable for scope in ContractScope}


class TerritoryKey(Item):
    """A territory of the COG, found by its level and INSEE code (`{level: region, code: "52"}`)."""

    level: Level
    code: _text(9)


class TargetItem(Item):
    code: _slug(60)
    measure: _slug(20) | None = None
    kind: TargetKind
    label: _text(300)
    unit: _text(60)
    baseline_value: Value | None = None
    baseline_year: Year | None = None
    target_value: Value | None = None
    target_year: Year | None = None
    comparison: TargetComparison = TargetComparison.LEVEL
    horizon_source: _optional_text() = ""
    baseline_source: _optional_text() = ""
    in_force_on: date | None = None
    in_force_source: _optional_text() = ""
    borne_by_contracts: bool = False
    contracts_reason: _optional_text() = ""
    scope: TargetScope
    territory: TerritoryKey | None = None
    source_file: _text(100)
    source_excerpt: _optional_text() = ""
    notes: _optional_text() = ""
    order: SmallInt = 0

    def problems(self) -> Iterator[Problem]:
        return target_problems(self, has_territory=self.territory is not None)


class MilestoneItem(Item):
    code: _slug(60)
    scope: MilestoneScope
    title: _text(300)
    date_start: date
    date_end: date | None = None
    precision: DatePrecision
    date_label: _text(80)
    status: MilestoneStatus | None = None
    territory: TerritoryKey | None = None
    source_file: _text(100)

    def problems(self) -> Iterator[Problem]:
        if self.date_end is not None and self.date_end < self.date_start:
            yield "date_end", "la date de fin précède la date de début"
        if self.precision == DatePrecision.PERIOD and self.date_end is None:
            yield "date_end", "une période demande une date de fin"
        if self.scope == MilestoneScope.REGIONAL and self.territory is None:
            yield "territory", "un jalon régional demande un territoire"


class ReferentielFile(Item):
    programme: ProgrammeItem
    axes: Annotated[list[AxisItem], Field(min_length=1)]
    measures: list[MeasureItem] = []
    targets: list[TargetItem] = []
    milestones: list[MilestoneItem] = []
