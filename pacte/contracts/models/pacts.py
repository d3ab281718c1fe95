"""The pactes locaux des solidarités."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from pacte.contracts.enums import (
    PERIOD_END,
    PERIOD_START,
)


class LocalPact(models.Model):
    """The pacte local des solidarités: the strategic document built from the territorial diagnostic and
    signed by all partners (CAF, France Travail, ARS, associations…), with 1 to 3 priorities."""

    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name="territoire",
        on_delete=models.PROTECT,
        related_name="local_pacts",
    )
    period_start = models.PositiveSmallIntegerField("première année", default=PERIOD_START)
    period_end = models.PositiveSmallIntegerField("dernière année", default=PERIOD_END)
    title = models.CharField("intitulé", max_length=250)
    diagnostic_summary = models.TextField("synthèse du diagnostic territorial")
    partners = models.ManyToManyField(
        "accounts.Organisation",
        verbose_name="partenaires signataires",
        blank=True,
        related_name="local_pacts",
    )
    other_signatories = models.TextField(
        "autres signataires", blank=True, help_text="Partenaires sans compte sur la plateforme, un par ligne"
    )
    signed_on = models.DateField("signé le", null=True, blank=True)
    is_demo = models.BooleanField("donnée fictive", default=False)
    lock_version = models.PositiveIntegerField(default=0, editable=False)

    history = HistoricalRecords(m2m_fields=[partners])

    class Meta:
        verbose_name = "pacte local des solidarités"
        verbose_name_plural = "pactes locaux des solidarités"
        constraints = [
            models.UniqueConstraint(fields=["territory", "period_start"], name="local_pact_unique")
        ]

    def __str__(self) -> str:
        return f"Pacte local des solidarités {self.period_start}-{self.period_end} – {self.territory.name}"

    def get_absolute_url(self) -> str:
        return reverse("contracts:pact", kwargs={"pk": self.pk})


class PactPriority(models.Model):
    MAX_PER_PACT = 3

    pact = models.ForeignKey(LocalPact, on_delete=models.CASCADE, related_name="priorities")
    rank = models.PositiveSmallIntegerField(
        "rang", validators=[MinValueValidator(1), MaxValueValidator(MAX_PER_PACT)]
    )
    title = models.CharField("priorité", max_length=250)
    action_plan = models.TextField("plan d'action")
    pilot = models.CharField("pilote", max_length=200)
    technical_committee = models.TextField("comité technique", help_text="Membres et rythme de réunion")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "priorité du pacte local"
        verbose_name_plural = "priorités du pacte local"
        ordering = ["pact", "rank"]
        constraints = [models.UniqueConstraint(fields=["pact", "rank"], name="pact_priority_unique_rank")]

    def __str__(self) -> str:
        return f"Priorité {self.rank} – {self.title}"
