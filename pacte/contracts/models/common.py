"""What the contracts models share: the period validators, money fields, the locked-version error."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator

from pacte.contracts.enums import (
    PERIOD_END,
    PERIOD_START,
    ContractStatus,
)

YEAR_VALIDATORS = [MinValueValidator(PERIOD_START), MaxValueValidator(PERIOD_END)]
AMOUNT = {"max_digits": 14, "decimal_places": 2, "validators": [MinValueValidator(0)]}


class ContractLockedError(ValidationError):
    """A version that is no longer a draft or in negotiation cannot change: a signed one needs an avenant,
    one validated by both sides must first be reopened."""

    def __init__(self, contract=None):
        if contract is not None and contract.status == ContractStatus.VALIDATED:
            message = (
                "Ce contrat est validé par les deux parties : rouvrez la négociation pour le modifier "
                "(les validations seront à refaire)."
            )
        else:
            label = f" ({contract})" if contract is not None else ""
            message = (
                f"Ce contrat est signé{label} : sa version signée ne peut plus être modifiée. "
                "Rédigez un avenant pour la faire évoluer."
            )
        super().__init__(message)
