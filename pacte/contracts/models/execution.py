"""The execution of a convention: State credits (notified, committed, paid) and their reallocation, the yearly
execution reports and the campaign that sets, for each year, the date they are due by."""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from pacte import formatting
from pacte.contracts.enums import (
    Envelope,
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
    envelope = models.CharField(
        "enveloppe",
        max_length=20,
        choices=Envelope.choices,
        default=Envelope.SOLIDARITES,
        help_text="Les crédits ne passent pas d'une enveloppe à l'autre",
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


class ReportCampaign(models.Model):
    """The campaign of the execution reports of one year: the date national steering sets for filing them.

    No public text gives the due date of a contrat local's yearly report (searched: the ministry's FAQ
    « Pactes et contrats locaux des solidarités », https://solidarites.gouv.fr/node/2143, whose stored copy
    stops after its opening; the instructions of 27 October and 23 November 2023 are not published where the
    platform could read them): the date is « fixée par le pilotage national », campaign by campaign. Setting
    or moving it carries the new date to every report of the year (`services.execution.set_report_campaign`)."""

    year = models.PositiveSmallIntegerField("année des rapports", unique=True, validators=YEAR_VALIDATORS)
    due_on = models.DateField("date limite de dépôt")
    note = models.TextField("précisions", blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField("mise à jour le", auto_now=True)
    lock_version = models.PositiveIntegerField(default=0, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "campagne des rapports d'exécution"
        verbose_name_plural = "campagnes des rapports d'exécution"
        ordering = ["year"]

    def __str__(self) -> str:
        return f"Campagne des rapports {self.year}"


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
    due_on = models.DateField(
        "à déposer avant le",
        null=True,
        blank=True,
        help_text="La date de la campagne de l'année, fixée par le pilotage national (vide tant qu'elle ne l'est pas)",
    )
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
        """Filed after its due date, or still not filed once the date has passed; never before national
        steering has set the date."""
        if self.due_on is None:
            return False
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
