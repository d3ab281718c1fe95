"""A contract version (its parties, status, validations and signature) and the negotiation comments."""

from django.conf import settings
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
    ContractKind,
    ContractStatus,
)
from pacte.contracts.models.common import AMOUNT, ContractLockedError

KIND_NAMES = {
    ContractKind.DEPARTEMENT: "Contrat local des solidarités",
    ContractKind.FRANCE_TRAVAIL: "Convention France Travail",
    ContractKind.GLOBALE: "Convention globale unique",
    ContractKind.METROPOLE: "Contrat local des solidarités",
}


class Contract(models.Model):
    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name="territoire",
        on_delete=models.PROTECT,
        related_name="contracts",
        help_text="Le territoire principal de la collectivité signataire (périmètres, listes)",
    )
    collectivite = models.ForeignKey(
        "territories.Collectivite",
        verbose_name="collectivité signataire",
        null=True,
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    kind = models.CharField(
        "sorte de convention", max_length=20, choices=ContractKind.choices, default=ContractKind.DEPARTEMENT
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
    # Typed by the DDETS before the ceilings were notified by national steering (issue 12); kept for the record,
    # copied into NotifiedAllocation by migration 0007, read by no rule.
    annual_state_ceiling = models.DecimalField(
        "ancien plafond annuel saisi (€)", null=True, blank=True, editable=False, **AMOUNT
    )
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
        ordering = ["territory__code", "kind", "amendment_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["territory", "kind", "period_start", "amendment_number"],
                name="contract_unique_kind_version",
            ),
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        suffix = f" – avenant n°{self.amendment_number}" if self.amendment_number else ""
        return f"{self.kind_name} {self.period_start}-{self.period_end} – {self.signatory_name}{suffix}"

    def get_absolute_url(self) -> str:
        return reverse("contracts:detail", kwargs={"pk": self.pk})

    @property
    def kind_name(self) -> str:
        """« Contrat local des solidarités », « Convention France Travail »… (the kind's label without its party)."""
        return KIND_NAMES[self.kind]

    @property
    def signatory_name(self) -> str:
        return self.collectivite.name if self.collectivite_id else self.territory.name

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


class Comment(models.Model):
    """A remark exchanged during the negotiation of a contract version (optionally on one fiche-action)."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="comments")
    action = models.ForeignKey(
        "contracts.Action", null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
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
