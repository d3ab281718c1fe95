"""Avenants: a new draft version opened on the signed version in force, and what it changes."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, Q

from pacte import formatting
from pacte.contracts.enums import ContractStatus
from pacte.contracts.models import Action, Contract
from pacte.contracts.services.actions import action_data_of, copy_action
from pacte.core.errors import Errors


@transaction.atomic
def create_amendment(contract: Contract, user, *, reason: str) -> Contract:
    """Open an avenant on the signed version in force: a new draft version holding a copy of its content, copied as
    it is (`copy_action`): rows that break a rule written since are kept and listed on the compliance page."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    errors = Errors()
    if contract.status != ContractStatus.SIGNED:
        errors.add("status", "Un avenant modifie la version signée en vigueur.")
    if not (reason or "").strip():
        errors.add("reason", "Indiquez l'objet de l'avenant.")
    root = contract.root_contract
    if Contract.objects.filter(
        root=root, status__in=(ContractStatus.DRAFT, ContractStatus.NEGOTIATION, ContractStatus.VALIDATED)
    ).exists():
        errors.add("status", "Un avenant est déjà en cours pour ce contrat.")
    errors.raise_if_any()
    number = (
        Contract.objects.filter(Q(pk=root.pk) | Q(root=root)).aggregate(last=Max("amendment_number"))["last"]
        + 1
    )
    amendment = Contract.objects.create(
        territory=contract.territory,
        collectivite=contract.collectivite,
        kind=contract.kind,
        root=root,
        amends=contract,
        amendment_number=number,
        amendment_reason=reason.strip(),
        title=contract.title,
        period_start=contract.period_start,
        period_end=contract.period_end,
        annual_state_ceiling=contract.annual_state_ceiling,
        is_demo=contract.is_demo,
    )
    for action in contract.actions.prefetch_related("measures", "indicators__year_targets", "budget_lines"):
        copy_action(amendment, action_data_of(action))
    return amendment


@dataclass
class Change:
    """One difference between two versions, for people: where, what, before, after."""

    where: str
    what: str
    before: str = ""
    after: str = ""


ACTION_FIELDS = {
    "title": "intitulé",
    "axis": "axe",
    "nature": "nature",
    "reinforcement": "renforcement",
    "target_publics": "publics cibles",
    "pilot": "pilote",
    "partners": "partenaires",
    "description": "description",
}


def _action_snapshot(action: Action) -> dict:
    """A fiche-action as people read it: every value already written out in French."""
    return {
        "fields": {
            "title": action.title,
            "axis": f"Axe {action.axis.number}",
            "nature": action.get_nature_display(),
            "reinforcement": action.get_reinforcement_display() if action.reinforcement else "",
            "target_publics": action.target_publics,
            "pilot": action.pilot,
            "partners": action.partners,
            "description": action.description,
        },
        "measures": sorted(measure.title for measure in action.measures.all()),
        "indicators": {
            indicator.label: {
                "unité": indicator.get_unit_display(),
                **{
                    f"cible {target.year}": formatting.number(target.value)
                    for target in indicator.year_targets.all()
                },
            }
            for indicator in action.indicators.all()
        },
        "budget": {
            f"{line.year} – {line.funder_label}": formatting.euros(line.amount)
            for line in action.budget_lines.all()
        },
    }


def _contract_snapshot(contract: Contract) -> dict:
    actions = contract.actions.select_related("axis").prefetch_related(
        "measures", "indicators__year_targets", "budget_lines"
    )
    return {action.title: _action_snapshot(action) for action in actions}


def _section_changes(where: str, label: str, before: dict, after: dict) -> list[Change]:
    changes = []
    for key in sorted(before.keys() | after.keys()):
        old_value, new_value = before.get(key), after.get(key)
        if old_value == new_value:
            continue
        if isinstance(old_value, dict) or isinstance(new_value, dict):
            old_value, new_value = old_value or {}, new_value or {}
            for sub in sorted(old_value.keys() | new_value.keys()):
                left, right = old_value.get(sub), new_value.get(sub)
                if left != right:
                    changes.append(
                        Change(
                            where,
                            f"{label} « {key} », {sub}",
                            left or formatting.MISSING,
                            right or formatting.MISSING,
                        )
                    )
        else:
            changes.append(
                Change(
                    where, f"{label} {key}", old_value or formatting.MISSING, new_value or formatting.MISSING
                )
            )
    return changes


def contract_diff(old: Contract, new: Contract) -> list[Change]:
    """What an avenant changes compared with the version it amends (fiches-actions are matched by title). The
    ceilings are notified to the collectivité, not written in a version: an avenant does not change them."""
    changes: list[Change] = []
    before, after = _contract_snapshot(old), _contract_snapshot(new)
    for title in before.keys() - after.keys():
        changes.append(Change(f"Fiche-action « {title} »", "fiche-action retirée"))
    for title in after.keys() - before.keys():
        changes.append(Change(f"Fiche-action « {title} »", "fiche-action ajoutée"))
    for title in sorted(before.keys() & after.keys()):
        a, b, where = before[title], after[title], f"Fiche-action « {title} »"
        for name, label in ACTION_FIELDS.items():
            if a["fields"][name] != b["fields"][name]:
                changes.append(
                    Change(
                        where,
                        label,
                        a["fields"][name] or formatting.MISSING,
                        b["fields"][name] or formatting.MISSING,
                    )
                )
        if a["measures"] != b["measures"]:
            changes.append(
                Change(where, "mesures du Pacte", ", ".join(a["measures"]), ", ".join(b["measures"]))
            )
        changes += _section_changes(where, "indicateur", a["indicators"], b["indicators"])
        changes += _section_changes(where, "budget", a["budget"], b["budget"])
    return changes
