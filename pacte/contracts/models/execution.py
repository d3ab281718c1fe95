"""The execution of a convention: State credits (notified, committed, paid) and their reallocation, the yearly execution reports."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from pacte import formatting
from pacte.contracts.enums import (
    Funder,
)
from pacte.contracts.models.actions import Action, ActionIndicator
from pacte.contracts.models.common import AMOUNT, YEAR_VALIDATORS
from pacte.contracts.models.contracts import Contract
from pacte.core.models import FiledReport


class Credit(models.Model):
    """State credits of one year of a convention (on its root contract): notified, committed, paid."""

    contract = models.ForeignKey(
        Contract, verbose_name="contrat", on_delete=models.PROTECT, related_name="credits"
    )
    year = models.PositiveSmallIntegerField("année", validators=YEAR_VALIDATORS)
    notified = models.DecimalField("crédits notifiés (€)", default=0, **AMOUNT)
    notified_on = models.DateField("notifiés le", null=True, blank=True)
    committed = models.DecimalField("crédits engagés (€)", default=0, **AMOUNT)
    committed_on = models.DateField("engagés le", null=True, blank=True)
    paid = models.DecimalField("crédits versés (€)", default=0, **AMOUNT)
    paid_on = models.DateField("versés le", null=True, blank=True)
    lock_version = models.PositiveIntegerField(default=0, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "crédits de l'État"
        verbose_name_plural = "crédits de l'État"
        ordering = ["contract", "year"]
        constraints = [models.UniqueConstraint(fields=["contract", "year"], name="credit_unique_year")]

    def __str__(self) -> str:
        return f"Crédits {self.year} – {self.contract.territory.name}"


class CreditReallocation(models.Model):
    """Unspent State credits of one convention moved to another of the same région by the regional commissioner."""

    year = models.PositiveSmallIntegerField("année", validators=YEAR_VALIDATORS)
    from_contract = models.ForeignKey(
        Contract, verbose_name="contrat d'origine", on_delete=models.PROTECT, related_name="reallocations_out"
    )
    to_contract = models.ForeignKey(
        Contract,
        verbose_name="contrat bénéficiaire",
        on_delete=models.PROTECT,
        related_name="reallocations_in",
    )
    amount = models.DecimalField(
        "montant (€)", max_digits=14, decimal_places=2, validators=[MinValueValidator(0.01)]
    )
    reason = models.TextField("motif")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField("décidé le", auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "réallocation de crédits"
        verbose_name_plural = "réallocations de crédits"
        ordering = ["-decided_at"]

    def __str__(self) -> str:
        return f"Réallocation {self.year} de {formatting.euros(self.amount)}"


class ExecutionReport(FiledReport):
    """The yearly execution report of a convention (on its root contract)."""

    contract = models.ForeignKey(
        Contract, verbose_name="contrat", on_delete=models.PROTECT, related_name="reports"
    )
    version = models.ForeignKey(
        Contract,
        verbose_name="version rapportée",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="La version du contrat en vigueur dont les fiches-actions sont rapportées",
    )
    year = models.PositiveSmallIntegerField("année", validators=YEAR_VALIDATORS)
    due_on = models.DateField("à déposer avant le")
    qualitative_assessment = models.TextField("bilan qualitatif", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "rapport d'exécution"
        verbose_name_plural = "rapports d'exécution"
        ordering = ["contract", "year"]
        constraints = [models.UniqueConstraint(fields=["contract", "year"], name="report_unique_year")]

    def __str__(self) -> str:
        return f"Rapport d'exécution {self.year} – {self.contract.territory.name}"

    def get_absolute_url(self) -> str:
        return reverse("contracts:report", kwargs={"pk": self.contract_id, "year": self.year})

    @property
    def is_late(self) -> bool:
        """Filed after its due date, or still not filed once the date has passed."""
        if self.submitted_at is not None:
            return timezone.localdate(self.submitted_at) > self.due_on
        return timezone.localdate() > self.due_on


class ReportIndicatorValue(models.Model):
    report = models.ForeignKey(ExecutionReport, on_delete=models.CASCADE, related_name="indicator_values")
    indicator = models.ForeignKey(ActionIndicator, on_delete=models.PROTECT, related_name="report_values")
    value = models.DecimalField(
        "valeur réalisée", max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "valeur réalisée"
        verbose_name_plural = "valeurs réalisées"
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="report_value_unique_indicator")
        ]

    def __str__(self) -> str:
        return f"{self.indicator.label} : {self.value}"


class ReportSpending(models.Model):
    """Amount actually spent on a fiche-action in the report's year, per funder."""

    report = models.ForeignKey(ExecutionReport, on_delete=models.CASCADE, related_name="spendings")
    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="spendings")
    funder = models.CharField("financeur", max_length=12, choices=Funder.choices)
    funder_name = models.CharField("nom du cofinanceur", max_length=200, blank=True)
    amount = models.DecimalField("montant dépensé (€)", **AMOUNT)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "dépense réalisée"
        verbose_name_plural = "dépenses réalisées"
        constraints = [
            models.UniqueConstraint(
                fields=["report", "action", "funder", "funder_name"], name="report_spending_unique_funder"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.action} – {self.get_funder_display()} : {formatting.euros(self.amount)}"
