from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from pacte.programme import rules
from pacte.programme.enums import (
    ContractScope,
    DatePrecision,
    MeasureKind,
    MilestoneScope,
    MilestoneStatus,
    TargetComparison,
    TargetKind,
    TargetScope,
)


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
    # A measure of the overseas plan (« Un plan d'action en faveur de l'Outre-Mer », seed 000): what it does in
    # the overseas territories, with its source (document, date, address, the sentence quoted), in overseas_note.
    overseas = models.BooleanField("Outre-mer", default=False)
    overseas_note = models.TextField("outre-mer : ce que fait la mesure et sa source", blank=True)
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


class TargetQuerySet(models.QuerySet):
    def targets(self) -> "TargetQuerySet":
        """The figures that are targets (« cible »): not the reference values, reforms in force or parameters."""
        return self.filter(kind=TargetKind.TARGET, withdrawn=False)

    def national_targets(self) -> "TargetQuerySet":
        """The national targets: targets of the whole country or of every département, never a territory's own
        figure (the Pays de la Loire's). The only rows a contract indicator may follow and the barometer judges."""
        return self.targets().filter(territory__isnull=True)


class Target(models.Model):
    """A quantified figure of the référentiel: a target (a value to reach), or a reference value, a reform in
    force or a parameter that frames the targets (pacte.programme.rules)."""

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
    kind = models.CharField("nature", max_length=10, choices=TargetKind.choices)
    label = models.CharField("indicateur", max_length=300)
    unit = models.CharField("unité", max_length=60)
    baseline_value = models.DecimalField(
        "valeur de départ", max_digits=18, decimal_places=3, null=True, blank=True
    )
    baseline_year = models.PositiveSmallIntegerField("année de départ", null=True, blank=True)
    target_value = models.DecimalField("valeur cible", max_digits=18, decimal_places=3, null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(
        "année cible",
        null=True,
        blank=True,
        help_text="Vide : horizon non daté (aucune source ne date la cible)",
    )
    comparison = models.CharField(
        "lecture de la valeur cible",
        max_length=14,
        choices=TargetComparison.choices,
        default=TargetComparison.LEVEL,
        help_text="Variation : la valeur cible est un % signé (−20 = baisse de 20 %) ; multiplication : un facteur "
        "(3) ; les deux par rapport à l'année de départ",
    )
    horizon_source = models.TextField(
        "source de l'échéance",
        blank=True,
        help_text="Quand l'année cible ne vient pas de la source du chiffre",
    )
    baseline_source = models.TextField(
        "source de la valeur de départ",
        blank=True,
        help_text="Quand elle ne vient pas de la source du chiffre",
    )
    in_force_on = models.DateField(
        "en vigueur depuis le", null=True, blank=True, help_text="Pour une réforme en vigueur ou un paramètre"
    )
    in_force_source = models.TextField(
        "source de l'entrée en vigueur", blank=True, help_text="Document, date, adresse et phrase citée"
    )
    borne_by_contracts = models.BooleanField(
        "portée par les contrats locaux",
        default=False,
        help_text="Les sommes des rapports des contrats locaux mesurent alors la progression de la cible",
    )
    contracts_reason = models.TextField("contrats locaux : motif et source", blank=True)
    withdrawn = models.BooleanField(
        "retirée du référentiel",
        default=False,
        editable=False,
        help_text="Absente du fichier mais conservée car un indicateur y est encore rattaché",
    )
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

    objects = TargetQuerySet.as_manager()

    class Meta:
        verbose_name = "cible ou valeur de référence"
        verbose_name_plural = "cibles et valeurs de référence"
        ordering = ["measure__axis__number", "measure__order", "order", "code"]

    def __str__(self) -> str:
        return self.label

    @property
    def is_target(self) -> bool:
        return self.kind == TargetKind.TARGET and not self.withdrawn

    @property
    def is_national_target(self) -> bool:
        return self.is_target and self.territory_id is None

    @property
    def is_dated(self) -> bool:
        return self.target_year is not None

    @property
    def is_relative(self) -> bool:
        return self.comparison != TargetComparison.LEVEL

    @property
    def horizon_label(self) -> str:
        """« 2027 », or « horizon non daté »."""
        return rules.horizon_label(self.target_year)

    def objective_value(self, base_value: Decimal | None = None) -> Decimal | None:
        """The level to reach (rules.objective_value): a relative target applies to `base_value` (a published
        figure of its base year) or else to its own baseline value; None when no base value is known."""
        base = base_value if base_value is not None else self.baseline_value
        return rules.objective_value(self.comparison, self.target_value, base)

    def clean(self) -> None:
        """The rules of pacte.programme.rules, each message on its field."""
        super().clean()
        problems: dict[str, list[str]] = {}
        for field, message in rules.target_problems(self, has_territory=self.territory_id is not None):
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
