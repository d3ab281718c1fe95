"""Business operations on contracts: fiches-actions with their budgets and indicators, the negotiation and
signature workflow, avenants and their diff, execution reports, State credits and their reallocation.

Every operation that writes runs in one transaction and checks its rules first: a refused operation
raises a `django.core.exceptions.ValidationError` whose message dict names the field (paths such as
`budget[2].amount` or `indicators[0].year_targets.2025` for the rows of a fiche-action) and says why, in
French, and nothing is written. Views and the API call these functions; they never change state themselves.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q, Sum
from django.utils import timezone

from pacte.contracts.enums import (
    COUNT_UNITS,
    PERIOD_END,
    PERIOD_START,
    STATE_MAX_SHARE,
    ActionNature,
    ContractStatus,
    EvaluationStatus,
    Funder,
    IndicatorUnit,
    Reinforcement,
    ReportStatus,
    report_due_date,
)
from pacte.contracts.models import (
    Action,
    BudgetLine,
    Comment,
    Contract,
    ContractLockedError,
    Credit,
    CreditReallocation,
    ExecutionReport,
    Indicator,
    IndicatorYearTarget,
    LocalPact,
    MidTermEvaluation,
    PactPriority,
    ReportIndicatorValue,
    ReportSpending,
)
from pacte.core.errors import Errors
from pacte.core.locking import claim_version
from pacte.programme.models import Axis
from pacte.territories.enums import Level

ZERO = Decimal("0")


def _euros(amount: Decimal) -> str:
    text = f"{amount:,.2f}".replace(",", "\u202f").replace(".", ",")
    return text.removesuffix(",00") + " €"


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f").replace(".", ",")


def _check_year(errors: Errors, path: str, year: int) -> None:
    if not PERIOD_START <= year <= PERIOD_END:
        errors.add(path, f"L'année {year} est hors de la période du contrat ({PERIOD_START}-{PERIOD_END}).")


def check_indicator_value(errors: Errors, path: str, unit: str, value: Decimal | None) -> None:
    """A value must fit its indicator's unit: a whole number for counts, 0 to 100 for a percentage,
    never negative."""
    if value is None:
        return
    if value < 0:
        errors.add(path, "Une valeur d'indicateur ne peut pas être négative.")
    elif unit == IndicatorUnit.PERCENT and value > 100:
        errors.add(path, f"L'indicateur est en pourcentage : {_number(value)} dépasse 100.")
    elif unit in COUNT_UNITS and value != value.to_integral_value():
        label = IndicatorUnit(unit).label
        errors.add(path, f"L'indicateur se compte en {label} : {_number(value)} n'est pas un nombre entier.")


# --- Fiches-actions ----------------------------------------------------------------------------------


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


def check_budget(errors: Errors, rows: list[BudgetRow], prefix: str = "budget") -> None:
    """Amounts are positive, each funder appears once a year, an "other" funder is named, and the State
    funds at most 50 % of the action each year."""
    seen: set[tuple[int, str, str]] = set()
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    state: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for index, row in enumerate(rows):
        path = f"{prefix}[{index}]"
        _check_year(errors, f"{path}.year", row.year)
        if row.funder not in Funder.values:
            errors.add(f"{path}.funder", f"Financeur inconnu : « {row.funder} ».")
            continue
        if row.amount is None or row.amount < 0:
            errors.add(f"{path}.amount", "Un montant ne peut pas être négatif.")
            continue
        if row.funder == Funder.OTHER and not row.funder_name.strip():
            errors.add(f"{path}.funder_name", "Nommez l'autre cofinanceur (CAF, ARS, France Travail…).")
        key = (row.year, row.funder, row.funder_name.strip() if row.funder == Funder.OTHER else "")
        if key in seen:
            errors.add(f"{path}.funder", f"Ce financeur figure deux fois pour {row.year}.")
        seen.add(key)
        totals[row.year] += row.amount
        if row.funder == Funder.STATE:
            state[row.year] += row.amount
    for year, state_amount in sorted(state.items()):
        if state_amount > totals[year] * STATE_MAX_SHARE:
            share = (
                (state_amount / totals[year] * 100).quantize(Decimal("0.1")) if totals[year] else Decimal(100)
            )
            errors.add(
                f"{prefix}.{year}",
                f"En {year}, l'État financerait {_number(share)} % de l'action ({_euros(state_amount)} sur "
                f"{_euros(totals[year])}) : sa part ne peut pas dépasser 50 %.",
            )


def _check_action_data(contract: Contract, data: ActionData) -> None:
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
            _check_year(errors, f"{path}.year_targets.{year}", year)
            check_indicator_value(errors, f"{path}.year_targets.{year}", row.unit, value)
    check_budget(errors, data.budget)
    errors.raise_if_any()


@transaction.atomic
def save_action(
    contract: Contract, data: ActionData, *, action: Action | None = None, expected_version: int | None = None
) -> Action:
    """Create or replace a fiche-action of an editable version with its indicators and budget lines.
    Editing resets both validations (what was validated is no longer what is proposed)."""
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if not contract.is_editable:
        raise ContractLockedError(contract)
    _check_action_data(contract, data)
    if action is None:
        number = (contract.actions.aggregate(last=Max("number"))["last"] or 0) + 1
        action = Action(contract=contract, number=number)
    else:
        claim_version(action, expected_version)
    for name in (
        "title",
        "axis_id",
        "nature",
        "reinforcement",
        "target_publics",
        "pilot",
        "partners",
        "description",
    ):
        setattr(action, name, getattr(data, name))
    action.save()
    action.measures.set(data.measure_ids)
    _replace_indicators(action, data.indicators)
    _replace_budget(action, data.budget)
    _reset_validations(contract)
    return action


def _replace_indicators(action: Action, rows: list[IndicatorRow]) -> None:
    existing = list(action.indicators.order_by("pk"))
    for index, row in enumerate(rows):
        indicator = existing[index] if index < len(existing) else Indicator(action=action)
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
    wanted = {
        (row.year, row.funder, row.funder_name.strip() if row.funder == Funder.OTHER else ""): row.amount
        for row in rows
    }
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
    contract = Contract.objects.select_for_update().get(pk=action.contract_id)
    if not contract.is_editable:
        raise ContractLockedError(contract)
    claim_version(action, expected_version)
    action.delete()
    _renumber(contract)
    _reset_validations(contract)


def _renumber(contract: Contract) -> None:
    for number, action in enumerate(contract.actions.order_by("number"), start=1):
        if action.number != number:
            Action.objects.filter(pk=action.pk).update(number=number)


def _reset_validations(contract: Contract) -> None:
    if contract.state_validated_at or contract.local_validated_at:
        contract.state_validated_at = contract.local_validated_at = None
        contract.state_validated_by = contract.local_validated_by = None
        contract.save(
            update_fields=[
                "state_validated_at",
                "local_validated_at",
                "state_validated_by",
                "local_validated_by",
                "updated_at",
            ]
        )


# --- Contracts and their workflow ---------------------------------------------------------------------


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
        errors.add(
            "annual_state_ceiling", "Le plafond annuel des crédits de l'État ne peut pas être négatif."
        )
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
    contract = Contract.objects.select_for_update().get(pk=contract.pk)
    if not contract.is_editable:
        raise ContractLockedError(contract)
    errors = Errors()
    ceiling = fields.get("annual_state_ceiling", contract.annual_state_ceiling)
    if ceiling is None or ceiling < 0:
        errors.add(
            "annual_state_ceiling", "Le plafond annuel des crédits de l'État ne peut pas être négatif."
        )
    if "title" in fields and not str(fields["title"]).strip():
        errors.add("title", "Ce champ est obligatoire.")
    errors.raise_if_any()
    claim_version(contract, expected_version)
    for name, value in fields.items():
        setattr(contract, name, value)
    contract.save()
    _reset_validations(contract)
    return contract


def readiness_problems(contract: Contract) -> dict[str, list[str]]:
    """What prevents validating a version: no action, an action without indicators, a year without target
    or without budget, the State credits of a year above the annual ceiling, a métropole without an action
    on each axis."""
    errors = Errors()
    actions = list(contract.actions.prefetch_related("indicators__year_targets", "budget_lines"))
    if not actions:
        errors.add("actions", "Le contrat ne compte aucune fiche-action.")
    state_by_year: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for action in actions:
        label = f"Fiche-action n°{action.number}"
        indicators = list(action.indicators.all())
        if not indicators:
            errors.add(f"actions.{action.number}", f"{label} : ajoutez au moins un indicateur chiffré.")
        for indicator in indicators:
            missing = sorted(set(contract.years) - {target.year for target in indicator.year_targets.all()})
            if missing:
                years = ", ".join(map(str, missing))
                errors.add(
                    f"actions.{action.number}",
                    f"{label} : l'indicateur « {indicator.label} » n'a pas de cible pour {years}.",
                )
        lines = list(action.budget_lines.all())
        years_with_budget = {line.year for line in lines}
        missing_years = sorted(set(contract.years) - years_with_budget)
        if missing_years:
            errors.add(
                f"actions.{action.number}",
                f"{label} : aucun budget pour {', '.join(map(str, missing_years))}.",
            )
        for line in lines:
            if line.funder == Funder.STATE:
                state_by_year[line.year] += line.amount
    for year, amount in sorted(state_by_year.items()):
        if amount > contract.annual_state_ceiling:
            errors.add(
                "annual_state_ceiling",
                f"En {year}, les crédits de l'État demandés ({_euros(amount)}) dépassent le plafond annuel "
                f"({_euros(contract.annual_state_ceiling)}).",
            )
    if contract.territory.is_metropole:
        covered = {action.axis_id for action in actions if list(action.indicators.all())}
        for axis in Axis.objects.exclude(pk__in=covered).order_by("number"):
            errors.add(
                "actions",
                f"Un contrat de métropole compte au moins une action chiffrée par axe : rien sur l'axe {axis.number}.",
            )
    return dict(errors.messages)


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
    """`side` is "state" or "local". When both sides have validated, the version is ready to be signed."""
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
    _reset_validations(contract)
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


# --- Avenants -----------------------------------------------------------------------------------------


def current_version(root: Contract) -> Contract | None:
    """The signed version in force of a convention."""
    return (
        Contract.objects.filter(Q(pk=root.pk) | Q(root=root), status=ContractStatus.SIGNED)
        .order_by("-amendment_number")
        .first()
    )


@transaction.atomic
def create_amendment(contract: Contract, user, *, reason: str) -> Contract:
    """Open an avenant on the signed version in force: a new draft version holding a copy of its content."""
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
        save_action(
            amendment,
            ActionData(
                title=action.title,
                axis_id=action.axis_id,
                nature=action.nature,
                reinforcement=action.reinforcement,
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
                        year_targets={target.year: target.value for target in indicator.year_targets.all()},
                    )
                    for indicator in action.indicators.all()
                ],
                budget=[
                    BudgetRow(
                        year=line.year, funder=line.funder, funder_name=line.funder_name, amount=line.amount
                    )
                    for line in action.budget_lines.all()
                ],
            ),
        )
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
                **{f"cible {target.year}": target.value for target in indicator.year_targets.all()},
            }
            for indicator in action.indicators.all()
        },
        "budget": {f"{line.year} – {line.funder_label}": line.amount for line in action.budget_lines.all()},
    }


def _contract_snapshot(contract: Contract) -> dict:
    actions = contract.actions.select_related("axis").prefetch_related(
        "measures", "indicators__year_targets", "budget_lines"
    )
    return {action.title: _action_snapshot(action) for action in actions}


def _fmt(value) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f").replace(".", ",")
    return str(value) if value not in (None, "") else "–"


def contract_diff(old: Contract, new: Contract) -> list[Change]:
    """What an avenant changes compared with the version it amends (fiches-actions are matched by title)."""
    changes: list[Change] = []
    if old.annual_state_ceiling != new.annual_state_ceiling:
        changes.append(
            Change(
                "Contrat",
                "plafond annuel des crédits de l'État",
                _euros(old.annual_state_ceiling),
                _euros(new.annual_state_ceiling),
            )
        )
    before, after = _contract_snapshot(old), _contract_snapshot(new)
    for title in before.keys() - after.keys():
        changes.append(Change(f"Fiche-action « {title} »", "fiche-action retirée"))
    for title in after.keys() - before.keys():
        changes.append(Change(f"Fiche-action « {title} »", "fiche-action ajoutée"))
    for title in sorted(before.keys() & after.keys()):
        a, b, where = before[title], after[title], f"Fiche-action « {title} »"
        for name, label in ACTION_FIELDS.items():
            if a["fields"][name] != b["fields"][name]:
                changes.append(Change(where, label, _fmt(a["fields"][name]), _fmt(b["fields"][name])))
        if a["measures"] != b["measures"]:
            changes.append(
                Change(where, "mesures du Pacte", ", ".join(a["measures"]), ", ".join(b["measures"]))
            )
        for section, label in (("indicators", "indicateur"), ("budget", "budget")):
            for key in sorted(a[section].keys() | b[section].keys()):
                old_value, new_value = a[section].get(key), b[section].get(key)
                if old_value != new_value:
                    if isinstance(old_value, dict) or isinstance(new_value, dict):
                        for sub in sorted((old_value or {}).keys() | (new_value or {}).keys()):
                            left, right = (old_value or {}).get(sub), (new_value or {}).get(sub)
                            if left != right:
                                changes.append(
                                    Change(where, f"{label} « {key} », {sub}", _fmt(left), _fmt(right))
                                )
                    else:
                        changes.append(Change(where, f"{label} {key}", _fmt(old_value), _fmt(new_value)))
    return changes


# --- Execution reports --------------------------------------------------------------------------------


@transaction.atomic
def open_report(
    contract: Contract, year: int, *, today: date | None = None, is_demo: bool = False
) -> ExecutionReport:
    """Start the execution report of `year` on the convention (its root), for the version in force."""
    root = contract.root_contract
    today = today or timezone.localdate()
    errors = Errors()
    _check_year(errors, "year", year)
    if year > today.year:
        errors.add(
            "year", f"L'année {year} n'est pas commencée : son rapport ne peut pas encore être ouvert."
        )
    version = current_version(root)
    if version is None:
        errors.add("contract", "Le contrat n'est pas signé : il n'y a rien à rapporter.")
    if ExecutionReport.objects.filter(contract=root, year=year).exists():
        errors.add("year", f"Le rapport d'exécution {year} existe déjà.")
    errors.raise_if_any()
    return ExecutionReport.objects.create(
        contract=root, version=version, year=year, due_on=report_due_date(year), is_demo=is_demo
    )


@dataclass
class SpendingRow:
    action_id: int
    funder: str
    amount: Decimal
    funder_name: str = ""


@transaction.atomic
def save_report(
    report: ExecutionReport,
    *,
    qualitative_assessment: str,
    values: dict[int, Decimal | None],
    spendings: list[SpendingRow],
    expected_version: int | None = None,
) -> ExecutionReport:
    """Save the draft of a report: realised indicator values, amounts spent per funder, assessment."""
    report = ExecutionReport.objects.select_for_update().get(pk=report.pk)
    if not report.is_editable:
        raise ValidationError(
            {"status": "Ce rapport est déposé : il ne peut plus être modifié, sauf s'il est renvoyé."}
        )
    indicators = {
        indicator.pk: indicator for indicator in Indicator.objects.filter(action__contract=report.version_id)
    }
    actions = set(report.version.actions.values_list("pk", flat=True))
    errors = Errors()
    for indicator_id, value in values.items():
        indicator = indicators.get(indicator_id)
        if indicator is None:
            errors.add(
                f"values.{indicator_id}", "Cet indicateur n'appartient pas à la version rapportée du contrat."
            )
            continue
        check_indicator_value(errors, f"values.{indicator_id}", indicator.unit, value)
    for index, row in enumerate(spendings):
        path = f"spendings[{index}]"
        if row.action_id not in actions:
            errors.add(
                f"{path}.action", "Cette fiche-action n'appartient pas à la version rapportée du contrat."
            )
        if row.funder not in Funder.values:
            errors.add(f"{path}.funder", f"Financeur inconnu : « {row.funder} ».")
        if row.amount is None or row.amount < 0:
            errors.add(f"{path}.amount", "Un montant ne peut pas être négatif.")
    errors.raise_if_any()
    claim_version(report, expected_version)
    report.qualitative_assessment = qualitative_assessment
    report.save()
    for indicator_id, value in values.items():
        if value is None:
            ReportIndicatorValue.objects.filter(report=report, indicator_id=indicator_id).delete()
            continue
        existing = ReportIndicatorValue.objects.filter(report=report, indicator_id=indicator_id).first()
        if existing is None:
            ReportIndicatorValue.objects.create(report=report, indicator_id=indicator_id, value=value)
        elif existing.value != value:
            existing.value = value
            existing.save()
    for row in spendings:
        name = row.funder_name.strip() if row.funder == Funder.OTHER else ""
        existing = ReportSpending.objects.filter(
            report=report, action_id=row.action_id, funder=row.funder, funder_name=name
        ).first()
        if existing is None:
            ReportSpending.objects.create(
                report=report, action_id=row.action_id, funder=row.funder, funder_name=name, amount=row.amount
            )
        elif existing.amount != row.amount:
            existing.amount = row.amount
            existing.save()
    return report


def report_problems(report: ExecutionReport) -> dict[str, list[str]]:
    """What keeps a report from being filed: an indicator without value, a budget line of the year without
    its spending, the State paying more than half of an action, State spending above the notified credits."""
    errors = Errors()
    values = dict(report.indicator_values.values_list("indicator_id", "value"))
    spent = {(row.action_id, row.funder, row.funder_name): row.amount for row in report.spendings.all()}
    actions = report.version.actions.prefetch_related("indicators", "budget_lines").order_by("number")
    for action in actions:
        label = f"Fiche-action n°{action.number}"
        for indicator in action.indicators.all():
            if indicator.pk not in values:
                errors.add(
                    f"values.{indicator.pk}",
                    f"{label} : indiquez la valeur réalisée de « {indicator.label} ».",
                )
        for line in action.budget_lines.all():
            if line.year == report.year and (action.pk, line.funder, line.funder_name) not in spent:
                errors.add(
                    f"spendings.{action.pk}.{line.funder}",
                    f"{label} : indiquez le montant dépensé par {line.funder_label} (même nul).",
                )
        action_spent = {key: amount for key, amount in spent.items() if key[0] == action.pk}
        total = sum(action_spent.values(), ZERO)
        state = sum((amount for key, amount in action_spent.items() if key[1] == Funder.STATE), ZERO)
        if state > total * STATE_MAX_SHARE:
            errors.add(
                f"spendings.{action.pk}.{Funder.STATE}",
                f"{label} : l'État aurait payé {_euros(state)} sur {_euros(total)} dépensés, plus de 50 %.",
            )
    state_spent = sum((amount for key, amount in spent.items() if key[1] == Funder.STATE), ZERO)
    credit = Credit.objects.filter(contract=report.contract, year=report.year).first()
    available = credit.notified if credit else ZERO
    if state_spent > available:
        errors.add(
            "spendings",
            f"Les dépenses sur crédits de l'État ({_euros(state_spent)}) dépassent les crédits notifiés pour "
            f"{report.year} ({_euros(available)}).",
        )
    if not report.qualitative_assessment.strip():
        errors.add("qualitative_assessment", "Rédigez le bilan qualitatif de l'année.")
    return dict(errors.messages)


@transaction.atomic
def submit_report(report: ExecutionReport, user, *, now=None) -> ExecutionReport:
    report = ExecutionReport.objects.select_for_update().get(pk=report.pk)
    if not report.is_editable:
        raise ValidationError({"status": "Ce rapport est déjà déposé."})
    problems = report_problems(report)
    if problems:
        raise ValidationError(problems)
    report.status = ReportStatus.SUBMITTED
    report.submitted_at = now or timezone.now()
    report.submitted_by = user
    report.save()
    return report


@transaction.atomic
def review_report(
    report: ExecutionReport, user, *, validate: bool, comment: str = "", now=None
) -> ExecutionReport:
    """The State validates the filed report, or sends it back with its observations."""
    report = ExecutionReport.objects.select_for_update().get(pk=report.pk)
    if report.status != ReportStatus.SUBMITTED:
        raise ValidationError({"status": "Seul un rapport déposé peut être validé ou renvoyé."})
    if not validate and not comment.strip():
        raise ValidationError(
            {"review_comment": "Expliquez ce qui doit être corrigé avant de renvoyer le rapport."}
        )
    report.status = ReportStatus.VALIDATED if validate else ReportStatus.SENT_BACK
    report.review_comment = comment.strip()
    report.reviewed_at, report.reviewed_by = now or timezone.now(), user
    report.save()
    return report


# --- State credits --------------------------------------------------------------------------------------


def effective_ceiling(contract: Contract, year: int) -> Decimal:
    """The annual ceiling of the version in force, plus credits reallocated to it, minus credits moved away."""
    root = contract.root_contract
    version = current_version(root) or root
    moved_in = root.reallocations_in.filter(year=year).aggregate(total=Sum("amount"))["total"] or ZERO
    moved_out = root.reallocations_out.filter(year=year).aggregate(total=Sum("amount"))["total"] or ZERO
    return version.annual_state_ceiling + moved_in - moved_out


@transaction.atomic
def record_credit(
    contract: Contract,
    year: int,
    *,
    notified: Decimal,
    committed: Decimal,
    paid: Decimal,
    notified_on: date | None = None,
    committed_on: date | None = None,
    paid_on: date | None = None,
    expected_version: int | None = None,
) -> Credit:
    """Record the State credits of a year: committed ≤ notified ≤ ceiling, paid ≤ committed, and a
    payment for a year after the first needs the previous year's report validated."""
    root = Contract.objects.select_for_update().get(pk=contract.root_contract.pk)
    errors = Errors()
    _check_year(errors, "year", year)
    if current_version(root) is None:
        errors.add("contract", "Les crédits se notifient sur un contrat signé.")
    for name, value in (("notified", notified), ("committed", committed), ("paid", paid)):
        if value is None or value < 0:
            errors.add(name, "Un montant ne peut pas être négatif.")
    errors.raise_if_any()
    ceiling = effective_ceiling(root, year)
    if notified > ceiling:
        errors.add("notified", f"Les crédits notifiés dépassent le plafond de {year} ({_euros(ceiling)}).")
    if committed > notified:
        errors.add("committed", "Les crédits engagés ne peuvent pas dépasser les crédits notifiés.")
    if paid > committed:
        errors.add("paid", "Les crédits versés ne peuvent pas dépasser les crédits engagés.")
    for name, amount, day in (
        ("notified_on", notified, notified_on),
        ("committed_on", committed, committed_on),
        ("paid_on", paid, paid_on),
    ):
        if amount and day is None:
            errors.add(name, "Indiquez la date.")
    if paid and year > root.period_start:
        previous = ExecutionReport.objects.filter(contract=root, year=year - 1, status=ReportStatus.VALIDATED)
        if not previous.exists():
            errors.add(
                "paid",
                f"Le versement des crédits {year} suppose le rapport d'exécution {year - 1} validé.",
            )
    errors.raise_if_any()
    credit = Credit.objects.filter(contract=root, year=year).first()
    if credit is None:
        credit = Credit(contract=root, year=year)
    else:
        claim_version(credit, expected_version)
    credit.notified, credit.committed, credit.paid = notified, committed, paid
    credit.notified_on, credit.committed_on, credit.paid_on = notified_on, committed_on, paid_on
    credit.save()
    return credit


