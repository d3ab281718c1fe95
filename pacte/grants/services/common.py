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
    """Why `value` is not a SIRET (14 digits with a valid Luhn key), or None."""
    if not (value.isdigit() and len(value) == 14):
        return SIRET_LENGTH_MESSAGE
    # La Poste's establishments escape the key. Looser than the INSEE rule that pacte/sponsorship/siret.py applies
    # (the sum of the digits a multiple of 5): to be aligned on it (issue 18 note).
    if not luhn_ok(value) and not value.startswith(LA_POSTE_SIREN):
        return SIRET_KEY_MESSAGE
    return None
