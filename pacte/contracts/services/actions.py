"""Fiches-actions of an editable contract version, with their indicators and their budget lines.

The rules a fiche-action is saved under (each refusal names its field: `axis`, `measures`, `volet`,
`budget[i].amount`, `indicators[i].national_target`, `indicators[i].year_targets.2025`…):
- **its kind's axes, volets and years, contractable measures only** (`pacte.contracts.kinds`, with their sources):
  an action kept on an axis its kind no longer allows stays (it is listed on the compliance page), a new one or
  an axis change is refused;
- **parity** each year where it applies (`budgets`: the rule and its sources; `kinds.parity_applies`);
- **a reinforced action shows its reinforcement**: « Le renforcement d'une action signifie l'augmentation de la
  file active, ou la couverture de nouveaux publics ou de nouvelles zones géographiques. » (ministère des
  Solidarités, « Pactes et contrats locaux des solidarités : foire aux questions »,
  https://solidarites.gouv.fr/node/2143, grade A): one of its indicators is marked as measuring the
  reinforcement, with its baseline (value and year: the caseload, publics or areas covered before) and a target
  above it each year; a new action (« non précédemment mises en œuvre par la collectivité », same FAQ) has none;
- **an indicator adds up to a national target of the same unit** (`unit_problem`): the consolidation sums the
  indicators' targets up to the référentiel's (docs/contrats.md, « Consolidation »).

Existing rows that break a rule added since they were saved stay as they are (`copy_action` copies them into an
avenant unchanged) and show on the compliance page (`pacte.contracts.compliance`).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from pacte import formatting
from pacte.contracts import kinds
from pacte.contracts.budgets import Amounts, parity_message
from pacte.contracts.enums import ActionNature, Funder, IndicatorUnit, Reinforcement
from pacte.contracts.models import Action, ActionIndicator, BudgetLine, Contract, IndicatorYearTarget
from pacte.contracts.services.common import (
    check_indicator_value,
    check_years,
    editable_for_update,
    reset_validations,
)
from pacte.core.errors import Errors
from pacte.core.locking import claim_version
from pacte.programme.models import Axis, Measure, Target


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
    is_reinforcement: bool = False


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
    volet: str = ""
    partners: str = ""
    indicators: list[IndicatorRow] = field(default_factory=list)
    budget: list[BudgetRow] = field(default_factory=list)


def action_under_parity(action: Action) -> bool:
    """Whether the parity rule applies to the action: every part but the France Travail one (`kinds`)."""
    return kinds.parity_applies(action.contract.kind, action.axis.number)


def _other_name(row) -> str:
    """The name that tells co-funders apart: only an "other" funder has one."""
    return row.funder_name.strip() if row.funder == Funder.OTHER else ""


def check_budget(
    errors: Errors,
    rows: list[BudgetRow],
    prefix: str = "budget",
    *,
    parity: bool = True,
    years: tuple[int, ...] | None = None,
) -> None:
    """Amounts are positive, each funder appears once a year (one of `years`, the contracts' period by
    default), an "other" funder is named, and, with `parity`, the State puts in no more than the collectivité
    each year (`budgets`: the rule and its sources); the refusal names the State's cell of the year
    (`budget[i].amount`)."""
    seen: set[tuple[int, str, str]] = set()
    splits: dict[int, Amounts] = {}
    state_rows: dict[int, int] = {}
    for index, row in enumerate(rows):
        path = f"{prefix}[{index}]"
        check_years(errors, f"{path}.year", row.year, years)
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
        splits.setdefault(row.year, Amounts()).add(row.funder, row.amount)
        if row.funder == Funder.STATE:
            state_rows.setdefault(row.year, index)
    if not parity:
        return
    for year, amounts in sorted(splits.items()):
        if amounts.breaks_parity:
            errors.add(f"{prefix}[{state_rows[year]}].amount", parity_message(amounts, year))


def _check_action_data(contract: Contract, data: ActionData, action: Action | None) -> None:
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
    kind = contract.kind
    axis = Axis.objects.filter(pk=data.axis_id).first()
    years, parity = tuple(contract.years), True
    if axis is None:
        errors.add("axis", "Axe inconnu.")
    else:
        _check_axis_and_measures(errors, kind, axis, data, action)
        problem = kinds.volet_problem(kind, axis.number, data.volet)
        if problem:
            errors.add("volet", problem)
        years = kinds.action_years(kind, axis.number, "" if problem else data.volet)
        parity = kinds.parity_applies(kind, axis.number)
    kept_targets = (
        set() if action is None else {i.national_target_id for i in action.indicators.all()} - {None}
    )
    _check_indicators(errors, data, years, kept_targets)
    check_budget(errors, data.budget, parity=parity, years=years)
    errors.raise_if_any()


def _check_axis_and_measures(errors: Errors, kind: str, axis: Axis, data: ActionData, action) -> None:
    """The axis is one of the kind's (checked on a new action or an axis change: an action kept on its axis
    stays, listed on the compliance page); each measure is on the axis and contractable for the kind."""
    axis_kept = action is not None and action.axis_id == axis.pk
    problem = kinds.axis_problem(kind, axis.number)
    if problem and not axis_kept:
        errors.add("axis", problem)
    if not data.measure_ids:
        return
    measures = list(Measure.objects.filter(pk__in=set(data.measure_ids)).order_by("order", "code"))
    if len(measures) != len(set(data.measure_ids)) or any(m.axis_id != axis.pk for m in measures):
        errors.add("measures", "Les mesures choisies doivent appartenir à l'axe de la fiche-action.")
        return
    if problem:  # an action kept on an axis the kind no longer allows: its axis is the thing to correct
        return
    for measure in measures:
        refusal = kinds.measure_problem(kind, measure, axis.number)
        if refusal:
            errors.add("measures", refusal)


def _check_indicators(
    errors: Errors, data: ActionData, years: tuple[int, ...], kept_targets: set[int]
) -> None:
    """Each indicator's label, unit and values; a link to the référentiel goes to a national target of the same
    unit (a reform in force, a parameter, a reference value or a withdrawn row is not one: a link the action
    already had is kept, as the loader keeps the row)."""
    targets = Target.objects.in_bulk({row.national_target_id for row in data.indicators} - {None})
    for index, row in enumerate(data.indicators):
        path = f"indicators[{index}]"
        if not row.label.strip():
            errors.add(f"{path}.label", "Nommez l'indicateur.")
        if row.unit not in IndicatorUnit.values:
            errors.add(f"{path}.unit", f"Unité inconnue : « {row.unit} ».")
            continue
        check_indicator_value(errors, f"{path}.baseline_value", row.unit, row.baseline_value)
        for year, value in row.year_targets.items():
            check_years(errors, f"{path}.year_targets.{year}", year, years)
            check_indicator_value(errors, f"{path}.year_targets.{year}", row.unit, value)
        if row.national_target_id is not None:
            target = targets.get(row.national_target_id)
            if target is None:
                problem = "Cible nationale inconnue."
            elif not target.is_national_target and target.pk not in kept_targets:
                problem = f"« {target.label} » n'est pas une cible nationale ({target.get_kind_display()}) : ne la rattachez pas."
            else:
                problem = unit_problem(row.unit, target)
            if problem:
                errors.add(f"{path}.national_target", problem)
    _check_reinforcement(errors, data)


def _check_reinforcement(errors: Errors, data: ActionData) -> None:
    """A reinforced action has a reinforcement indicator (its caseload, publics or areas) with a baseline and,
    each year, a target above it; a new action has none (the FAQ's definition, in the module's docstring)."""
    marked = [index for index, row in enumerate(data.indicators) if row.is_reinforcement]
    if data.nature != ActionNature.REINFORCED:
        for index in marked:
            errors.add(
                f"indicators[{index}].is_reinforcement",
                "Seule une action renforcée a un indicateur du renforcement.",
            )
        return
    if not marked:
        errors.add("indicators", REINFORCEMENT_NEEDED)
        return
    for index in marked:
        row = data.indicators[index]
        for name, message in reinforcement_problems(row.baseline_value, row.baseline_year, row.year_targets):
            errors.add(f"indicators[{index}].{name}", message)


REINFORCEMENT_NEEDED = (
    "Une action renforcée mesure son renforcement : cochez « mesure le renforcement » sur l'indicateur de la file "
    "active, des publics ou des zones couverts, avec sa valeur de départ (avant le renforcement) et une cible "
    "au-dessus chaque année."
)


def reinforcement_problems(
    baseline: Decimal | None, baseline_year: int | None, year_targets: dict[int, Decimal | None]
) -> list[tuple[str, str]]:
    """What keeps a reinforcement indicator from showing a reinforcement: (field, French message) pairs."""
    if baseline is None:
        return [
            (
                "baseline_value",
                "Indiquez la valeur de départ, avant le renforcement : la file active, les publics ou les zones "
                "déjà couverts.",
            )
        ]
    problems = []
    if baseline_year is None:
        problems.append(("baseline_year", "Indiquez l'année de la valeur de départ."))
    for year, value in sorted(year_targets.items()):
        if value is not None and value <= baseline:
            problems.append(
                (
                    f"year_targets.{year}",
                    f"La cible {year} ({formatting.number(value)}) doit dépasser la valeur de départ "
                    f"({formatting.number(baseline)}) : un renforcement augmente la file active, les publics ou "
                    "les zones couverts.",
                )
            )
    return problems


# --- An indicator and the national target it adds up to ----------------------------------------------------

# Units of the référentiel that are rates or ratios, not amounts a local indicator adds up to.
_NOT_ADDITIVE = {"coefficient multiplicateur", "ans", "points"}


def national_unit(target_unit: str) -> IndicatorUnit | None:
    """The indicator unit that adds up to a national target counted in `target_unit` (the référentiel's free
    text): the same unit (« personnes par an » is counted in personnes each year), « nombre » for a count the
    indicators have no unit of their own for (crèches, centres sociaux…), None for a rate (« € par repas »,
    « heure par semaine », « coefficient multiplicateur »…), which no local indicator adds up to."""
    text = target_unit.strip().lower()
    if text == "%":
        return IndicatorUnit.PERCENT
    if text == "€":
        return IndicatorUnit.EUROS
    counted = text.removesuffix(" par an")
    if "€" in text or " par " in counted or counted in _NOT_ADDITIVE:
        return None
    for unit in IndicatorUnit:
        if unit.label == counted:
            return unit
    return IndicatorUnit.COUNT


def unit_problem(unit: str, target) -> str | None:
    """Why an indicator in `unit` cannot be linked to the national target `target` (None: it can): the
    consolidation adds each indicator's targets up to the national target, so both count the same thing."""
    expected = national_unit(target.unit)
    if expected is None:
        return (
            f"La cible nationale « {target.label} » s'exprime en {target.unit} : aucun indicateur local ne "
            "s'y additionne ; ne la rattachez pas."
        )
    if unit == expected:
        return None
    label = IndicatorUnit(unit).label if unit in IndicatorUnit.values else unit
    return (
        f"La cible nationale « {target.label} » se compte en {target.unit} : l'indicateur doit être en "
        f"« {expected.label} » pour s'y additionner, pas en « {label} »."
    )


