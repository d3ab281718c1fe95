"""Every change to an organisation, from the pages, the API and the scripts. Who may is `accounts.perms`'s
question, asked by the caller; the checks here are those of the data (SIREN, RNA, the territory a kind of
organisation is attached to, one name per kind), each French message keyed by its field."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from pacte.accounts.models import Organisation
from pacte.core.locking import claim_version

# What a change may set: everything but the version and the date of the last change.
ORGANISATION_FIELDS = frozenset({"name", "kind", "territory", "siren", "rna", "email", "website", "is_demo"})


@transaction.atomic
def create_organisation(**values: Any) -> Organisation:
    """A new organisation, checked before it is written (ValidationError otherwise)."""
    _check_names(values)
    organisation = Organisation(**values)
    _validate(organisation)
    organisation.save()
    return organisation


@transaction.atomic
def update_organisation(
    organisation: Organisation, *, expected_version: int | None, **changes: Any
) -> Organisation:
    """Change `organisation` unless someone saved it since `expected_version` (StaleEditError; None for a
    script that read nothing to compare). Nothing is written when a check refuses (ValidationError)."""
    _check_names(changes)
    claim_version(organisation, expected_version)
    for name, value in changes.items():
        setattr(organisation, name, value)
    _validate(organisation)
    organisation.save()
    return organisation


def _check_names(values: dict[str, Any]) -> None:
    unknown = set(values) - ORGANISATION_FIELDS
    if unknown:
        raise TypeError(f"An organisation has no changeable field {', '.join(sorted(unknown))}")


def _validate(organisation: Organisation) -> None:
    errors: dict[str, list[str]] = {}
    try:
        organisation.full_clean(validate_constraints=False)
    except ValidationError as error:
        errors = error.message_dict
    namesake = Organisation.objects.filter(name=organisation.name, kind=organisation.kind)
    if organisation.pk is not None:
        namesake = namesake.exclude(pk=organisation.pk)
    if "name" not in errors and namesake.exists():
        errors["name"] = ["Une organisation de ce type porte déjà ce nom."]
    if errors:
        raise ValidationError(errors)
