"""The mid-term evaluation of a convention."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from pacte.contracts.enums import (
    MID_TERM_EVALUATION_DUE,
    EvaluationStatus,
)
from pacte.contracts.models.contracts import Contract


class MidTermEvaluation(models.Model):
    """The mid-term evaluation of a convention, due by 30 June 2026."""

    contract = models.OneToOneField(Contract, on_delete=models.PROTECT, related_name="mid_term_evaluation")
    due_on = models.DateField("à remettre avant le", default=MID_TERM_EVALUATION_DUE)
    status = models.CharField(
        "statut", max_length=10, choices=EvaluationStatus.choices, default=EvaluationStatus.DRAFT
    )
    findings = models.TextField("principaux enseignements", blank=True)
    recommendations = models.TextField("suites proposées", blank=True)
    submitted_at = models.DateTimeField("remise le", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "évaluation à mi-parcours"
        verbose_name_plural = "évaluations à mi-parcours"

    def __str__(self) -> str:
        return f"Évaluation à mi-parcours – {self.contract.territory.name}"
