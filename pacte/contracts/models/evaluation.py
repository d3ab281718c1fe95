"""The joint mid-term evaluation of a convention, due by 30 June 2026.

Source (grade B, trade press quoting the DIPLP; the guide itself, its title and address, were not found): Le Media
social, « Un guide pour accompagner l'évaluation des contrats locaux des solidarités », 2025,
https://www.lemediasocial.fr/un-guide-pour-accompagner-l-evaluation-des-contrats-locaux-des-solidarites_i5c2Xr :
« Les actions menées dans le cadre des 116 contrats en place doivent être évaluées d'ici le 30 juin 2026 » ; « La
Délégation à la prévention et à la lutte contre la pauvreté publie un « guide méthodologique » pour accompagner les
collectivités territoriales et les services de l'État, chargés de cette évaluation « à mi-parcours » » ; the
evaluation must make it possible « d'anticiper et de préparer le devenir des actions » (the Délégation, quoted);
« Le guide définit quelques méthodes d'évaluation (collecte et analyse documentaire, enquête par questionnaire,
etc.) ». Hence, per fiche-action of the evaluated version:

- each side writes its own part (`EvaluationPart`: the collectivité's, the State services'), kept with its author
  and date, and names its methods, from the guide's examples (the « etc. » is « autre méthode », described);
- the indicators reached: the values of the validated execution reports beside the yearly targets, recorded as
  they stand when the evaluation is filed (`EvaluatedIndicator`);
- a common conclusion on the action's future (`ActionEvaluation.conclusion`): « poursuivre / ajuster / arrêter » is
  the platform's wording of that « devenir des actions », not the guide's.

The evaluations written before (two free-text fields filled in by the collectivité alone) are kept as they were,
marked `legacy_form`, and shown apart.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from pacte.contracts.enums import (
    MID_TERM_EVALUATION_DUE,
    EvaluationConclusion,
    EvaluationMethod,
    EvaluationSide,
    MidTermStatus,
)
from pacte.contracts.models.actions import Action, ActionIndicator
from pacte.contracts.models.contracts import Contract


class MidTermEvaluation(models.Model):
    """The joint mid-term evaluation of a convention (on its root contract), due by 30 June 2026."""

    contract = models.OneToOneField(Contract, on_delete=models.PROTECT, related_name="mid_term_evaluation")
    version = models.ForeignKey(
        Contract,
        verbose_name="version évaluée",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="La version signée en vigueur quand l'évaluation a commencé : ses fiches-actions sont évaluées",
    )
    due_on = models.DateField("à déposer avant le", default=MID_TERM_EVALUATION_DUE)
    status = models.CharField(
        "statut", max_length=10, choices=MidTermStatus.choices, default=MidTermStatus.DRAFT
    )
    submitted_at = models.DateTimeField("déposée le", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField("clôturée le", null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    legacy_form = models.BooleanField(
        "rédigée sur l'ancien formulaire",
        default=False,
        help_text="Évaluation rédigée par la collectivité seule, en deux champs libres, avant l'évaluation conjointe",
    )
    findings = models.TextField("principaux enseignements (ancien formulaire)", blank=True)
    recommendations = models.TextField("suites proposées (ancien formulaire)", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "évaluation à mi-parcours"
        verbose_name_plural = "évaluations à mi-parcours"

    def __str__(self) -> str:
        return f"Évaluation à mi-parcours – {self.contract.territory.name}"

    @property
    def is_editable(self) -> bool:
        return self.status == MidTermStatus.DRAFT

    @property
    def is_late(self) -> bool:
        """Filed after its due date, or still not filed once the date has passed."""
        if self.submitted_at is not None:
            return timezone.localdate(self.submitted_at) > self.due_on
        return timezone.localdate() > self.due_on


class ActionEvaluation(models.Model):
    """The evaluation of one fiche-action of the evaluated version: the two parts and the common conclusion."""

    evaluation = models.ForeignKey(
        MidTermEvaluation, on_delete=models.CASCADE, related_name="action_evaluations"
    )
    action = models.ForeignKey(
        Action, verbose_name="fiche-action", on_delete=models.PROTECT, related_name="evaluations"
    )
    conclusion = models.CharField(
        "conclusion", max_length=12, choices=EvaluationConclusion.choices, blank=True
    )
    conclusion_note = models.TextField(
        "ajustements ou motif",
        blank=True,
        help_text="Ce qui change dans l'action, ou pourquoi l'arrêter",
    )
    conclusion_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    conclusion_at = models.DateTimeField("conclusion écrite le", null=True, blank=True)
    lock_version = models.PositiveIntegerField(default=0, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "évaluation d'une fiche-action"
        verbose_name_plural = "évaluations des fiches-actions"
        ordering = ["evaluation", "action__number"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "action"], name="action_evaluation_unique_action")
        ]

    def __str__(self) -> str:
        return f"Évaluation à mi-parcours de la fiche-action n°{self.action.number}"


class EvaluationPart(models.Model):
    """What one side (the collectivité, or the State's services) writes on a fiche-action, signed by its author."""

    action_evaluation = models.ForeignKey(ActionEvaluation, on_delete=models.CASCADE, related_name="parts")
    side = models.CharField("rédigée par", max_length=12, choices=EvaluationSide.choices)
    assessment = models.TextField(
        "appréciation",
        help_text="Premiers apports de l'action : réponse aux besoins du territoire, conditions de vie des publics",
    )
    methods = models.JSONField("méthodes d'évaluation", default=list)
    method_detail = models.TextField("autre méthode", blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="auteur", on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField("rédigée le")
    lock_version = models.PositiveIntegerField(default=0, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "part d'une évaluation"
        verbose_name_plural = "parts des évaluations"
        ordering = ["action_evaluation", "side"]
        constraints = [
            models.UniqueConstraint(fields=["action_evaluation", "side"], name="evaluation_part_unique_side")
        ]

    def __str__(self) -> str:
        return f"{self.get_side_display()} – {self.action_evaluation}"

    @property
    def method_labels(self) -> list[str]:
        labels = []
        for code in self.methods:
            if code == EvaluationMethod.OTHER and self.method_detail:
                labels.append(self.method_detail)
            elif code in EvaluationMethod.values:
                labels.append(EvaluationMethod(code).label)
        return labels


class EvaluatedIndicator(models.Model):
    """An indicator of an evaluated fiche-action for one year, as it stood when the evaluation was filed: the
    yearly target and the value of the validated execution report (None: no validated report that year)."""

    action_evaluation = models.ForeignKey(
        ActionEvaluation, on_delete=models.CASCADE, related_name="indicator_values"
    )
    indicator = models.ForeignKey(ActionIndicator, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("année")
    target = models.DecimalField("valeur cible", max_digits=14, decimal_places=2, null=True, blank=True)
    reached = models.DecimalField("valeur atteinte", max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = "indicateur évalué"
        verbose_name_plural = "indicateurs évalués"
        ordering = ["action_evaluation", "indicator", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["action_evaluation", "indicator", "year"], name="evaluated_indicator_unique_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator.label} {self.year}"
