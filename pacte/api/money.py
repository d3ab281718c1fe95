"""Money in the API: a decimal, never a float. pydantic writes a Decimal as a JSON string (« 49000.00 ») and reads
a number or a string; `docs/api.md` tells clients to read it as a decimal."""

from decimal import Decimal
from typing import Annotated

from ninja import Field
from pydantic import AfterValidator

CENT, TENTH = Decimal("0.01"), Decimal("0.1")
MONEY_JSON = "nombre décimal écrit en chaîne JSON avec deux décimales : « 49000.00 »"

Amount = Annotated[Decimal, Field(max_digits=14, decimal_places=2)]
Money = Annotated[Decimal, AfterValidator(lambda value: value.quantize(CENT))]
Share = Annotated[Decimal, AfterValidator(lambda value: value.quantize(TENTH))]


def money(description: str = "", **kwargs):
    """A field of euros, documented with its JSON type."""
    text = f"{description} (€, {MONEY_JSON})" if description else f"Montant (€, {MONEY_JSON})"
    return Field(description=text, **kwargs)
