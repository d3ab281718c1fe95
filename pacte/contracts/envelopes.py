"""The national amount of each envelope of State credits, by year, with its source (data/envelopes.yaml).

Only published amounts are there: 90 M€ (solidarités) and 170 M€ (France Travail) in 2024; every other year, and
every year of the métropoles' envelope, reads « non publié » (`NationalAmount.amount` None).
"""

from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from pacte.contracts.enums import PERIOD_END, PERIOD_START, Envelope
from pacte.core.datafiles import YamlFile, YamlFileError

DATA_FILE = Path(__file__).parent / "data" / "envelopes.yaml"


class EnvelopesFileError(YamlFileError):
    pass


class _EnvelopeFileItem(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class YearAmount(_EnvelopeFileItem):
    year: Annotated[int, Field(ge=PERIOD_START, le=PERIOD_END)]
    amount: Annotated[Decimal, Field(ge=0, max_digits=15, decimal_places=2)]


class EnvelopeItem(_EnvelopeFileItem):
    envelope: Envelope
    amounts: list[YearAmount] = []
    source: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    note: Annotated[str, StringConstraints(strip_whitespace=True)] = ""


class EnvelopesFile(_EnvelopeFileItem):
    envelopes: list[EnvelopeItem]


@dataclass(frozen=True)
class NationalAmount:
    envelope: str
    year: int
    amount: Decimal | None  # None: not published
    source: str
    note: str

    @property
    def envelope_label(self) -> str:
        return Envelope(self.envelope).label


def read_envelopes(path: Path = DATA_FILE) -> list[EnvelopeItem]:
    """The envelopes of the data file; a French error naming the line and field otherwise (an envelope given twice,
    a year given twice)."""
    file = YamlFile(path, error_class=EnvelopesFileError)
    document = file.validate(EnvelopesFile)
    seen: set[str] = set()
    for index, item in enumerate(document.envelopes):
        if item.envelope in seen:
            raise file.error(
                ("envelopes", index, "envelope"), f"enveloppe « {item.envelope} » donnée deux fois"
            )
        seen.add(item.envelope)
        years = [amount.year for amount in item.amounts]
        if len(set(years)) != len(years):
            raise file.error(("envelopes", index, "amounts"), "une année est donnée deux fois")
    return document.envelopes


@cache
def national_amounts() -> dict[tuple[str, int], NationalAmount]:
    """Every envelope × year of the period, with its published amount (None: « non publié ») and its source."""
    found = {}
    items = {item.envelope: item for item in read_envelopes()}
    for envelope in Envelope:
        item = items.get(envelope)
        published = {amount.year: amount.amount for amount in item.amounts} if item else {}
        for year in range(PERIOD_START, PERIOD_END + 1):
            found[(envelope.value, year)] = NationalAmount(
                envelope.value,
                year,
                published.get(year),
                item.source if item else "",
                item.note if item else "Montant non publié.",
            )
    return found


def national_amount(envelope: str, year: int) -> NationalAmount:
    return national_amounts()[(envelope, year)]
