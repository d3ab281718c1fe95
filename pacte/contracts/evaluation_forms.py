"""The form of the mid-term evaluation (rules in `services.evaluation`)."""

from django import forms

from pacte.contracts.models import MidTermEvaluation
from pacte.core.forms import PacteForm


class EvaluationForm(PacteForm):
    findings = forms.CharField(
        label="Principaux enseignements",
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Ce que montrent les deux premières années : résultats, publics atteints, difficultés.",
    )
    recommendations = forms.CharField(
        label="Suites proposées",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Ajustements des fiches-actions, avenant envisagé, moyens à redéployer.",
    )

    def __init__(self, *args, evaluation: MidTermEvaluation | None, **kwargs):
        super().__init__(*args, **kwargs)
        if evaluation is not None:
            self.initial.setdefault("findings", evaluation.findings)
            self.initial.setdefault("recommendations", evaluation.recommendations)
