"""Optimistic locking: a row carries a `lock_version` that every save increments.

A form or an API call sends back the version it read; if someone saved in between, the version no longer
matches and the save is refused (StaleEditError) instead of silently overwriting the other person's work.
"""

from django.db import models


class StaleEditError(Exception):
    """The row changed since it was read."""

    message = (
        "Ces informations ont été modifiées par quelqu’un d’autre depuis que vous les avez ouvertes. "
        "Vos modifications n’ont pas été enregistrées : rechargez la page pour partir de la nouvelle version."
    )

    def __str__(self) -> str:
        return self.message


def claim_version(instance: models.Model, expected: int | None) -> None:
    """Increment `instance.lock_version` in the database if it still equals `expected` (call it inside the
    transaction that saves the change); raise StaleEditError otherwise. `expected=None` skips the check
    (for creation)."""
    if expected is None:
        return
    model = type(instance)
    updated = model.objects.filter(pk=instance.pk, lock_version=expected).update(
        lock_version=models.F("lock_version") + 1
    )
    if updated != 1:
        raise StaleEditError
    instance.lock_version = expected + 1
