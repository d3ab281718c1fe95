"""Statistical indicators of poverty by territory, their values per year, and the imports that wrote them.

A value belongs to a territory of the COG (région, département, EPCI, commune) or, when `territory` is
empty, to France as a whole (the national figures typed from official publications). One value per
indicator, territory and year: a re-import updates it in place.
"""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from pacte import formatting
from pacte.observation.enums import (
    BatchStatus,
    FigureNature,
    FileFormat,
    NationalScope,
    Reliability,
    ValueKind,
    ValueStatus,
)


class Indicator(models.Model):
    code = models.CharField(
        "code",
        max_length=40,
        unique=True,
        help_text="Code de la variable chez le producteur, sans le millésime (TP60 pour TP6021, MED pour MED21).",
    )
    label = models.CharField("intitulé", max_length=300)
    short_label = models.CharField("intitulé court", max_length=80, blank=True)
    kind = models.CharField("nature de la valeur", max_length=10, choices=ValueKind.choices)
    unit = models.CharField("unité", max_length=40, help_text="Affichée après la valeur : %, €, foyers…")
    decimals = models.PositiveSmallIntegerField("décimales affichées", default=1)
    higher_is_worse = models.BooleanField(
        "une valeur élevée traduit plus de pauvreté", default=True, help_text="Sens de lecture des cartes."
    )
    description = models.TextField("définition", blank=True)
    definition_url = models.URLField("lien vers la définition", blank=True)
    source = models.CharField(
        "source", max_length=200, help_text="Producteur et dispositif : INSEE, Filosofi…"
    )
    source_url = models.URLField("lien vers la source", blank=True)
    vintage = models.CharField("millésime", max_length=60, blank=True)
    territorial_scope = models.CharField(
        "champ des valeurs territoriales",
        max_length=200,
        blank=True,
        help_text="Territoires que la source couvre (Filosofi : France métropolitaine, Martinique et La Réunion).",
    )
    adds_to = models.ForeignKey(
        "self",
        verbose_name="s'ajoute à",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="added_sources",
        help_text="Le même dénombrement par une autre source (les foyers du RSA de la MSA s'ajoutent à ceux des CAF).",
    )
    expected_lag_years = models.PositiveSmallIntegerField(
        "délai de publication normal (années)",
        default=2,
        help_text="Au-delà, la dernière valeur est signalée comme à mettre à jour.",
    )
    is_public = models.BooleanField("donnée publique", default=True)
    national_target = models.ForeignKey(
        "programme.Target",
        verbose_name="cible nationale suivie",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="indicators",
    )
    order = models.PositiveSmallIntegerField("ordre", default=100)
    updated_at = models.DateTimeField("dernière mise à jour", auto_now=True)

    class Meta:
        verbose_name = "indicateur statistique"
        verbose_name_plural = "indicateurs statistiques"
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return f"{self.label} ({self.code})"

    def get_absolute_url(self) -> str:
        return reverse("observation:indicator", kwargs={"code": self.code})

    @property
    def is_additive(self) -> bool:
        return ValueKind(self.kind).is_additive


class ImportBatch(models.Model):
    """One import of a file: what it changed, and every row it rejected with the reason."""

    file_name = models.CharField("fichier", max_length=255)
    file_hash = models.CharField("empreinte SHA-256", max_length=64)
    file_format = models.CharField("format", max_length=10, choices=FileFormat.choices, blank=True)
    status = models.CharField("résultat", max_length=10, choices=BatchStatus.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="importé par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    started_at = models.DateTimeField("début")
    finished_at = models.DateTimeField("fin")
    created = models.PositiveIntegerField("valeurs créées", default=0)
    updated = models.PositiveIntegerField("valeurs modifiées", default=0)
    unchanged = models.PositiveIntegerField("valeurs inchangées", default=0)
    skipped = models.PositiveIntegerField("cellules ignorées", default=0)
    rejected = models.PositiveIntegerField("lignes rejetées", default=0)
    rejects = models.JSONField("rejets (ligne, colonne, motif)", default=list, blank=True)
    message = models.TextField("message", blank=True)
    region = models.ForeignKey(
        "territories.Territory",
        verbose_name="région",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Import régional : seuls les territoires de cette région ont pu être écrits. Vide : import national.",
    )

    class Meta:
        verbose_name = "import de données"
        verbose_name_plural = "imports de données"
        ordering = ["-started_at"]
        permissions = [
            (
                "import_regional",
                "Importer des fichiers statistiques pour les territoires de sa région "
                "(GT « Pauvreté » de la plateforme d'observation des solidarités)",
            )
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.started_at:%d/%m/%Y %H:%M})"


