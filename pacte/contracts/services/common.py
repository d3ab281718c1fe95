"""What the services of the contracts share: the checks of a year and of an indicator value, the version in
force of a convention, the lock on an editable version and the reset of its validations."""

from decimal import Decimal

from django.db.models import Q

from pacte import formatting
from pacte.contracts.enums import COUNT_UNITS, PERIOD_END, PERIOD_START, ContractStatus, IndicatorUnit
from pacte.contracts.models import Contract, ContractLockedError
from pacte.core.errors import Errors

ZERO = Decimal("0")


def check_year(errors: Errors, path: str, year: int) -> None:
    if not PERIOD_START <= year <= PERIOD_END:
        errors.add(path, f"L'année {year} est hors de la période du contrat ({PERIOD_START}-{PERIOD_END}).")


def check_years(errors: Errors, path: str, year: int, years: tuple[int, ...] | None = None) -> None:
    """`year` is one of `years` (the years of an action's part or volet, `kinds.action_years`); without
    `years`, within the contracts' period."""
    if years is None or not years:
        check_year(errors, path, year)
    elif year not in years:
        span = f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0])
        errors.add(path, f"L'année {year} est hors des années de cette fiche-action ({span}).")


def check_indicator_value(errors: Errors, path: str, unit: str, value: Decimal | None) -> None:
    """A value must fit its indicator's unit: a whole number for counts, 0 to 100 for a percentage,
    never negative."""
    if value is None:
        return
    if value < 0:
        errors.add(path, "Une valeur d'indicateur ne peut pas être négative.")
    elif unit == IndicatorUnit.PERCENT and value > 100:
        errors.add(path, f"L'indicateur est en pourcentage : {formatting.number(value)} dépasse 100.")
    elif unit in COUNT_UNITS and value != value.to_integral_value():
        label = IndicatorUnit(unit).label
        errors.add(
            path,
            f"L'indicateur se compte en {label} : {formatting.number(value)} n'est pas un nombre entier.",
        )


def current_version(root: Contract) -> Contract | None:
    """The signed version in force of a convention."""
    return (
        Contract.objects.filter(Q(pk=root.pk) | Q(root=root), status=ContractStatus.SIGNED)
        .order_by("-amendment_number")
        .first()
    )


def editable_for_update(contract: Contract) -> Contract:
    """The version, locked for the transaction; ContractLockedError once it is validated or signed."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if not contract.is_editable:
        raise ContractLockedError(contract)
    return contract


def reset_validations(contract: Contract) -> None:
    """What was validated is no longer what is proposed: both validations are to be given again."""
    if contract.state_validated_at or contract.local_validated_at:
        contract.state_validated_at = contract.local_validated_at = None
        contract.state_validated_by = contract.local_validated_by = None
        contract.save(
            update_fields=[
                "state_validated_at",
                "local_validated_at",
                "state_validated_by",
                "local_validated_by",
                "updated_at",
            ]
        )
