"""The yearly execution report of a signed convention: opening, the draft (realised values, spending per
funder, assessment), what keeps it from being filed, filing, and the State's review."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from pacte import formatting
from pacte.contracts import budgets
from pacte.contracts.enums import STATE_MAX_SHARE, Funder, report_due_date
from pacte.contracts.models import (
    ActionIndicator,
    Contract,
    Credit,
    ExecutionReport,
    ReportIndicatorValue,
    ReportSpending,
)
from pacte.contracts.services.common import ZERO, check_indicator_value, check_year, current_version
from pacte.core.errors import Errors
from pacte.core.locking import claim_version


@transaction.atomic
def open_report(
    contract: Contract, year: int, *, today: date | None = None, is_demo: bool = False
) -> ExecutionReport:
    """Start the execution report of `year` on the convention (its root), for the version in force."""
    root = contract.root_contract
    today = today or timezone.localdate()
    errors = Errors()
    check_year(errors, "year", year)
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


def _check_report_data(
    report: ExecutionReport, values: dict[int, Decimal | None], spendings: list[SpendingRow]
) -> None:
    indicators = {
        indicator.pk: indicator
        for indicator in ActionIndicator.objects.filter(action__contract=report.version_id)
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
    _check_report_data(report, values, spendings)
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
    spendings = list(report.spendings.all())
    spent = {(row.action_id, row.funder, row.funder_name) for row in spendings}
    by_action = budgets.amounts_by(spendings, lambda row: row.action_id)
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
        amounts = by_action.get(action.pk, budgets.Amounts())
        if amounts.state_above_cap:
            errors.add(
                f"spendings.{action.pk}.{Funder.STATE}",
                f"{label} : l'État aurait payé {formatting.euros(amounts.state)} sur "
                f"{formatting.euros(amounts.total)} dépensés, plus de {formatting.percent(STATE_MAX_SHARE * 100, 0)}.",
            )
    state_spent = budgets.Amounts.of(spendings).state
    credit = Credit.objects.filter(contract=report.contract, year=report.year).first()
    available = credit.notified if credit else ZERO
    if state_spent > available:
        errors.add(
            "spendings",
            f"Les dépenses sur crédits de l'État ({formatting.euros(state_spent)}) dépassent les crédits "
            f"notifiés pour {report.year} ({formatting.euros(available)}).",
        )
    if not report.qualitative_assessment.strip():
        errors.add("qualitative_assessment", "Rédigez le bilan qualitatif de l'année.")
    return dict(errors.messages)


@transaction.atomic
def submit_report(report: ExecutionReport, user, *, now=None) -> ExecutionReport:
    report = ExecutionReport.objects.select_for_update().get(pk=report.pk)
    report.check_editable()
    problems = report_problems(report)
    if problems:
        raise ValidationError(problems)
    report.file(user, now=now)
    return report


@transaction.atomic
def review_report(
    report: ExecutionReport, user, *, validate: bool, comment: str = "", now=None
) -> ExecutionReport:
    """The State validates the filed report, or sends it back with its observations."""
    report = ExecutionReport.objects.select_for_update().get(pk=report.pk)
    report.review(user, validate=validate, comment=comment, now=now)
    return report
