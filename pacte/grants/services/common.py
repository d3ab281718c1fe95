"""What the grants services share: zero as an amount, the SIRET check and the phrase of a moment."""

from datetime import datetime
from decimal import Decimal

from django.utils import timezone

from pacte import formatting

ZERO = Decimal("0")


def moment(value: datetime) -> str:
    """« 15 mars 2025 à 12 h », in local time (deadlines and openings in messages)."""
    return formatting.date_time(timezone.localtime(value))


def siret_problem(value: str) -> str | None:
    """Why `value` is not a SIRET (14 digits with a valid Luhn key), or None."""
    if not (value.isdigit() and len(value) == 14):
        return "Le SIRET compte 14 chiffres (le SIREN suivi des 5 chiffres du numéro d'établissement)."
    total = 0
    for index, digit in enumerate(reversed(value)):
        number = int(digit) * (2 if index % 2 else 1)
        total += number - 9 if number > 9 else number
    if total % 10 and not value.startswith("356000000"):  # La Poste's establishments escape the key
        return "Ce SIRET n'est pas valide : sa clé de contrôle ne correspond pas. Vérifiez les 14 chiffres."
    return None
