"""What the grants services share: zero as an amount and the phrase of a moment (the SIRET check is
`pacte.core.validators.siret_problem`, shared with the mécénat de proximité)."""

from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from pacte import formatting

ZERO = Decimal("0")


def moment(value: datetime) -> str:
    """« 15 mars 2025 à 12 h », in local time (deadlines and openings in messages)."""
    return formatting.date_time(timezone.localtime(value))
