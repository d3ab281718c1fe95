"""Corrections of a figure of the référentiel (a target or a reference value), by national steering through the
API or by an administrator. Who may is `programme.perms.can_change_target`'s question, asked by the caller."""

from typing import Any

from django.db import transaction

from pacte.core.locking import claim_version
from pacte.programme.models import Target

# What a correction may change: everything but the programme, the hash of the YAML item, the version and the
# withdrawal (the loader's).
TARGET_FIELDS = frozenset(
    {
        "measure",
        "code",
        "kind",
        "label",
        "unit",
        "baseline_value",
        "baseline_year",
        "target_value",
        "target_year",
        "comparison",
        "horizon_source",
        "baseline_source",
        "in_force_on",
        "in_force_source",
        "borne_by_contracts",
        "contracts_reason",
        "scope",
        "territory",
        "source_file",
        "source_excerpt",
        "notes",
        "order",
    }
)


@transaction.atomic
def update_target(target: Target, *, expected_version: int | None, **changes: Any) -> Target:
    """Change `target` unless someone saved it since `expected_version` (StaleEditError). The fields are checked
    as the model checks them (lengths, choices, the rules of programme.rules): a refusal is a ValidationError
    whose French messages are keyed by field, and nothing is written."""
    unknown = set(changes) - TARGET_FIELDS
    if unknown:
        raise TypeError(f"update_target() cannot change: {', '.join(sorted(unknown))}")
    claim_version(target, expected_version)
    for name, value in changes.items():
        setattr(target, name, value)
    target.full_clean()
    target.save()
    return target
