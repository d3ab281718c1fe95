"""What every governance service shares: refusing with a French message on a field, checking a row's fields
before it is saved, and the locking of a row written once for its parent."""

from django.core.exceptions import ValidationError

from pacte.core.locking import StaleEditError, claim_version

# The version a form sends for a row that did not exist when it was opened (minutes, synthesis).
NEW = -1


def refuse(field: str, message: str):
    """Refuse the operation: `message` (French) is shown on `field`; nothing has been written."""
    raise ValidationError({field: message})


def full_clean(instance, exclude=None) -> None:
    instance.full_clean(exclude=exclude, validate_unique=True)


def claim_once_per_parent(row, expected_version: int | None) -> None:
    """Optimistic locking of a row written once for its parent (the minutes of a meeting, the synthesis of a
    theme), `row` being None while it does not exist: a form opened before it existed sends NEW, and is stale
    once someone wrote it; a form opened on it sends its version."""
    if row is None:
        if expected_version not in (None, NEW):
            raise StaleEditError
    elif expected_version == NEW:
        raise StaleEditError
    else:
        claim_version(row, expected_version)
