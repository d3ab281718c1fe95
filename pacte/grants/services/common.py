"""What the grants services share: zero as an amount, the SIRET check and the phrase of a moment."""

from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from pacte import formatting
from pacte.core.validators import LA_POSTE_SIREN, SIRET_KEY_MESSAGE, SIRET_LENGTH_MESSAGE, luhn_ok

ZERO = Decimal("0")


def moment(value: datetime) -> str:
    """« 15 mars 2025 à 12 h », in local time (deadlines and openings in messages)."""
    return formatting.date_time(timezone.localtime(value))


def siret_problem(value: str) -> str | None:
    """Why `value` is not a SIRET, in French, or None: 14 ASCII digits whose Luhn key is right, except La Poste's
    establishments (SIREN 356000000), whose 14 digits must sum to a multiple of 5. The same rule as
    `pacte.sponsorship.siret.siret_problem` (its sources are quoted there: INSEE's validinsee, python-stdnum);
    grants sits below sponsorship, so the rule is written here too and both are tested on the same numbers.
    Tightened in December 2026 (any 356000000… number was accepted before): the SIRETs already saved are not
    checked again."""
    if not (value.isascii() and value.isdigit() and len(value) == 14):
        return SIRET_LENGTH_MESSAGE
    if luhn_ok(value):
        return None
    if value.startswith(LA_POSTE_SIREN) and sum(int(digit) for digit in value) % 5 == 0:
        return None
    return SIRET_KEY_MESSAGE
