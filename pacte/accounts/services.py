from django.db import transaction

from pacte.accounts.models import Organisation


class StaleEditError(Exception):
    """The object changed since the form was opened."""


@transaction.atomic
def save_organisation(organisation: Organisation, version: str) -> Organisation:
    """Save `organisation` unless someone else saved it since `version` (its `updated_at`, ISO format)."""
    current = Organisation.objects.select_for_update().only("updated_at").get(pk=organisation.pk)
    if current.updated_at.isoformat() != version:
        raise StaleEditError
    organisation.save()
    return organisation
