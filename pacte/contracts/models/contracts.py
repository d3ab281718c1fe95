"""A contract version and its content: fiches-actions, their indicators and yearly targets, budget lines, and the negotiation comments."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from pacte import formatting
from pacte.contracts.enums import (
    EDITABLE_STATUSES,
    PERIOD_END,
    PERIOD_START,
    SIGNED_STATUSES,
    ActionNature,
    ContractStatus,
    Funder,
    IndicatorUnit,
    Reinforcement,
)
from pacte.contracts.models.common import AMOUNT, YEAR_VALIDATORS, ContractLockedError


class Contract(models.Model):
    territory = models.ForeignKey(
        "territories.Territory", verbose_name="territoire", on_delete=models.PROTECT, related_name="contracts"
    )
    root = models.ForeignKey(
        "self",
        verbose_name="contrat initial",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="versions",
        help_text="Vide pour le contrat initial ; pour un avenant, le contrat initial.",
    )
    amends = models.ForeignKey(
        "self",
        verbose_name="version modifiée",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="amendments",
    )
    amendment_number = models.PositiveSmallIntegerField("numéro d'avenant", default=0)
    amendment_reason = models.TextField("objet de l'avenant", blank=True)
    title = models.CharField("intitulé", max_length=250)
    period_start = models.PositiveSmallIntegerField("première année", default=PERIOD_START)
    period_end = models.PositiveSmallIntegerField("dernière année", default=PERIOD_END)
    annual_state_ceiling = models.DecimalField("plafond annuel des crédits de l'État (€)", **AMOUNT)
    status = models.CharField(
        "statut", max_length=12, choices=ContractStatus.choices, default=ContractStatus.DRAFT
    )
    submitted_at = models.DateTimeField("soumis à l'État le", null=True, blank=True)
    state_validated_at = models.DateTimeField("validé par l'État le", null=True, blank=True)
    state_validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    local_validated_at = models.DateTimeField("validé par la collectivité le", null=True, blank=True)
    local_validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_on = models.DateField("signé le", null=True, blank=True)
    state_signatory = models.CharField("signataire pour l'État", max_length=200, blank=True)
    local_signatory = models.CharField("signataire pour la collectivité", max_length=200, blank=True)
    signature_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    is_demo = models.BooleanField("donnée fictive", default=False)
    lock_version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "contrat local des solidarités"
        verbose_name_plural = "contrats locaux des solidarités"
        ordering = ["territory__code", "amendment_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "period_start", "amendment_number"], name="contract_unique_version"
            ),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        suffix = f" – avenant n°{self.amendment_number}" if self.amendment_number else ""
        return f"Contrat local des solidarités {self.period_start}-{self.period_end} – {self.territory.name}{suffix}"

    def get_absolute_url(self) -> str:
        return reverse("contracts:detail", kwargs={"pk": self.pk})

    @property
    def root_contract(self) -> "Contract":
        return self.root if self.root_id else self

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_signed(self) -> bool:
        return self.status in SIGNED_STATUSES

    @property
    def is_public(self) -> bool:
        """Signed versions and their budgets are open data; drafts are not."""
        return self.is_signed

    @property
    def years(self) -> range:
        return range(self.period_start, self.period_end + 1)


class ContractChild(models.Model):
    """Rows of a contract version's content: refused once the version is signed.
    Subclasses tell which contract they belong to with `owning_contract_id()`."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._check_editable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._check_editable()
        return super().delete(*args, **kwargs)

    def _check_editable(self) -> None:
        contract = Contract.objects.select_related("territory").get(pk=self.owning_contract_id())
        if contract.status not in EDITABLE_STATUSES:
            raise ContractLockedError(contract)


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


class Comment(models.Model):
    """A remark exchanged during the negotiation of a contract version (optionally on one fiche-action)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="comments")
    action = models.ForeignKey(
        Action, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField("commentaire")
    created_at = models.DateTimeField("écrit le", auto_now_add=True)

    class Meta:
        verbose_name = "commentaire"
        verbose_name_plural = "commentaires"
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"Commentaire de {self.author} du {formatting.short_date(timezone.localtime(self.created_at))}"
