"""The yearly execution report of a signed convention: the campaign that sets its due date, opening, the draft
(realised values, spending per funder, assessment), what keeps it from being filed, filing, and the State's review.

The rules (docs/contrats.md, « Rapports d'exécution »):
- **Year N is reported from 1 January N+1**: the report of a year opens once the year is over.
- **The due date is set by national steering, campaign by campaign** (`ReportCampaign`): no public text gives it
  (searched: the ministry's FAQ « Pactes et contrats locaux des solidarités », https://solidarites.gouv.fr/node/2143,
  whose stored copy stops after its opening; the instructions of 27 October and 23 November 2023 are not published
  where the platform could read them), so the platform says « fixée par le pilotage national » and shows no date
  until one is set. Setting or moving the date carries it to every report of the year.
- **A convention signed in year N reports from year N** (never for the years before its signature): the
  contracts start « rétroactif le cas échéant – au 1er janvier 2024 » when signed by the end of March 2024
  (instruction n° DGCS/SD1B/2023/168 du 27 octobre 2023, cited by Juris éditions, 5 December 2023,
  https://www.juriseditions.fr/politique-publique/le-pacte-des-solidarites-se-precise/3861/), and contracts
  signed « au 3ème trimestre 2024 » run « une période de quatre ans » (préfecture de région Normandie, updated
  30 January 2025, https://www.prefectures-regions.gouv.fr/normandie/Region-et-institutions/Action-de-l-Etat/Lutte-contre-la-pauvrete/Contrats-locaux-de-solidarite):
  a convention signed in 2024 reports for 2024, one signed in 2025 from 2025.
- **Parity on what was spent** as on what was budgeted (`budgets.Amounts.breaks_parity`), for the actions under
  parity (`kinds.parity_applies`), and the State's spending within the credits notified for the year: until the
  State has notified them, the report waits on them (`credit_wait`), which both parties see.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from pacte import formatting
from pacte.contracts import budgets, notifications
from pacte.contracts.budgets import parity_message
from pacte.contracts.enums import Funder
from pacte.contracts.models import (
    ActionIndicator,
    BudgetLine,
    Contract,
    Credit,
    ExecutionReport,
    ReportIndicatorValue,
    ReportSpending,
)
from pacte.contracts.models.execution import ReportCampaign
from pacte.contracts.services.actions import action_under_parity
from pacte.contracts.services.common import ZERO, check_indicator_value, check_year, current_version
from pacte.core.errors import Errors
from pacte.core.locking import claim_version

# --- When a year is reported ---------------------------------------------------------------------------


def report_opens_on(year: int) -> date:
    """The report of `year` opens on 1 January of the following year."""
    return date(year + 1, 1, 1)


def first_report_year(root: Contract) -> int | None:
    """The first year a convention reports on: the year of its signature (within its period); None while it
    is not signed."""
    if root.signed_on is None:
        return None
    return min(max(root.signed_on.year, root.period_start), root.period_end)


def reported_years(root: Contract) -> list[int]:
    """The years a signed convention reports on, from the year of its signature to the end of its period."""
    first = first_report_year(root)
    return [] if first is None else list(range(first, root.period_end + 1))


def campaign_due_dates() -> dict[int, date]:
    """The due date of each year whose campaign national steering has set (one query)."""
    return dict(ReportCampaign.objects.values_list("year", "due_on"))


def campaign_due_on(year: int) -> date | None:
    """The due date national steering set for the reports of `year` (None: not set yet)."""
    return campaign_due_dates().get(year)


@transaction.atomic
def set_report_campaign(
    year: int, due_on: date, user, *, note: str = "", expected_version: int | None = None
) -> ReportCampaign:
    """National steering sets (or moves) the date the reports of `year` are due by; every report of the year
    takes it. The date falls after the report opens (1 January of the following year)."""
    errors = Errors()
    check_year(errors, "year", year)
    if due_on is None:
        errors.add("due_on", "Indiquez la date limite de dépôt des rapports.")
    elif due_on < report_opens_on(year):
        errors.add(
            "due_on",
            f"Le rapport {year} s'ouvre le {formatting.date(report_opens_on(year))} : la date limite de dépôt "
            "doit venir après.",
        )
    errors.raise_if_any()
    campaign = ReportCampaign.objects.select_for_update().filter(year=year).first()
    if campaign is None:  # a new campaign starts at version 1: a form that read none sends 0
        campaign = ReportCampaign(year=year, lock_version=1)
    else:
        claim_version(campaign, expected_version)
    campaign.due_on, campaign.note, campaign.updated_by = due_on, note.strip(), user
    campaign.save()
    for report in ExecutionReport.objects.select_for_update().filter(year=year).exclude(due_on=due_on):
        report.due_on = due_on
        report.save(update_fields=["due_on"])
    return campaign


@transaction.atomic
def open_report(
    contract: Contract, year: int, *, today: date | None = None, is_demo: bool = False
) -> ExecutionReport:
    """Start the execution report of `year` on the convention (its root), for the version in force: once the
    year is over, and for a year from the one the convention was signed in."""
    root = contract.root_contract
    today = today or timezone.localdate()
    errors = Errors()
    check_year(errors, "year", year)
    if today < report_opens_on(year):
        errors.add(
            "year",
            f"Le rapport {year} s'ouvre le {formatting.date(report_opens_on(year))}, une fois l'année "
            "terminée.",
        )
    version = current_version(root)
    if version is None:
        errors.add("contract", "Le contrat n'est pas signé : il n'y a rien à rapporter.")
    else:
        first = first_report_year(root)
        if first is not None and year < first:
            errors.add(
                "year",
                f"La convention est signée en {root.signed_on.year} : elle rend compte à partir de {first}, "
                f"pas de {year}.",
            )
    if ExecutionReport.objects.filter(contract=root, year=year).exists():
        errors.add("year", f"Le rapport d'exécution {year} existe déjà.")
    errors.raise_if_any()
    return ExecutionReport.objects.create(
        contract=root, version=version, year=year, due_on=campaign_due_on(year), is_demo=is_demo
    )


# --- Waiting on the notified credits ----------------------------------------------------------------------


@dataclass
class CreditWait:
    """A report of `year` that waits on the State: its credits for the year are not notified, or the State's
    spending declared so far exceeds them."""

    year: int
    notified: Decimal
    state_budget: Decimal
    state_spent: Decimal

    @property
    def message(self) -> str:
        if self.state_spent > self.notified:
            return (
                f"Les dépenses déclarées sur crédits de l'État ({formatting.euros(self.state_spent)}) dépassent "
                f"les crédits notifiés pour {self.year} ({formatting.euros(self.notified)}) : le rapport ne "
                "pourra être déposé qu'une fois les crédits notifiés par l'État enregistrés (ou les dépenses "
                "corrigées)."
            )
        return (
            f"Les crédits de l'État {self.year} ne sont pas encore notifiés (budget de l'État prévu : "
            f"{formatting.euros(self.state_budget)}) : le rapport ne pourra être déposé qu'une fois les "
            "crédits notifiés enregistrés par l'État."
        )


def waits_on_credits(
    year: int, notified: Decimal, state_budget: Decimal, state_spent: Decimal
) -> CreditWait | None:
    """A report waits on the State when the State's spending it declares exceeds the notified credits of its
    year, or when nothing is notified for a year the State budgeted."""
    if state_spent > notified or (notified == ZERO and state_budget > ZERO):
        return CreditWait(year, notified, state_budget, state_spent)
    return None


def credit_wait(report: ExecutionReport) -> CreditWait | None:
    """Whether the report waits on the notified credits of its year (three queries)."""
    credit = Credit.objects.filter(contract=report.contract_id, year=report.year).first()
    state_spent = report.spendings.filter(funder=Funder.STATE).aggregate(total=Sum("amount"))["total"]
    state_budget = BudgetLine.objects.filter(
        action__contract=report.version_id, year=report.year, funder=Funder.STATE
    ).aggregate(total=Sum("amount"))["total"]
    return waits_on_credits(
        report.year, credit.notified if credit else ZERO, state_budget or ZERO, state_spent or ZERO
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
    its spending, the State spending more than the collectivité on an action under parity, State spending
    above the notified credits."""
    errors = Errors()
    values = dict(report.indicator_values.values_list("indicator_id", "value"))
    spendings = list(report.spendings.all())
    spent = {(row.action_id, row.funder, row.funder_name) for row in spendings}
    by_action = budgets.amounts_by(spendings, lambda row: row.action_id)
    actions = (
        report.version.actions.select_related("axis", "contract")
        .prefetch_related("indicators", "budget_lines")
        .order_by("number")
    )
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
        if amounts.breaks_parity and action_under_parity(action):
            errors.add(
                f"spendings.{action.pk}.{Funder.STATE}",
                f"{label} : {parity_message(amounts, spent=True)}",
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
    notifications.report_filed(report, user)
    return report


@transaction.atomic
def review_report(
    report: ExecutionReport, user, *, validate: bool, comment: str = "", now=None
) -> ExecutionReport:
    """The State validates the filed report, or sends it back with its observations."""
    report = ExecutionReport.objects.select_for_update().get(pk=report.pk)
    report.review(user, validate=validate, comment=comment, now=now)
    notifications.report_reviewed(report, user)
    return report