ACTION_ATTRIBUTES = (
    "title",
    "axis_id",
    "nature",
    "reinforcement",
    "volet",
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
    _check_action_data(contract, data, action)
    if action is not None:
        claim_version(action, expected_version)
    return _write_action(contract, data, action)


def action_data_of(action: Action) -> ActionData:
    """A fiche-action as the data that recreates it (prefetch its measures, indicators with their yearly targets,
    and budget lines)."""
    return ActionData(
        title=action.title,
        axis_id=action.axis_id,
        nature=action.nature,
        reinforcement=action.reinforcement,
        volet=action.volet,
        target_publics=action.target_publics,
        pilot=action.pilot,
        partners=action.partners,
        description=action.description,
        measure_ids=[measure.pk for measure in action.measures.all()],
        indicators=[
            IndicatorRow(
                label=indicator.label,
                unit=indicator.unit,
                baseline_value=indicator.baseline_value,
                baseline_year=indicator.baseline_year,
                national_target_id=indicator.national_target_id,
                is_reinforcement=indicator.is_reinforcement,
                year_targets={target.year: target.value for target in indicator.year_targets.all()},
            )
            for indicator in action.indicators.all()
        ],
        budget=[
            BudgetRow(year=line.year, funder=line.funder, funder_name=line.funder_name, amount=line.amount)
            for line in action.budget_lines.all()
        ],
    )


@transaction.atomic
def copy_action(contract: Contract, data: ActionData) -> Action:
    """A fiche-action copied as it is into a new version (an avenant): the rules added since the copied version
    was signed are not applied, so that nothing is changed silently; what breaks them shows on the compliance
    page until the avenant corrects it."""
    return _write_action(editable_for_update(contract), data, None)


def _write_action(contract: Contract, data: ActionData, action: Action | None) -> Action:
    if action is None:
        number = (contract.actions.aggregate(last=Max("number"))["last"] or 0) + 1
        action = Action(contract=contract, number=number)
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
        indicator.is_reinforcement = row.is_reinforcement
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
