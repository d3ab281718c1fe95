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
    """Increment `instance.lock_version` in the database, if it still equals `expected` (call it inside the
    transaction that saves the change); raise StaleEditError otherwise. With `expected=None` (a caller that
    read nothing to compare, such as a script) the version is still incremented, so that forms opened by
    others before this change notice it."""
    model = type(instance)
    rows = model.objects.filter(pk=instance.pk)
    if expected is not None:
        rows = rows.filter(lock_version=expected)
    if rows.update(lock_version=models.F("lock_version") + 1) != 1:
        raise StaleEditError
    instance.lock_version = model.objects.values_list("lock_version", flat=True).get(pk=instance.pk)
