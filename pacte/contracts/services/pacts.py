"""The pacte local des solidarités of a département or a métropole and its 1 to 3 priorities."""

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pacte.contracts.models import LocalPact, PactPriority
from pacte.core.errors import Errors
from pacte.core.locking import claim_version
from pacte.territories.enums import Level


@dataclass
class PriorityRow:
    title: str
    action_plan: str
    pilot: str
    technical_committee: str


@transaction.atomic
def save_local_pact(
    pact: LocalPact | None,
    *,
    territory=None,
    title: str,
    diagnostic_summary: str,
    priorities: list[PriorityRow],
    other_signatories: str = "",
    signed_on: date | None = None,
    partners=None,
    expected_version: int | None = None,
    is_demo: bool = False,
) -> LocalPact:
    """Create or update a pacte local des solidarités and its 1 to 3 priorities (ranked in the given order).
    A signed pact does not change any more."""
    errors = Errors()
    if (
        pact is None
        and territory is not None
        and territory.level != Level.DEPARTEMENT
        and not territory.is_metropole
    ):
        errors.add(
            "territory", "Un pacte local des solidarités est conclu pour un département ou une métropole."
        )
    if not title.strip():
        errors.add("title", "Ce champ est obligatoire.")
    if not diagnostic_summary.strip():
        errors.add("diagnostic_summary", "Résumez le diagnostic territorial.")
    if not 1 <= len(priorities) <= PactPriority.MAX_PER_PACT:
        errors.add(
            "priorities",
            f"Un pacte local compte de 1 à {PactPriority.MAX_PER_PACT} priorités ({len(priorities)} saisies).",
        )
    if signed_on is not None and signed_on > timezone.localdate():
        errors.add("signed_on", "La date de signature ne peut pas être dans le futur.")
    errors.raise_if_any()
    if pact is None:
        pact = LocalPact(territory=territory, is_demo=is_demo)
    else:
        pact = LocalPact.objects.select_for_update().get(pk=pact.pk)
        if pact.signed_on is not None:
            raise ValidationError({"signed_on": "Ce pacte local est signé : il ne peut plus être modifié."})
        claim_version(pact, expected_version)
    pact.title, pact.diagnostic_summary = title.strip(), diagnostic_summary.strip()
    pact.other_signatories, pact.signed_on = other_signatories.strip(), signed_on
    pact.save()
    if partners is not None:
        pact.partners.set(partners)
    existing = {priority.rank: priority for priority in pact.priorities.all()}
    for rank, row in enumerate(priorities, start=1):
        priority = existing.get(rank) or PactPriority(pact=pact, rank=rank)
        values = {
            "title": row.title.strip(),
            "action_plan": row.action_plan.strip(),
            "pilot": row.pilot.strip(),
            "technical_committee": row.technical_committee.strip(),
        }
        if priority.pk is None or any(getattr(priority, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(priority, name, value)
            priority.save()
    for rank, priority in existing.items():
        if rank > len(priorities):
            priority.delete()
    return pact
