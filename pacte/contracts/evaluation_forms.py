"""The forms of the joint mid-term evaluation: one side's part on a fiche-action, the common conclusion (rules in
`services.evaluation`; every field is optional here so that the services' messages name what is missing)."""

from django import forms

from pacte.contracts.models.evaluation import (
    ActionEvaluation,
    EvaluationConclusion,
    EvaluationMethod,
    EvaluationPart,
)
from pacte.core.forms import LockForm


class EvaluationPartForm(LockForm):
    assessment = forms.CharField(
        label="Appréciation",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=(
            "Les premiers apports de l’action : réponse aux besoins du territoire, amélioration des conditions de "
            "vie des personnes, publics atteints, difficultés."
        ),
    )
    methods = forms.MultipleChoiceField(
        label="Méthodes d’évaluation",
        required=False,
        choices=EvaluationMethod.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Celles citées par le guide méthodologique de la DIPLP, ou une autre méthode à décrire.",
    )
    method_detail = forms.CharField(
        label="Autre méthode",
        required=False,
        max_length=500,
        help_text="Par exemple : entretiens avec les personnes accompagnées, groupe de travail avec les partenaires.",
    )

    def __init__(self, *args, part: EvaluationPart | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("lock_version", part.lock_version if part else 0)
        if part is not None:
            self.initial.setdefault("assessment", part.assessment)
            self.initial.setdefault("methods", part.methods)
            self.initial.setdefault("method_detail", part.method_detail)


class ConclusionForm(LockForm):
    conclusion = forms.ChoiceField(
        label="Conclusion commune",
        required=False,
        choices=EvaluationConclusion.choices,
        widget=forms.RadioSelect,
        help_text="Le devenir de l’action pour la seconde moitié du contrat.",
    )
    conclusion_note = forms.CharField(
        label="Ajustements ou motif",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Ce qui change dans l’action (ajuster), ou pourquoi l’arrêter.",
    )

    def __init__(self, *args, action_evaluation: ActionEvaluation | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("lock_version", action_evaluation.lock_version if action_evaluation else 0)
        if action_evaluation is not None:
            self.initial.setdefault("conclusion", action_evaluation.conclusion)
            self.initial.setdefault("conclusion_note", action_evaluation.conclusion_note)
