"""A contract version from its creation to its signature: title and ceiling, what stands in the way of its
validation, submission, the validation of each side, reopening, signature, negotiation comments."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pacte import formatting
from pacte.contracts import budgets
from pacte.contracts.enums import PERIOD_END, PERIOD_START, ContractStatus, Funder
from pacte.contracts.models import Action, Comment, Contract
from pacte.contracts.services.common import editable_for_update, reset_validations
from pacte.core.errors import Errors
from pacte.core.locking import claim_version
from pacte.programme.models import Axis
from pacte.territories.enums import Level

NEGATIVE_CEILING = "Le plafond annuel des crédits de l'État ne peut pas être négatif."


@transaction.atomic
def create_contract(
    territory, *, annual_state_ceiling: Decimal, title: str = "", is_demo: bool = False
) -> Contract:
    errors = Errors()
    if territory.level != Level.DEPARTEMENT and not territory.is_metropole:
        errors.add(
            "territory", "Un contrat local des solidarités est conclu avec un département ou une métropole."
        )
    if annual_state_ceiling is None or annual_state_ceiling < 0:
        errors.add("annual_state_ceiling", NEGATIVE_CEILING)
    if Contract.objects.filter(territory=territory, period_start=PERIOD_START, amendment_number=0).exists():
        errors.add("territory", f"{territory.name} a déjà un contrat {PERIOD_START}-{PERIOD_END}.")
    errors.raise_if_any()
    return Contract.objects.create(
        territory=territory,
        title=title or f"Contrat local des solidarités {PERIOD_START}-{PERIOD_END} – {territory.name}",
        annual_state_ceiling=annual_state_ceiling,
        is_demo=is_demo,
    )


@transaction.atomic
def update_contract(contract: Contract, *, expected_version: int | None, **fields) -> Contract:
    """Change the title or the annual ceiling of an editable version."""
    contract = editable_for_update(contract)
    errors = Errors()
    ceiling = fields.get("annual_state_ceiling", contract.annual_state_ceiling)
    if ceiling is None or ceiling < 0:
        errors.add("annual_state_ceiling", NEGATIVE_CEILING)
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
    """What prevents validating a version: no action, an action without indicators, a year without target
    or without budget, the State credits of a year above the annual ceiling, a métropole without an action
    on each axis."""
    errors = Errors()
    actions = list(contract.actions.prefetch_related("indicators__year_targets", "budget_lines"))
    if not actions:
        errors.add("actions", "Le contrat ne compte aucune fiche-action.")
    for action in actions:
        _check_action_ready(errors, contract, action)
    lines = [line for action in actions for line in action.budget_lines.all()]
    state_lines = [line for line in lines if line.funder == Funder.STATE]
    for year, amounts in sorted(budgets.amounts_by(state_lines, lambda line: line.year).items()):
        if amounts.state > contract.annual_state_ceiling:
            errors.add(
                "annual_state_ceiling",
                f"En {year}, les crédits de l'État demandés ({formatting.euros(amounts.state)}) dépassent le "
                f"plafond annuel ({formatting.euros(contract.annual_state_ceiling)}).",
            )
    if contract.territory.is_metropole:
        covered = {action.axis_id for action in actions if list(action.indicators.all())}
        for axis in Axis.objects.exclude(pk__in=covered).order_by("number"):
            errors.add(
                "actions",
                f"Un contrat de métropole compte au moins une action chiffrée par axe : rien sur l'axe {axis.number}.",
            )
    return dict(errors.messages)


def _check_action_ready(errors: Errors, contract: Contract, action: Action) -> None:
    label = f"Fiche-action n°{action.number}"
    indicators = list(action.indicators.all())
    if not indicators:
        errors.add(f"actions.{action.number}", f"{label} : ajoutez au moins un indicateur chiffré.")
    for indicator in indicators:
        missing = sorted(set(contract.years) - {target.year for target in indicator.year_targets.all()})
        if missing:
            errors.add(
                f"actions.{action.number}",
                f"{label} : l'indicateur « {indicator.label} » n'a pas de cible pour {', '.join(map(str, missing))}.",
            )
    missing_years = sorted(set(contract.years) - {line.year for line in action.budget_lines.all()})
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
    return contract


def add_comment(contract: Contract, user, body: str, action: Action | None = None) -> Comment:
    if not (body or "").strip():
        raise ValidationError({"body": "Le commentaire est vide."})
    return Comment.objects.create(contract=contract, action=action, author=user, body=body.strip())
