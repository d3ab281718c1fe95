"""A contract version from its creation to its signature: its kind and collectivité, its title, what stands in the
way of its validation, submission, the validation of each side, reopening, signature, negotiation comments."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pacte.contracts import kinds, notifications
from pacte.contracts.enums import ContractKind, ContractStatus, Envelope
from pacte.contracts.models import Action, Comment, Contract
from pacte.contracts.models.contracts import KIND_NAMES
from pacte.contracts.services import allocations
from pacte.contracts.services.common import editable_for_update, reset_validations
from pacte.core.errors import Errors
from pacte.core.locking import claim_version
from pacte.programme.models import Axis
from pacte.territories.collectivites import collectivite_for


@transaction.atomic
def create_contract(
    territory, *, kind: str | None = None, title: str = "", is_demo: bool = False
) -> Contract:
    """A draft convention of `kind` for the collectivité that signs for `territory` (a département, a métropole,
    or a collectivité of a special status: `territories.collectivites`). No ceiling is typed: it is the allocation
    national steering notifies (`services.allocations`)."""
    errors = Errors()
    collectivite = collectivite_for(territory)
    if collectivite is None:
        errors.add(
            "territory",
            "Une convention est conclue avec un département, une collectivité à compétences départementales ou une "
            "métropole.",
        )
        errors.raise_if_any()
    kind = kind or kinds.default_kind(collectivite.family)
    problem = kinds.kind_problem(collectivite.family, kind)
    if problem:
        errors.add("kind", problem)
        errors.raise_if_any()
    start, end = kinds.period_of(kind)
    existing = Contract.objects.filter(collectivite=collectivite, root__isnull=True)
    label = ContractKind(kind).label
    if existing.filter(kind=kind).exists():
        errors.add("kind", f"{collectivite.name} a déjà une convention « {label} ».")
    for other in existing.exclude(kind=kind):
        shared = set(kinds.envelopes_of(kind)) & set(kinds.envelopes_of(other.kind))
        if shared:
            errors.add(
                "kind",
                f"{collectivite.name} a déjà une convention « {other.get_kind_display()} », qui couvre l'enveloppe "
                f"« {Envelope(sorted(shared)[0]).label} » : une seule convention par enveloppe (la convention "
                "globale unique réunit les deux parts).",
            )
    errors.raise_if_any()
    return Contract.objects.create(
        territory=collectivite.main_territory,
        collectivite=collectivite,
        kind=kind,
        period_start=start,
        period_end=end,
        title=title or f"{KIND_NAMES[kind]} {start}-{end} – {collectivite.name}",
        is_demo=is_demo,
    )


@transaction.atomic
def update_contract(contract: Contract, *, expected_version: int | None, **fields) -> Contract:
    """Change the title (or an avenant's object) of an editable version. The ceiling is notified, not typed."""
    contract = editable_for_update(contract)
    errors = Errors()
    if "annual_state_ceiling" in fields:
        errors.add(
            "annual_state_ceiling",
            "Le plafond des crédits de l'État est notifié par le pilotage national : il ne se saisit pas ici.",
        )
    if "title" in fields and not str(fields["title"]).strip():
        errors.add("title", "Ce champ est obligatoire.")
    errors.raise_if_any()
    claim_version(contract, expected_version)
    for name, value in fields.items():
        setattr(contract, name, value)
    contract.save()
    reset_validations(contract)
    return contract


def readiness_problems(contract: Contract) -> dict[str, list[str]]:
    """What prevents validating a version: no action, an action without indicators, a year of the action without
    target or without budget (the years follow the kind: `kinds.action_years`), the State credits of an envelope
    and year above the notified ceiling, a métropole without an action on each axis."""
    errors = Errors()
    actions = list(
        contract.actions.select_related("axis").prefetch_related("indicators__year_targets", "budget_lines")
    )
    if not actions:
        errors.add("actions", "Le contrat ne compte aucune fiche-action.")
    for action in actions:
        _check_action_ready(errors, contract, action)
    for path, message in allocations.ceiling_problems(contract):
        errors.add(path, message)
    if kinds.requires_every_axis(contract.kind):
        covered = {action.axis_id for action in actions if list(action.indicators.all())}
        for axis in Axis.objects.exclude(pk__in=covered).order_by("number"):
            errors.add(
                "actions",
                f"Un contrat de métropole compte au moins une action chiffrée par axe : rien sur l'axe {axis.number}.",
            )
    return dict(errors.messages)


def _check_action_ready(errors: Errors, contract: Contract, action: Action) -> None:
    label = f"Fiche-action n°{action.number}"
    years = set(kinds.action_years(contract.kind, action.axis.number, getattr(action, "volet", "")))
    indicators = list(action.indicators.all())
    if not indicators:
        errors.add(f"actions.{action.number}", f"{label} : ajoutez au moins un indicateur chiffré.")
    for indicator in indicators:
        missing = sorted(years - {target.year for target in indicator.year_targets.all()})
        if missing:
            errors.add(
                f"actions.{action.number}",
                f"{label} : l'indicateur « {indicator.label} » n'a pas de cible pour {', '.join(map(str, missing))}.",
            )
    missing_years = sorted(years - {line.year for line in action.budget_lines.all()})
    if missing_years:
        errors.add(
            f"actions.{action.number}", f"{label} : aucun budget pour {', '.join(map(str, missing_years))}."
        )


@transaction.atomic
def submit_contract(contract: Contract, user, *, now=None) -> Contract:
    """The collectivité sends its draft to the State: the negotiation starts. `now` dates an event of the
    past (demo data)."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.status != ContractStatus.DRAFT:
        raise ValidationError({"status": "Seul un brouillon peut être soumis à l'État."})
    if not contract.actions.exists():
        raise ValidationError({"actions": "Le contrat ne compte aucune fiche-action."})
    contract.status = ContractStatus.NEGOTIATION
    contract.submitted_at = now or timezone.now()
    contract.save()
    notifications.contract_submitted(contract, user)
    return contract


@transaction.atomic
def validate_contract(contract: Contract, user, *, side: str, now=None) -> Contract:
    """`side` is "state" or "local" (`perms.validation_side`). When both sides have validated, the version
    is ready to be signed."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.status != ContractStatus.NEGOTIATION:
        raise ValidationError({"status": "Seul un contrat en négociation peut être validé."})
    problems = readiness_problems(contract)
    if problems:
        raise ValidationError(problems)
    now = now or timezone.now()
    if side == "state":
        contract.state_validated_at, contract.state_validated_by = now, user
    elif side == "local":
        contract.local_validated_at, contract.local_validated_by = now, user
    else:
        raise ValueError(side)
    if contract.state_validated_at and contract.local_validated_at:
        contract.status = ContractStatus.VALIDATED
    contract.save()
    notifications.contract_validated(contract, user, side=side)
    return contract


@transaction.atomic
def reopen_contract(contract: Contract, user) -> Contract:
    """Back to negotiation from "validated by both" (before signature), clearing both validations."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if contract.status != ContractStatus.VALIDATED:
        raise ValidationError({"status": "Seul un contrat validé et non signé peut être rouvert."})
    contract.status = ContractStatus.NEGOTIATION
    contract.save()
    reset_validations(contract)
    return contract


@transaction.atomic
def sign_contract(
    contract: Contract, user, *, signed_on: date, state_signatory: str, local_signatory: str
) -> Contract:
    """Record the signature: the version becomes immutable; the version an avenant amends is superseded."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    errors = Errors()
    if contract.status != ContractStatus.VALIDATED:
        errors.add("status", "Le contrat doit être validé par les deux parties avant sa signature.")
    if signed_on is None:
        errors.add("signed_on", "Indiquez la date de signature.")
    elif signed_on > timezone.localdate():
        errors.add("signed_on", "La date de signature ne peut pas être dans le futur.")
    if not (state_signatory or "").strip():
        errors.add("state_signatory", "Indiquez le signataire pour l'État (nom et qualité).")
    if not (local_signatory or "").strip():
        errors.add("local_signatory", "Indiquez le signataire pour la collectivité (nom et qualité).")
    errors.raise_if_any()
    contract.status = ContractStatus.SIGNED
    contract.signed_on = signed_on
    contract.state_signatory, contract.local_signatory = state_signatory.strip(), local_signatory.strip()
    contract.signature_recorded_by = user
    contract.save()
    if contract.amends_id:
        Contract.objects.filter(pk=contract.amends_id).update(status=ContractStatus.SUPERSEDED)
    notifications.contract_signed(contract, user)
    return contract


def add_comment(contract: Contract, user, body: str, action: Action | None = None) -> Comment:
    if not (body or "").strip():
        raise ValidationError({"body": "Le commentaire est vide."})
    return Comment.objects.create(contract=contract, action=action, author=user, body=body.strip())
