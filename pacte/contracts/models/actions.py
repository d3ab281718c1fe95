"""The content of a contract version: fiches-actions, their indicators and yearly targets, budget lines."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from pacte import formatting
from pacte.contracts.enums import (
    ActionNature,
    FranceTravailVolet,
    Funder,
    IndicatorUnit,
    Reinforcement,
)
from pacte.contracts.models.common import AMOUNT, YEAR_VALIDATORS
from pacte.contracts.models.contracts import Contract, ContractChild


class Action(ContractChild):
    """A fiche-action of a contract version."""

    contract = models.ForeignKey(
        Contract, verbose_name="contrat", on_delete=models.CASCADE, related_name="actions"
    )
    number = models.PositiveSmallIntegerField("numéro")
    title = models.CharField("intitulé", max_length=250)
    axis = models.ForeignKey(
        "programme.Axis", verbose_name="axe", on_delete=models.PROTECT, related_name="actions"
    )
    measures = models.ManyToManyField(
        "programme.Measure", verbose_name="mesures du Pacte", blank=True, related_name="actions"
    )
    nature = models.CharField("nature", max_length=10, choices=ActionNature.choices)
    reinforcement = models.CharField(
        "renforcement",
        max_length=20,
        choices=Reinforcement.choices,
        blank=True,
        help_text="Pour une action renforcée",
    )
    volet = models.CharField(
        "volet de la convention France Travail",
        max_length=20,
        choices=FranceTravailVolet.choices,
        blank=True,
        help_text="Pour une action de la partie France Travail (axe 2) : l'un des trois volets, non fongibles",
    )
    target_publics = models.TextField("publics cibles")
    pilot = models.CharField("pilote", max_length=200)
    partners = models.TextField("partenaires", blank=True)
    description = models.TextField("description")
    lock_version = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    history = HistoricalRecords(m2m_fields=[measures])

    class Meta:
        verbose_name = "fiche-action"
        verbose_name_plural = "fiches-actions"
        ordering = ["contract", "number"]
        constraints = [models.UniqueConstraint(fields=["contract", "number"], name="action_unique_number")]

    def __str__(self) -> str:
        return f"Fiche-action n°{self.number} – {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("contracts:action", kwargs={"pk": self.contract_id, "number": self.number})

    def owning_contract_id(self) -> int:
        return self.contract_id

    def clean(self) -> None:
        if self.nature == ActionNature.REINFORCED and not self.reinforcement:
            raise ValidationError(
                {
                    "reinforcement": "Précisez le renforcement : file active, nouveaux publics ou nouvelles zones."
                }
            )
        if self.nature == ActionNature.NEW and self.reinforcement:
            raise ValidationError({"reinforcement": "Une action nouvelle n'a pas de renforcement."})


class ActionIndicator(ContractChild):
    """A quantified indicator of a fiche-action, with a baseline and a target per year."""

    action = models.ForeignKey(
        Action, verbose_name="fiche-action", on_delete=models.CASCADE, related_name="indicators"
    )
    label = models.CharField("indicateur", max_length=250)
    unit = models.CharField("unité", max_length=12, choices=IndicatorUnit.choices)
    baseline_value = models.DecimalField(
        "valeur de départ",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    baseline_year = models.PositiveSmallIntegerField("année de départ", null=True, blank=True)
    is_reinforcement = models.BooleanField(
        "mesure le renforcement",
        default=False,
        help_text="Pour une action renforcée : l'indicateur de la file active, des publics ou des zones couverts, "
        "dont les cibles annuelles dépassent la valeur de départ",
    )
    national_target = models.ForeignKey(
        "programme.Target",
        verbose_name="cible nationale",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="local_indicators",
        help_text="La cible du référentiel à laquelle cet indicateur contribue",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "indicateur"
        verbose_name_plural = "indicateurs"
        ordering = ["action", "pk"]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_unit_display()})"

    def owning_contract_id(self) -> int:
        return Action.objects.values_list("contract_id", flat=True).get(pk=self.action_id)


class IndicatorYearTarget(ContractChild):
    indicator = models.ForeignKey(
        ActionIndicator, verbose_name="indicateur", on_delete=models.CASCADE, related_name="year_targets"
    )
    year = models.PositiveSmallIntegerField("année", validators=YEAR_VALIDATORS)
    value = models.DecimalField(
        "valeur cible", max_digits=14, decimal_places=2, validators=[MinValueValidator(0)]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "cible annuelle"
        verbose_name_plural = "cibles annuelles"
        ordering = ["indicator", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="indicator_target_unique_year")
        ]

    def __str__(self) -> str:
        return f"{self.year} : {self.value}"

    def owning_contract_id(self) -> int:
        return ActionIndicator.objects.values_list("action__contract_id", flat=True).get(pk=self.indicator_id)


class BudgetLine(ContractChild):
    """A co-funding line of a fiche-action for one year and one funder."""

    action = models.ForeignKey(
        Action, verbose_name="fiche-action", on_delete=models.CASCADE, related_name="budget_lines"
    )
    year = models.PositiveSmallIntegerField("année", validators=YEAR_VALIDATORS)
    funder = models.CharField("financeur", max_length=12, choices=Funder.choices)
    funder_name = models.CharField(
        "nom du cofinanceur", max_length=200, blank=True, help_text="Pour un autre cofinanceur : CAF, ARS…"
    )
    amount = models.DecimalField("montant (€)", **AMOUNT)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "ligne de cofinancement"
        verbose_name_plural = "lignes de cofinancement"
        ordering = ["action", "year", "funder", "funder_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["action", "year", "funder", "funder_name"], name="budget_line_unique_funder_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} – {self.funder_label} : {formatting.euros(self.amount)}"

    @property
    def funder_label(self) -> str:
        return (
            self.funder_name
            if self.funder == Funder.OTHER and self.funder_name
            else self.get_funder_display()
        )

    def owning_contract_id(self) -> int:
        return Action.objects.values_list("contract_id", flat=True).get(pk=self.action_id)