@transaction.atomic
def reallocate_credits(
    from_contract: Contract, to_contract: Contract, year: int, *, amount: Decimal, reason: str, user
) -> CreditReallocation:
    """Move credits of a year that one convention will not commit to another convention of the same région."""
    source = Contract.objects.select_for_update().get(pk=from_contract.root_contract.pk)
    target = to_contract.root_contract
    errors = Errors()
    _check_year(errors, "year", year)
    if source.pk == target.pk:
        errors.add("to_contract", "Choisissez un autre contrat que celui d'origine.")
    if source.territory.region_id != target.territory.region_id:
        errors.add("to_contract", "Les crédits se réallouent entre contrats d'une même région.")
    if amount is None or amount <= 0:
        errors.add("amount", "Le montant réalloué doit être positif.")
    if not (reason or "").strip():
        errors.add("reason", "Indiquez le motif de la réallocation.")
    errors.raise_if_any()
    committed = (
        Credit.objects.filter(contract=source, year=year).values_list("committed", flat=True).first() or ZERO
    )
    available = effective_ceiling(source, year) - committed
    if amount > available:
        errors.add(
            "amount",
            f"Seuls {_euros(available)} de crédits {year} ne sont pas engagés sur le contrat d'origine.",
        )
    errors.raise_if_any()
    return CreditReallocation.objects.create(
        year=year,
        from_contract=source,
        to_contract=target,
        amount=amount,
        reason=reason.strip(),
        decided_by=user,
    )


# --- Mid-term evaluation ----------------------------------------------------------------------------------


@transaction.atomic
def save_evaluation(
    contract: Contract, user, *, findings: str, recommendations: str, submit: bool = False, now=None
) -> MidTermEvaluation:
    root = contract.root_contract
    if current_version(root) is None:
        raise ValidationError({"contract": "L'évaluation à mi-parcours porte sur un contrat signé."})
    evaluation, _ = MidTermEvaluation.objects.get_or_create(contract=root)
    if evaluation.status == EvaluationStatus.SUBMITTED:
        raise ValidationError({"status": "L'évaluation à mi-parcours est déjà remise."})
    errors = Errors()
    if submit and not findings.strip():
        errors.add("findings", "Rédigez les principaux enseignements avant de remettre l'évaluation.")
    errors.raise_if_any()
    evaluation.findings, evaluation.recommendations = findings.strip(), recommendations.strip()
    if submit:
        evaluation.status = EvaluationStatus.SUBMITTED
        evaluation.submitted_at, evaluation.submitted_by = now or timezone.now(), user
    evaluation.save()
    return evaluation


# --- Local pacts -----------------------------------------------------------------------------------------


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