class Observation(models.Model):
    # No single-column index on the two keys: the composite indexes below start with them, and every index
    # less is faster imports of 35,000-commune files.
    indicator = models.ForeignKey(
        Indicator,
        verbose_name="indicateur",
        on_delete=models.CASCADE,
        related_name="observations",
        db_index=False,
    )
    territory = models.ForeignKey(
        "territories.Territory",
        verbose_name="territoire",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="observations",
        help_text="Vide : France entière.",
        db_index=False,
    )
    period = models.PositiveSmallIntegerField("année")
    value = models.DecimalField("valeur", max_digits=20, decimal_places=4, null=True, blank=True)
    status = models.CharField(
        "disponibilité", max_length=14, choices=ValueStatus.choices, default=ValueStatus.AVAILABLE
    )
    is_demo = models.BooleanField("donnée fictive", default=False)
    scope = models.CharField(
        "champ géographique",
        max_length=24,
        choices=NationalScope.choices,
        blank=True,
        db_default="",  # the importers' raw inserts leave it to the database
        help_text="Pour une valeur nationale : France entière ou France métropolitaine (ERFS). Vide : le territoire.",
    )
    source = models.CharField(
        "source de la valeur", max_length=300, blank=True, help_text="Publication précise, si différente."
    )
    batch = models.ForeignKey(
        ImportBatch,
        verbose_name="import",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="observations",
    )
    updated_at = models.DateTimeField("dernière mise à jour", auto_now=True)

    class Meta:
        verbose_name = "valeur"
        verbose_name_plural = "valeurs"
        ordering = ["indicator", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "territory", "period"],
                condition=Q(territory__isnull=False),
                name="observation_unique_territory_period",
            ),
            models.UniqueConstraint(
                fields=["indicator", "period"],
                condition=Q(territory__isnull=True),
                name="observation_unique_national_period",
            ),
            models.CheckConstraint(
                condition=Q(status=ValueStatus.AVAILABLE, value__isnull=False)
                | (~Q(status=ValueStatus.AVAILABLE) & Q(value__isnull=True)),
                name="observation_value_matches_status",
            ),
        ]
        indexes = [
            models.Index(fields=["indicator", "period"]),
            models.Index(fields=["territory", "indicator"]),
            models.Index(fields=["indicator", "updated_at"]),  # "last update" of an indicator
        ]

    def __str__(self) -> str:
        where = self.territory.name if self.territory_id else "France"
        return f"{self.indicator.code} {where} {self.period} = {self.value}"


NOT_PUBLISHED = "pas de donnée publiée"


class NationalFigure(models.Model):
    """A published national figure of a target of the référentiel, or the record that none was found."""

    target = models.ForeignKey(
        "programme.Target",
        verbose_name="cible",
        on_delete=models.CASCADE,
        related_name="national_figures",
    )
    nature = models.CharField(
        "nature", max_length=12, choices=FigureNature.choices, default=FigureNature.OBSERVATION
    )
    value = models.DecimalField(
        "valeur",
        max_digits=20,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="Vide : pas de donnée publiée.",
    )
    unit = models.CharField("unité", max_length=60, blank=True)
    period = models.CharField("période", max_length=200, blank=True, help_text="Telle que publiée.")
    year = models.PositiveSmallIntegerField("année de la valeur", null=True, blank=True)
    scope = models.CharField("champ", max_length=300, blank=True)
    source = models.TextField("source", blank=True)
    published = models.CharField(
        "date de publication", max_length=10, blank=True, help_text="AAAA, AAAA-MM ou AAAA-MM-JJ."
    )
    url = models.URLField("adresse", max_length=500, blank=True)
    quote = models.TextField("citation", blank=True)
    reliability = models.CharField("fiabilité", max_length=1, choices=Reliability.choices, blank=True)
    note = models.TextField("remarque", blank=True)
    searched = models.TextField("recherches faites", blank=True)
    order = models.PositiveIntegerField("ordre dans le fichier", default=0)

    class Meta:
        verbose_name = "chiffre national publié"
        verbose_name_plural = "chiffres nationaux publiés"
        ordering = ["target", "order"]

    def __str__(self) -> str:
        if self.value is None:
            return f"{self.target_id} : {NOT_PUBLISHED}"
        return f"{self.target_id} : {self.value} {self.unit} ({self.period})"

    @property
    def is_published(self) -> bool:
        return self.value is not None

    @property
    def published_display(self) -> str:
        """« 21 mai 2024 », « mai 2024 » or « 2024 », as precise as the file."""
        return published_display(self.published)


def published_display(text: str) -> str:
    parts = text.split("-") if text else []
    if len(parts) == 3:
        return formatting.date(date.fromisoformat(text))
    if len(parts) == 2:
        return formatting.month(text)
    return text
