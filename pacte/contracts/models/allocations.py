"""The State's annual allocations notified to each signing collectivité, per envelope: the ceilings of its
conventions.

The contracts are financed « sur quatre ans dans le cadre de montants annuels plafonds constants » (FAQ « Pactes et
contrats locaux des solidarités », https://solidarites.gouv.fr/node/2143); who notifies them and how is not
published: on the platform, national steering enters them (form or CSV import) and the collectivité never types
them (docs/contrats.md, « Plafonds notifiés »).
"""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from pacte import formatting
from pacte.contracts.enums import Envelope
from pacte.contracts.models.common import AMOUNT, YEAR_VALIDATORS


class NotifiedAllocation(models.Model):
    """The State credits a collectivité may receive in one year from one envelope: the ceiling of its convention's
    State total for that envelope and year."""

    collectivite = models.ForeignKey(
        "territories.Collectivite",
        verbose_name="collectivité signataire",
        on_delete=models.PROTECT,
        related_name="allocations",
    )
    envelope = models.CharField("enveloppe", max_length=20, choices=Envelope.choices)
    year = models.PositiveSmallIntegerField("année", validators=YEAR_VALIDATORS)
    amount = models.DecimalField("montant notifié (€)", **AMOUNT)
    notified_on = models.DateField("notifié le")
    notified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reference = models.CharField("référence de la notification", max_length=200, blank=True)
    is_demo = models.BooleanField("donnée fictive", default=False)
    lock_version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    updated_at = models.DateTimeField("mis à jour le", auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "plafond notifié"
        verbose_name_plural = "plafonds notifiés"
        ordering = ["collectivite__main_territory__code", "envelope", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["collectivite", "envelope", "year"], name="allocation_unique_envelope_year"
            )
        ]

    def __str__(self) -> str:
        return (
            f"Plafond {self.year} « {self.get_envelope_display()} » – {self.collectivite.name} : "
            f"{formatting.euros(self.amount)}"
        )
