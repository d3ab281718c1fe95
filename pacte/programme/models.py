from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from pacte.programme.enums import (
    ContractScope,
    DatePrecision,
    MeasureKind,
    MilestoneScope,
    MilestoneStatus,
    TargetKind,
    TargetScope,
)
from pacte.programme.rules import target_problems


class Programme(models.Model):
    """The Pacte des solidarités itself: one row holding its headline figures."""

    code = models.SlugField("code", max_length=40, unique=True)
    name = models.CharField("nom", max_length=200)
    start_year = models.PositiveSmallIntegerField("première année")
    end_year = models.PositiveSmallIntegerField("dernière année")
    measure_count = models.PositiveSmallIntegerField("nombre de mesures annoncé")
    budget_eur = models.DecimalField("budget total (€)", max_digits=15, decimal_places=0)
    budget_comparison = models.CharField("comparaison du budget", max_length=300, blank=True)
    summary = models.TextField("présentation", blank=True)
    source_file = models.CharField("fichier source", max_length=100, blank=True)
    source_hash = models.CharField("empreinte de la source", max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = "programme"
        verbose_name_plural = "programmes"

    def __str__(self) -> str:
        return self.name


class Axis(models.Model):
    programme = models.ForeignKey(
        Programme, verbose_name="programme", on_delete=models.CASCADE, related_name="axes"
    )
    number = models.PositiveSmallIntegerField("numéro")
    title = models.CharField("intitulé", max_length=200)
    summary = models.TextField("orientation", blank=True)
    reforms_summary = models.TextField("grandes réformes associées", blank=True)
    source_hash = models.CharField("empreinte de la source", max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = "axe"
        verbose_name_plural = "axes"
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["programme", "number"], name="axis_unique_number")]

    def __str__(self) -> str:
        return f"Axe {self.number} – {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("programme:axis", kwargs={"number": self.number})


class Measure(models.Model):
    """A measure of the référentiel: a new action, an action funded through the local contracts,
    or an associated reform of the five-year term that the seed presents with figures."""

    axis = models.ForeignKey(Axis, verbose_name="axe", on_delete=models.PROTECT, related_name="measures")
    code = models.SlugField("code", max_length=20, unique=True)
    kind = models.CharField("nature", max_length=20, choices=MeasureKind.choices)
    number_label = models.CharField("numérotation", max_length=40, blank=True)
    title = models.CharField("intitulé", max_length=300)
    description = models.TextField("description", blank=True)
    order = models.PositiveSmallIntegerField("ordre", default=0)
    source_file = models.CharField("fichier source", max_length=100)
    # Whether a fiche-action of a local contract may serve the measure, per part of the contracts
    # (ContractScope); national measures and reforms may not. The reason, with its source, in contractable_source.
    contractable_departement = models.BooleanField(
        "contractualisable dans le contrat des solidarités d'un département", default=False
    )
    contractable_france_travail = models.BooleanField(
        "contractualisable dans la convention France Travail", default=False
    )
    contractable_metropole = models.BooleanField(
        "contractualisable dans le contrat d'une métropole", default=False
    )
    contractable_source = models.TextField("contractualisation : motif et source", blank=True)
    source_hash = models.CharField("empreinte de la source", max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = "mesure"
        verbose_name_plural = "mesures"
        ordering = ["axis__number", "order", "code"]

    def __str__(self) -> str:
        return f"{self.code} – {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("programme:measure", kwargs={"code": self.code})

    @property
    def contractable_scopes(self) -> list[str]:
        """The ContractScope values the measure may be contracted in."""
        return [scope for scope in ContractScope if getattr(self, f"contractable_{scope.value}")]

    @property
    def is_contractable(self) -> bool:
        return bool(self.contractable_scopes)


class Target(models.Model):
    """A quantified figure of the référentiel: a dated target, or a reference value that frames it."""

    measure = models.ForeignKey(
        Measure,
        verbose_name="mesure",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="targets",
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="targets",
        help_text="Pour les chiffres du Pacte entier",
    )
    code = models.SlugField("code", max_length=60, unique=True)
    kind = models.CharField("type", max_length=10, choices=TargetKind.choices)
    label = models.CharField("indicateur", max_length=300)
    unit = models.CharField("unité", max_length=60)
    baseline_value = models.DecimalField(
        "valeur de départ", max_digits=18, decimal_places=3, null=True, blank=True
    )
    baseline_year = models.PositiveSmallIntegerField("année de départ", null=True, blank=True)
    target_value = models.DecimalField("valeur cible", max_digits=18, decimal_places=3, null=True, blank=True)
    target_year = models.PositiveSmallIntegerField("année cible", null=True, blank=True)
    scope = models.CharField("périmètre", max_length=12, choices=TargetScope.choices)
    source_file = models.CharField("fichier source", max_length=100)
    source_excerpt = models.TextField("extrait de la source", blank=True)
    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name="territoire",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reference_values",
        help_text="Pour une valeur propre à un territoire (ex. la région Pays de la Loire)",
    )
    notes = models.TextField("remarques", blank=True)
    order = models.PositiveSmallIntegerField("ordre", default=0)
    source_hash = models.CharField("empreinte de la source", max_length=64, blank=True, editable=False)
    # Optimistic locking (pacte.core.locking): corrections go through programme.services.update_target.
    lock_version = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = "cible ou valeur de référence"
        verbose_name_plural = "cibles et valeurs de référence"
        ordering = ["measure__axis__number", "measure__order", "order", "code"]

    def __str__(self) -> str:
        return self.label

    def clean(self) -> None:
        """The rules of pacte.programme.rules, each message on its field."""
        super().clean()
        problems: dict[str, list[str]] = {}
        for field, message in target_problems(self, has_territory=self.territory_id is not None):
            problems.setdefault(field, []).append(f"{message[0].upper()}{message[1:]}.")
        if problems:
            raise ValidationError(problems)


class Milestone(models.Model):
    """A dated step of the Pacte's calendar (national, regional deployment, or concertation)."""

    programme = models.ForeignKey(
        Programme, verbose_name="programme", on_delete=models.CASCADE, related_name="milestones"
    )
    code = models.SlugField("code", max_length=60, unique=True)
    scope = models.CharField("calendrier", max_length=12, choices=MilestoneScope.choices)
    title = models.CharField("intitulé", max_length=300)
    date_start = models.DateField("date (début)")
    date_end = models.DateField("date (fin)", null=True, blank=True)
    precision = models.CharField("précision", max_length=8, choices=DatePrecision.choices)
    date_label = models.CharField("date telle qu'annoncée", max_length=80)
    status = models.CharField("statut", max_length=10, choices=MilestoneStatus.choices)
    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name="territoire",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="milestones",
    )
    source_file = models.CharField("fichier source", max_length=100)
    source_hash = models.CharField("empreinte de la source", max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = "jalon"
        verbose_name_plural = "jalons"
        ordering = ["date_start", "code"]

    def __str__(self) -> str:
        return f"{self.date_label} – {self.title}"
