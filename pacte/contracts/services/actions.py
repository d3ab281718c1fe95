"""Fiches-actions of an editable contract version, with their indicators and their budget lines."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from pacte import formatting
from pacte.contracts.budgets import Amounts
from pacte.contracts.enums import STATE_MAX_SHARE, ActionNature, Funder, IndicatorUnit, Reinforcement
from pacte.contracts.models import Action, ActionIndicator, BudgetLine, Contract, IndicatorYearTarget
from pacte.contracts.services.common import (
    check_indicator_value,
    check_year,
    editable_for_update,
    reset_validations,
)
from pacte.core.errors import Errors
from pacte.core.locking import claim_version
from pacte.programme.models import Axis


@dataclass
class BudgetRow:
    year: int
    funder: str
    amount: Decimal
    funder_name: str = ""


@dataclass
class IndicatorRow:
    label: str
    unit: str
    year_targets: dict[int, Decimal] = field(default_factory=dict)
    baseline_value: Decimal | None = None
    baseline_year: int | None = None
    national_target_id: int | None = None


@dataclass
class ActionData:
    title: str
    axis_id: int
    nature: str
    target_publics: str
    pilot: str
    description: str
    measure_ids: list[int] = field(default_factory=list)
    reinforcement: str = ""
    partners: str = ""
    indicators: list[IndicatorRow] = field(default_factory=list)
    budget: list[BudgetRow] = field(default_factory=list)


def _other_name(row) -> str:
    """The name that tells co-funders apart: only an "other" funder has one."""
    return row.funder_name.strip() if row.funder == Funder.OTHER else ""


def check_budget(errors: Errors, rows: list[BudgetRow], prefix: str = "budget") -> None:
    """Amounts are positive, each funder appears once a year, an "other" funder is named, and the State
    funds at most 50 % of the action each year."""
    seen: set[tuple[int, str, str]] = set()
    years: dict[int, Amounts] = {}
    for index, row in enumerate(rows):
        path = f"{prefix}[{index}]"
        check_year(errors, f"{path}.year", row.year)
        if row.funder not in Funder.values:
            errors.add(f"{path}.funder", f"Financeur inconnu : « {row.funder} ».")
            continue
        if row.amount is None or row.amount < 0:
            errors.add(f"{path}.amount", "Un montant ne peut pas être négatif.")
            continue
        if row.funder == Funder.OTHER and not row.funder_name.strip():
            errors.add(f"{path}.funder_name", "Nommez l'autre cofinanceur (CAF, ARS, France Travail…).")
        key = (row.year, row.funder, _other_name(row))
        if key in seen:
            errors.add(f"{path}.funder", f"Ce financeur figure deux fois pour {row.year}.")
        seen.add(key)
        years.setdefault(row.year, Amounts()).add(row.funder, row.amount)
    for year, amounts in sorted(years.items()):
        if amounts.state_above_cap:
            errors.add(
                f"{prefix}.{year}",
                f"En {year}, l'État financerait {formatting.percent(amounts.state_share)} de l'action "
                f"({formatting.euros(amounts.state)} sur {formatting.euros(amounts.total)}) : sa part ne peut "
                f"pas dépasser {formatting.percent(STATE_MAX_SHARE * 100, 0)}.",
            )


def _check_action_data(data: ActionData) -> None:
    errors = Errors()
    for name in ("title", "target_publics", "pilot", "description"):
        if not str(getattr(data, name) or "").strip():
            errors.add(name, "Ce champ est obligatoire.")
    if data.nature not in ActionNature.values:
        errors.add("nature", "Choisissez action nouvelle ou action renforcée.")
    elif data.reinforcement and data.reinforcement not in Reinforcement.values:
        errors.add("reinforcement", f"Renforcement inconnu : « {data.reinforcement} ».")
    elif data.nature == ActionNature.REINFORCED and not data.reinforcement:
        errors.add(
            "reinforcement", "Précisez le renforcement : file active, nouveaux publics ou nouvelles zones."
        )
    elif data.nature == ActionNature.NEW and data.reinforcement:
        errors.add("reinforcement", "Une action nouvelle n'a pas de renforcement.")
    if not Axis.objects.filter(pk=data.axis_id).exists():
        errors.add("axis", "Axe inconnu.")
    elif data.measure_ids:
        on_axis = Axis.objects.get(pk=data.axis_id).measures.filter(pk__in=data.measure_ids).count()
        if on_axis != len(set(data.measure_ids)):
            errors.add("measures", "Les mesures choisies doivent appartenir à l'axe de la fiche-action.")
    for index, row in enumerate(data.indicators):
        path = f"indicators[{index}]"
        if not row.label.strip():
            errors.add(f"{path}.label", "Nommez l'indicateur.")
        if row.unit not in IndicatorUnit.values:
            errors.add(f"{path}.unit", f"Unité inconnue : « {row.unit} ».")
            continue
        check_indicator_value(errors, f"{path}.baseline_value", row.unit, row.baseline_value)
        for year, value in row.year_targets.items():
            check_year(errors, f"{path}.year_targets.{year}", year)
            check_indicator_value(errors, f"{path}.year_targets.{year}", row.unit, value)
    check_budget(errors, data.budget)
    errors.raise_if_any()


ACTION_ATTRIBUTES = (
    "title",
    "axis_id",
    "nature",
    "reinforcement",
    "target_publics",
    "pilot",
    "partners",
    "description",
)


@transaction.atomic
def save_action(
    contract: Contract, data: ActionData, *, action: Action | None = None, expected_version: int | None = None
) -> Action:
    """Create or replace a fiche-action of an editable version with its indicators and budget lines.
    Editing resets both validations (what was validated is no longer what is proposed)."""
    contract = editable_for_update(contract)
    _check_action_data(data)
    if action is None:
        number = (contract.actions.aggregate(last=Max("number"))["last"] or 0) + 1
        action = Action(contract=contract, number=number)
    else:
        claim_version(action, expected_version)
    for name in ACTION_ATTRIBUTES:
        setattr(action, name, getattr(data, name))
    action.save()
    action.measures.set(data.measure_ids)
    _replace_indicators(action, data.indicators)
    _replace_budget(action, data.budget)
    reset_validations(contract)
    return action


def _replace_indicators(action: Action, rows: list[IndicatorRow]) -> None:
    existing = list(action.indicators.order_by("pk"))
    for index, row in enumerate(rows):
        indicator = existing[index] if index < len(existing) else ActionIndicator(action=action)
        indicator.label, indicator.unit = row.label.strip(), row.unit
        indicator.baseline_value, indicator.baseline_year = row.baseline_value, row.baseline_year
        indicator.national_target_id = row.national_target_id
        indicator.save()
        kept = set()
        for year, value in sorted(row.year_targets.items()):
            target, _ = IndicatorYearTarget.objects.get_or_create(
                indicator=indicator, year=year, defaults={"value": value}
            )
            if target.value != value:
                target.value = value
                target.save()
            kept.add(year)
        for target in indicator.year_targets.exclude(year__in=kept):
            target.delete()
    for indicator in existing[len(rows) :]:
        if indicator.report_values.exists():
            raise ValidationError(
                {
                    "indicators": f"L'indicateur « {indicator.label} » a déjà des valeurs rapportées : il ne peut pas être supprimé."
                }
            )
        indicator.delete()


def _replace_budget(action: Action, rows: list[BudgetRow]) -> None:
    wanted = {(row.year, row.funder, _other_name(row)): row.amount for row in rows}
    for line in list(action.budget_lines.all()):
        key = (line.year, line.funder, line.funder_name)
        if key not in wanted:
            line.delete()
        elif line.amount != wanted[key]:
            line.amount = wanted.pop(key)
            line.save()
        else:
            wanted.pop(key)
    for (year, funder, funder_name), amount in wanted.items():
        BudgetLine(action=action, year=year, funder=funder, funder_name=funder_name, amount=amount).save()


@transaction.atomic
def delete_action(action: Action, *, expected_version: int | None = None) -> None:
    contract = editable_for_update(action.contract)
    claim_version(action, expected_version)
    action.delete()
    _renumber(contract)
    reset_validations(contract)


def _renumber(contract: Contract) -> None:
    for number, action in enumerate(contract.actions.order_by("number"), start=1):
        if action.number != number:
            Action.objects.filter(pk=action.pk).update(number=number)
